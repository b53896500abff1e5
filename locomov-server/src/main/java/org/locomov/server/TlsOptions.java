package org.locomov.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locomov.credentials.acme.AcmeSettings;
import org.locomov.credentials.acme.ChallengeType;
import org.locomov.tls.TlsProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Where the server certificates come from, shared by {@code serve} and {@code cert} so that {@code cert status}
 * and {@code cert check} read the certificates in force exactly as {@code serve} would: the development CA
 * (default), the operator's PEM files, or ACME (when {@code --acme-directory} is given).
 */
final class TlsOptions {

    static final String MASTER_KEY_FILE = "master.key";

    @Option(names = "--tls-provider", paramLabel = "NAME", defaultValue = "auto",
            converter = TlsProviderConverter.class,
            description = "TLS library of the device listeners: auto (BoringSSL, else the system's OpenSSL, else the "
                    + "JDK's), boringssl, openssl (the system's, through netty-tcnative's OpenSSL build: needs OpenSSL "
                    + "3.2+ and libapr1), or jdk. An explicit choice that cannot load stops the start. "
                    + "Default: ${DEFAULT-VALUE}.")
    TlsProvider provider;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Server certificate chain, leaf first, instead of the development CA; watched, a change is "
                    + "loaded without a restart. Needs --tls-key.")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert (PKCS#8 or traditional PEM).")
    Path key;

    @Option(names = "--tls-name", paramLabel = "NAME", split = ",",
            description = "Extra DNS name or IP address for the development certificates (repeatable; "
                    + "localhost, 127.0.0.1, ::1 and the host name are always in).")
    List<String> names = new ArrayList<>();

    @Option(names = "--tls-master-key-file", paramLabel = "FILE",
            description = "Key that seals the private keys stored in the database (Base64 of 32 random bytes, e.g. "
                    + "'openssl rand -base64 32'); every node sharing the database needs the same. Default: "
                    + "<data-dir>/tls/" + MASTER_KEY_FILE + ", created on first start.")
    Path masterKeyFile;

    @Option(names = "--acme-directory", paramLabel = "URL",
            description = "Get certificates from this ACME CA directory (e.g. "
                    + "https://acme-v02.api.letsencrypt.org/directory). Default: none, ACME off.")
    String acmeDirectory;

    @Option(names = "--acme-email", paramLabel = "EMAIL", description = "Contact for the ACME account. Default: none.")
    String acmeEmail;

    @Option(names = "--domain", paramLabel = "NAME", split = ",",
            description = "A DNS name the ACME certificates carry (repeatable; the first is the subject).")
    List<String> domains = new ArrayList<>();

    @Option(names = "--acme-challenge", paramLabel = "TYPE", defaultValue = "http-01",
            description = "http-01 (own responder on --acme-http-port) or tls-alpn-01 (answered by the HTTPS API, "
                    + "which the CA must reach on port 443). Default: ${DEFAULT-VALUE}.")
    String acmeChallenge;

    @Option(names = "--acme-http-port", paramLabel = "PORT", defaultValue = "" + AcmeSettings.DEFAULT_HTTP_PORT,
            description = "Port of the HTTP-01 responder, on --bind. Default: ${DEFAULT-VALUE}.")
    int acmeHttpPort;

    @Option(names = "--acme-ca-trust", paramLabel = "PEM",
            description = "CA certificate(s) to trust for the ACME server's own HTTPS (a private CA). "
                    + "Default: the JDK's trusted roots.")
    Path acmeCaTrust;

    @Option(names = "--acme-preferred-chain", paramLabel = "ROOT-CN",
            description = "Serve the CA's chain that leads to the root with this common name, when it offers one. "
                    + "Default: the CA's default chain.")
    String acmePreferredChain;

    @Option(names = "--tls-include-root", arity = "0..1", paramLabel = "BOOLEAN",
            description = "Append the root to the served ACME chain, for devices that expect it. Default: off.")
    boolean includeRoot;

    @Option(names = "--tls-root-ca", paramLabel = "PEM",
            description = "Roots to find the one --tls-include-root appends, besides the JDK's trusted roots.")
    Path rootCa;

    /** Where certificates come from, or {@code null} after adding the problems to {@code problems}. */
    TlsSource source(SettingsProblems problems, Path dataDir, String bindAddress) {
        Path tlsDirectory = dataDir.resolve("tls");
        TlsSource.DevelopmentCa development = new TlsSource.DevelopmentCa(tlsDirectory, names);
        problems.refuseIf(certificate != null && key == null, "--tls-cert needs --tls-key (its private key)");
        problems.refuseIf(key != null && certificate == null, "--tls-key needs --tls-cert (its certificate chain)");
        problems.refuseIf(certificate != null && !names.isEmpty(),
                "--tls-name names the development certificates; with --tls-cert the names are those of your certificate");
        checkReadable(problems, "--tls-cert", certificate);
        checkReadable(problems, "--tls-key", key);
        if (acmeDirectory == null) {
            problems.refuseIf(!domains.isEmpty(), "--domain names ACME certificates; give --acme-directory too");
            if (certificate != null && key != null) {
                return new TlsSource.PemFiles(certificate.toAbsolutePath(), key.toAbsolutePath());
            }
            return development;
        }
        problems.refuseIf(certificate != null, "--tls-cert and --acme-directory both say where certificates come from; give one");
        checkReadable(problems, "--acme-ca-trust", acmeCaTrust);
        checkReadable(problems, "--tls-root-ca", rootCa);
        checkReadable(problems, "--tls-master-key-file", masterKeyFile);
        ChallengeType challenge = problems.build("--acme-challenge", () -> ChallengeType.parse(acmeChallenge));
        URI directory = problems.build("--acme-directory", () -> uri(acmeDirectory));
        if (challenge == null || directory == null) {
            return null;
        }
        AcmeSettings acme = problems.build(() -> AcmeSettings.builder(directory, domains).email(acmeEmail)
                .challenge(challenge).bindAddress(bindAddress).httpPort(acmeHttpPort).caTrustFile(absolute(acmeCaTrust))
                .preferredChain(acmePreferredChain).includeRoot(includeRoot).rootCaFile(absolute(rootCa)).build());
        Path keyFile = masterKeyFile != null ? masterKeyFile.toAbsolutePath() : tlsDirectory.resolve(MASTER_KEY_FILE);
        return acme == null ? null : new TlsSource.Acme(acme, keyFile, masterKeyFile == null, development);
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
    }

    private static Path absolute(Path path) {
        return path == null ? null : path.toAbsolutePath();
    }

    private static void checkReadable(SettingsProblems problems, String option, Path file) {
        if (file != null) {
            problems.refuseIf(!Files.isReadable(file), option + ": cannot read " + file.toAbsolutePath());
        }
    }

    /** {@code --tls-provider} names, in any case; an unknown one is refused listing the valid ones. */
    static final class TlsProviderConverter implements ITypeConverter<TlsProvider> {
        @Override
        public TlsProvider convert(String value) {
            return TlsProvider.parse(value);
        }
    }
}
