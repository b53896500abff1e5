package org.locomov.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what a device is flashed with into one directory, each item as PEM and as DER:
 * <pre>
 *   client.crt   client.crt.der        the device's certificate (CN = device id)
 *   client.key   client.key.der        its private key: PEM PKCS#8; DER PKCS#1 (RSA) or SEC1 (EC)
 *                client.key.pk8.der    the same key as PKCS#8 DER
 *   ca.pem       ca.der                the root the server's chain ends at, for the device to trust
 *   psk.hex                            the DTLS pre-shared key, hex (identity = device id)
 *   psk.txt                            the same key as the text whose bytes it is (coap-client -k); only
 *                                      for printable keys, which every key issued now is
 *   token.txt                          the access token
 * </pre>
 * Keys and secrets are mode 0600. Nothing is overwritten: {@link #alreadyPresent} names the files that are
 * in the way, so a caller can refuse before issuing anything.
 */
public final class DeviceCredentialFiles {

    public static final String CERTIFICATE_PEM = "client.crt";
    public static final String KEY_PEM = "client.key";
    public static final String CA_PEM = "ca.pem";
    public static final String CERTIFICATE_DER = "client.crt.der";
    public static final String KEY_DER = "client.key.der";
    public static final String KEY_PKCS8_DER = "client.key.pk8.der";
    public static final String CA_DER = "ca.der";
    public static final String PSK = "psk.hex";
    public static final String PSK_TEXT = "psk.txt";
    public static final String TOKEN = "token.txt";

    private static final List<String> ALL = List.of(CERTIFICATE_PEM, KEY_PEM, CA_PEM, CERTIFICATE_DER, KEY_DER,
            KEY_PKCS8_DER, CA_DER, PSK, PSK_TEXT, TOKEN);

    private DeviceCredentialFiles() {
    }

    /** The files of {@code dir} that writing credentials there would overwrite. */
    public static List<Path> alreadyPresent(Path dir) {
        return ALL.stream().map(dir::resolve).filter(Files::exists).toList();
    }

    /**
     * Writes {@code credentials} and the server's root {@code serverCa} into {@code dir} (created when missing).
     *
     * @return the files written, in the order of the table above
     * @throws FileAlreadyExistsException when one of them exists already
     */
    public static List<Path> write(Path dir, DeviceCredentials credentials, X509Certificate serverCa) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        X509Certificate certificate = credentials.certificate();
        PemFiles.writeCertificates(newFile(dir, CERTIFICATE_PEM, written), List.of(certificate));
        PemFiles.writePrivateKey(newFile(dir, KEY_PEM, written), credentials.key(), certificate.getPublicKey());
        PemFiles.writeCertificates(newFile(dir, CA_PEM, written), List.of(serverCa));
        DerFiles.writeCertificate(newFile(dir, CERTIFICATE_DER, written), certificate);
        DerFiles.writeTraditionalKey(newFile(dir, KEY_DER, written), credentials.key(), certificate.getPublicKey());
        DerFiles.writePkcs8Key(newFile(dir, KEY_PKCS8_DER, written), credentials.key(), certificate.getPublicKey());
        DerFiles.writeCertificate(newFile(dir, CA_DER, written), serverCa);
        DerFiles.writeSecret(newFile(dir, PSK, written), (credentials.pskHex() + "\n").getBytes(StandardCharsets.US_ASCII));
        if (credentials.pskText().isPresent()) {
            DerFiles.writeSecret(newFile(dir, PSK_TEXT, written),
                    (credentials.pskText().get() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        DerFiles.writeSecret(newFile(dir, TOKEN, written), (credentials.token() + "\n").getBytes(StandardCharsets.US_ASCII));
        return List.copyOf(written);
    }

    /**
     * Writes the CC3200 layout into {@code dir/cert/}: the private key (DER; PKCS#1 for RSA, which the CC3200's
     * SimpleLink stack reads), the client certificate (DER) and {@code root} (DER), named by {@code slots}.
     * {@code root} must be the self-signed root the server's chain ends at: the chip does not build paths.
     *
     * @return the files written: key, certificate, root
     * @throws FileAlreadyExistsException when one of them exists already
     */
    public static List<Path> writeCc3200(Path dir, DeviceCredentials credentials, X509Certificate root,
            Cc3200Slots slots) throws IOException {
        Path cert = dir.resolve(Cc3200Slots.DIRECTORY);
        Files.createDirectories(cert);
        List<Path> written = new ArrayList<>();
        X509Certificate certificate = credentials.certificate();
        DerFiles.writeTraditionalKey(newFile(cert, slots.key(), written), credentials.key(), certificate.getPublicKey());
        DerFiles.writeCertificate(newFile(cert, slots.certificate(), written), certificate);
        DerFiles.writeCertificate(newFile(cert, slots.root(), written), root);
        return List.copyOf(written);
    }

    /** {@code dir/name}, refused when it exists (PemFiles replaces files, so the check is made here). */
    private static Path newFile(Path dir, String name, List<Path> written) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "credential files are never overwritten; choose an empty --out directory");
        }
        written.add(file);
        return file;
    }
}
