package org.locomov.server;

import org.locomov.transport.ListenerModule;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.locomov.store.StoreSettings;
import org.locomov.tls.CertificateFileException;
import org.locomov.tls.DeviceTrustCheck;
import org.locomov.tls.KeyType;
import org.locomov.tls.PemFiles;
import org.locomov.tls.SealedKeyException;
import org.locomov.tls.ServedChain;
import org.locomov.tls.ServerCertificate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov cert status|check}: the chain doctor. Reads the certificates in force the way {@code serve} would
 * (same options, variables and config file) and describes them, or checks them against the one root a device holds.
 */
@Command(name = "cert", mixinStandardHelpOptions = true,
        description = "Show the served certificate chains and their renewal, or check them against a device's root.",
        subcommands = {CertCommand.Status.class, CertCommand.Check.class})
final class CertCommand implements Runnable {

    static final int FAILED = 1;
    /**
     * The listeners of {@code serve} that serve the server certificates; all are fed from one certificate source,
     * so each serves the same RSA chain to clients that need RSA and the same EC chain to the others.
     */
    static List<String> listeners() {
        return ListenerModules.all().stream().filter(ListenerModule::servesServerCertificates)
                .map(ListenerModule::name).toList();
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: status or check");
    }

    /** The options every cert subcommand shares: the database and where certificates come from. */
    static final class Sources {
        @Mixin
        DatabaseOptions database;

        @Mixin
        TlsOptions tls;

        Checked<CertificatesInForceQuery> query() {
            Logging.forTool();
            SettingsProblems problems = new SettingsProblems();
            StoreSettings store = database.storeSettings(problems, StoreSettings.KEEP_FOREVER);
            TlsSource source = tls.source(problems, database.dataDirectory(), "127.0.0.1");
            return problems.result(() -> new CertificatesInForceQuery(source, store.withPoolSize(1)));
        }
    }

    record CertificatesInForceQuery(TlsSource source, StoreSettings store) {
        CertificatesInForce read() throws IOException, SealedKeyException {
            return CertificatesInForce.read(source, store);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Print, per listener and key type, the served chain (subject, issuer, names, expiry, depth, "
                    + "bytes on the wire) and the renewal state.")
    static final class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Sources sources;

        @Override
        public Integer call() {
            return switch (sources.query()) {
                case Checked.Refused<CertificatesInForceQuery> refused -> Main.refuse(spec, refused);
                case Checked.Valid<CertificatesInForceQuery> valid -> print(valid.value(), spec.commandLine().getOut(),
                        spec.commandLine().getErr());
            };
        }

        private int print(CertificatesInForceQuery query, PrintWriter out, PrintWriter err) {
            CertificatesInForce inForce;
            try {
                inForce = query.read();
            } catch (IOException | SealedKeyException | RuntimeException e) {
                err.println("cert status: " + e.getMessage());
                return FAILED;
            }
            out.println("certificates: " + inForce.origin());
            for (String listener : listeners()) {
                out.println("listener " + listener);
                for (KeyType type : KeyType.values()) {
                    ServerCertificate certificate = inForce.certificates().certificate(type);
                    if (certificate == null) {
                        out.println("  " + type + ": none; every client gets the RSA chain");
                        continue;
                    }
                    out.println("  " + type + " chain" + (type == KeyType.RSA ? " (RSA-only clients, e.g. CC3220S)" : ""));
                    out.print(new ServedChain(certificate.chain()).render("    "));
                    out.println("    renewal: " + inForce.renewal().getOrDefault(type, "unknown"));
                }
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Say whether a device that holds only ROOT.pem, and does not build certificate paths "
                    + "(CC32xx), accepts the served chains; warn when a chain is larger than --max-chain-bytes. "
                    + "Exit status 0: accepted, 1: refused.")
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Sources sources;

        @Option(names = "--ca", paramLabel = "ROOT.pem", required = true,
                description = "The root CA certificate the device holds (PEM).")
        Path root;

        @Option(names = "--max-chain-bytes", paramLabel = "BYTES", defaultValue = "" + DeviceTrustCheck.DEFAULT_MAX_CHAIN_BYTES,
                description = "Warn above this many bytes of certificate chain on the wire (small devices have small "
                        + "TLS buffers). Default: ${DEFAULT-VALUE}.")
        int maxChainBytes;

        @Override
        public Integer call() {
            if (maxChainBytes < 1) {
                spec.commandLine().getErr().println("cert check: --max-chain-bytes must be positive, was " + maxChainBytes);
                return Main.USAGE_ERROR;
            }
            return switch (sources.query()) {
                case Checked.Refused<CertificatesInForceQuery> refused -> Main.refuse(spec, refused);
                case Checked.Valid<CertificatesInForceQuery> valid -> check(valid.value(), spec.commandLine().getOut(),
                        spec.commandLine().getErr());
            };
        }

        private int check(CertificatesInForceQuery query, PrintWriter out, PrintWriter err) {
            java.security.cert.X509Certificate deviceRoot;
            CertificatesInForce inForce;
            try {
                List<java.security.cert.X509Certificate> roots = PemFiles.readCertificates(root);
                deviceRoot = roots.getFirst();
                inForce = query.read();
            } catch (CertificateFileException e) {
                err.println("cert check: --ca: " + e.getMessage());
                return Main.USAGE_ERROR;
            } catch (IOException | SealedKeyException | RuntimeException e) {
                err.println("cert check: " + e.getMessage());
                return FAILED;
            }
            out.println("certificates: " + inForce.origin());
            out.println("device root:  " + deviceRoot.getSubjectX500Principal().getName() + " (" + root + ")");
            boolean allAccepted = true;
            for (KeyType type : KeyType.values()) {
                ServerCertificate certificate = inForce.certificates().certificate(type);
                if (certificate == null) {
                    continue;
                }
                ServedChain chain = new ServedChain(certificate.chain());
                DeviceTrustCheck.Verdict verdict = DeviceTrustCheck.check(chain, deviceRoot, maxChainBytes, Instant.now());
                allAccepted &= verdict.accepted();
                out.println(type + " chain (depth " + chain.chain().size() + ", " + chain.bytesOnTheWire() + " bytes): "
                        + (verdict.accepted() ? "ACCEPTED" : "REFUSED") + " by a device holding only this root");
                verdict.problems().forEach(problem -> out.println("  problem: " + problem));
                verdict.warnings().forEach(warning -> out.println("  warning: " + warning));
            }
            return allAccepted ? 0 : FAILED;
        }
    }
}
