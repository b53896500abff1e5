package org.locomov.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.tls.Cc3200Slots;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentialFiles;
import org.locomov.tls.DeviceCredentials;
import org.locomov.credentials.DeviceCredentialsIssuer;
import org.locomov.credentials.SharedDeviceCa;
import org.locomov.credentials.acme.SharedTlsMaterial;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.credentials.DeviceCredentialsIssuer.Issued;
import org.locomov.tls.Fingerprints;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.PemFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov device credentials --id N --out DIR}: issues what a registered device is flashed with (client
 * certificate and key, the server's root, each as PEM and DER; a PSK; an access token) into DIR, and prints
 * the secrets once. The database keeps the certificate's fingerprint, the PSK sealed and the token's hash.
 * Issuing again replaces the device's earlier credentials.
 */
@Command(name = "credentials", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Issue a registered device's credentials into a directory, as PEM and DER files: client "
                + "certificate and key (from the device CA), the server's root CA, a PSK and an access token. "
                + "Secrets are shown once; earlier credentials of the device are revoked.")
final class DeviceCredentialsCommand implements Callable<Integer> {

    static final String DEVELOPMENT_CA_FILE = "ca.pem";

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--id", paramLabel = "N", required = true, description = "The device (added with 'device add').")
    long deviceId;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory to write the files to (created; existing credential files are never overwritten).")
    Path outDir;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "rsa",
            description = "rsa (RSA-2048, what CC32xx devices take) or ec (P-256). Default: ${DEFAULT-VALUE}.")
    String keyType;

    @Option(names = "--server-ca", paramLabel = "PEM",
            description = "The root CA the server's chain ends at, for the device to trust (its last certificate is "
                    + "used). Default: the development CA, <data-dir>/tls/" + DEVELOPMENT_CA_FILE
                    + "; with --tls-cert or ACME give the root your chain ends at.")
    Path serverCa;

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "standard",
            description = "standard (the files above), or cc3200: also cert/private.der, cert/client.der and "
                    + "cert/ca.der, the DER key (PKCS#1), certificate and root a TI CC3200 is flashed with; the root "
                    + "must be the self-signed root the server's chain ends at. Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(names = "--cc3200-slots", paramLabel = "KEY,CERT,ROOT", arity = "0..1", fallbackValue = "126,127,128",
            description = "With --layout cc3200: name the files by the device's slots instead, e.g. 126,127,128 "
                    + "(the value when none is given) writes cert/126.der (key), cert/127.der (certificate), "
                    + "cert/128.der (root).")
    String cc3200Slots;

    @Option(names = "--tls-master-key-file", paramLabel = "FILE",
            description = "Key that seals the PSK and the device CA's key in the database; the one 'serve' uses. "
                    + "Default: <data-dir>/tls/" + TlsOptions.MASTER_KEY_FILE + ", created when missing.")
    Path masterKeyFile;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        KeyType type = switch (keyType.strip().toLowerCase(Locale.ROOT)) {
            case "rsa" -> KeyType.RSA;
            case "ec" -> KeyType.EC;
            default -> null;
        };
        if (type == null) {
            err.println("device credentials: --key-type must be rsa or ec, was '" + keyType + "'");
            return Main.USAGE_ERROR;
        }
        Cc3200Slots slots;
        try {
            slots = cc3200Layout(layout, cc3200Slots);
        } catch (IllegalArgumentException e) {
            err.println("device credentials: " + e.getMessage());
            return Main.USAGE_ERROR;
        }
        if (deviceId < 0) {
            err.println("device credentials: --id must not be negative, was " + deviceId);
            return Main.USAGE_ERROR;
        }
        List<Path> inTheWay = new ArrayList<>(DeviceCredentialFiles.alreadyPresent(outDir));
        if (slots != null) {
            Path cert = outDir.resolve(Cc3200Slots.DIRECTORY);
            List.of(slots.key(), slots.certificate(), slots.root()).stream().map(cert::resolve).filter(Files::exists)
                    .forEach(inTheWay::add);
        }
        if (!inTheWay.isEmpty()) {
            err.println("device credentials: " + outDir.toAbsolutePath() + " already holds " + inTheWay.stream()
                    .map(p -> outDir.relativize(p).toString()).toList() + "; credential files are never overwritten,"
                    + " choose an empty --out directory");
            return DatabaseJob.FAILED;
        }
        Path tlsDir = database.dataDirectory().resolve("tls");
        Path caFile = serverCa != null ? serverCa : tlsDir.resolve(DEVELOPMENT_CA_FILE);
        if (!Files.isReadable(caFile)) {
            err.println("device credentials: cannot read the server's root CA " + caFile.toAbsolutePath()
                    + (serverCa == null ? "; start 'serve' once to create the development CA, or give --server-ca" : ""));
            return DatabaseJob.FAILED;
        }
        return DatabaseJob.run(spec, database, "device credentials",
                (db, out, jobErr) -> issue(db, type, tlsDir, caFile, slots, out, jobErr));
    }

    /** The CC3200 slots, or null for the standard layout alone. */
    private static Cc3200Slots cc3200Layout(String layout, String slots) {
        String chosen = layout.strip().toLowerCase(Locale.ROOT);
        if (!chosen.equals("standard") && !chosen.equals("cc3200")) {
            throw new IllegalArgumentException("--layout must be standard or cc3200, was '" + layout + "'");
        }
        if (slots != null) {
            return Cc3200Slots.parse(slots);       // slots mean the CC3200 layout
        }
        return chosen.equals("cc3200") ? Cc3200Slots.NAMED : null;
    }

    private int issue(Database db, KeyType type, Path tlsDir, Path caFile, Cc3200Slots slots, PrintWriter out,
            PrintWriter err) throws IOException {
        List<X509Certificate> serverChain = PemFiles.readCertificates(caFile);
        X509Certificate root = serverChain.getLast();
        if (slots != null && !selfSigned(root)) {
            err.println("device credentials: the last certificate of " + caFile.toAbsolutePath() + " ("
                    + root.getSubjectX500Principal().getName() + ") is not a self-signed root; a CC3200 cannot build "
                    + "paths and needs exactly the root the server's chain ends at (see 'cert status' and 'cert check')");
            return DatabaseJob.FAILED;
        }
        MasterKey masterKey = masterKeyFile != null ? MasterKey.openOrCreate(masterKeyFile, false)
                : MasterKey.openOrCreate(tlsDir.resolve(TlsOptions.MASTER_KEY_FILE), true);
        // The database's device CA, which every node trusts (decision 1540).
        DeviceCa ca = SharedDeviceCa.open(new TlsMaterialRepository(db.dataSource()), masterKey, tlsDir,
                SharedTlsMaterial.thisNode(), Clock.systemUTC().instant());
        DeviceCredentialsIssuer issuer = new DeviceCredentialsIssuer(ca, masterKey,
                new DeviceCredentialRepository(db.dataSource()), Clock.systemUTC());
        Optional<Issued> issued = issuer.issue(deviceId, type);
        if (issued.isEmpty()) {
            err.println("device credentials: device " + deviceId + " is not registered; add it first with"
                    + " 'locomov device add --id " + deviceId + "'");
            return DatabaseJob.FAILED;
        }
        List<Path> files = new ArrayList<>(DeviceCredentialFiles.write(outDir, issued.get().credentials(), root));
        if (slots != null) {
            files.addAll(DeviceCredentialFiles.writeCc3200(outDir, issued.get().credentials(), root, slots));
        }
        report(out, issued.get(), files, root, ca);
        return 0;
    }

    private static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private void report(PrintWriter out, Issued issued, List<Path> files, X509Certificate root, DeviceCa ca) {
        DeviceCredentials credentials = issued.credentials();
        X509Certificate certificate = credentials.certificate();
        out.println("device " + deviceId + ": credentials written to " + outDir.toAbsolutePath());
        files.forEach(file -> out.println("  " + outDir.relativize(file)));
        out.println("certificate: CN=" + deviceId + ", " + credentials.keyType() + ", serial "
                + certificate.getSerialNumber().toString(16) + ", valid until " + certificate.getNotAfter().toInstant()
                + ", issued by the device CA " + ca.certificate().getSubjectX500Principal().getName() + " in "
                + ca.origin());
        out.println("  SHA-256 " + Fingerprints.text(Fingerprints.sha256(certificate)));
        out.println("server root for the device to trust: " + root.getSubjectX500Principal().getName());
        out.println("PSK identity: " + credentials.pskIdentity());
        out.println("PSK: " + credentials.pskHex());
        credentials.pskText().ifPresent(text -> out.println("PSK as text (coap-client -k): " + text));
        out.println("token: " + credentials.token());
        out.println("(the key, PSK and token are shown only now and kept only in these files; locomov stores"
                + " the certificate's fingerprint, the PSK encrypted and the token hashed)");
        if (issued.replacedSets() > 0) {
            out.println("the device's earlier credentials are revoked: they no longer connect");
        }
        if (issued.deviceWasRevoked()) {
            out.println("device " + deviceId + " was revoked; it is admitted again with these credentials");
        }
    }
}
