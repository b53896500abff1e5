package org.locomov.tls;

import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The certificate authority locomov creates on first start so that TLS works with no set-up: an RSA
 * CA ({@code ca.pem}, the one file devices must trust) and two server certificates it signs, RSA
 * ({@code server-rsa.pem}) for devices that know nothing else and ECDSA P-256 ({@code server-ec.pem})
 * for the rest. Chain files hold the leaf and then the CA, so the chain a device receives ends at the
 * root it holds.
 *
 * <p>Later starts reuse the files: same CA, same keys, same certificates. A server certificate within
 * {@value #REISSUE_DAYS_BEFORE_EXPIRY} days of expiry, lacking a requested name or address, or not
 * signed by the CA is re-issued by the same CA with the same key, so devices need nothing new. A
 * missing or damaged server key or certificate is replaced; a missing or damaged CA is refused, never
 * silently replaced, because every device would have to be given the new {@code ca.pem}.
 *
 * <p>Opening takes a file lock on the directory, so processes sharing a data directory do not issue
 * twice. Instances are immutable.
 */
public final class DevelopmentCa {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentCa.class);

    /** Lifetime of the CA certificate: 10 years, so devices are not re-flashed for it. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Lifetime of the server certificates: 397 days, the most that browsers and most TLS clients accept. */
    public static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    public static final int REISSUE_DAYS_BEFORE_EXPIRY = 30;
    private static final Duration REISSUE_BEFORE_EXPIRY = Duration.ofDays(REISSUE_DAYS_BEFORE_EXPIRY);

    static final String CA_CERTIFICATE = "ca.pem";
    static final String CA_KEY = "ca.key";
    static final String RSA_SERVER = "server-rsa";
    static final String EC_SERVER = "server-ec";
    private static final String LOCK_FILE = ".lock";

    private final Path caCertificateFile;
    private final X509Certificate caCertificate;
    private final ServerCertificate rsaServer;
    private final ServerCertificate ecServer;

    private DevelopmentCa(Path caCertificateFile, X509Certificate caCertificate,
                          ServerCertificate rsaServer, ServerCertificate ecServer) {
        this.caCertificateFile = caCertificateFile;
        this.caCertificate = caCertificate;
        this.rsaServer = rsaServer;
        this.ecServer = ecServer;
    }

    /**
     * Opens the development CA under {@code tlsDir}, creating the directory, the CA and the server
     * certificates as needed.
     *
     * @param dnsNames    host names the server certificates must carry (e.g. localhost and this host's name)
     * @param ipAddresses IP address literals they must carry (e.g. 127.0.0.1, ::1)
     * @throws CertificateFileException when the CA files are damaged or half missing
     * @throws IllegalArgumentException when no name or address is given, or an address is not an IP literal
     */
    public static DevelopmentCa openOrCreate(Path tlsDir, List<String> dnsNames, List<String> ipAddresses)
            throws IOException {
        return openOrCreate(tlsDir, dnsNames, ipAddresses, Clock.systemUTC());
    }

    /** As {@link #openOrCreate(Path, List, List)}, at the time {@code clock} gives (tests move it forward). */
    static DevelopmentCa openOrCreate(Path tlsDir, List<String> dnsNames, List<String> ipAddresses, Clock clock)
            throws IOException {
        List<String> names = checkedDnsNames(dnsNames);
        List<String> addresses = checkedIpAddresses(ipAddresses);
        if (names.isEmpty() && addresses.isEmpty()) {
            throw new IllegalArgumentException("the development CA needs at least one host name or IP address");
        }
        createPrivateDirectory(tlsDir);
        return CaFiles.underLock(DevelopmentCa.class, tlsDir.resolve(LOCK_FILE), () -> {
            Instant now = clock.instant();
            CaFiles.Material ca = openOrCreateCa(tlsDir, now);
            ServerCertificate rsa = openOrIssue(tlsDir, RSA_SERVER, KeyType.RSA, ca, names, addresses, now);
            ServerCertificate ec = openOrIssue(tlsDir, EC_SERVER, KeyType.EC, ca, names, addresses, now);
            return new DevelopmentCa(tlsDir.resolve(CA_CERTIFICATE), ca.certificate(), rsa, ec);
        });
    }

    /** The CA certificate file ({@code ca.pem}) that devices and clients must trust. */
    public Path caCertificateFile() {
        return caCertificateFile;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The RSA-2048 server certificate, chain = leaf + CA. */
    public ServerCertificate rsaServer() {
        return rsaServer;
    }

    /** The ECDSA P-256 server certificate, chain = leaf + CA. */
    public ServerCertificate ecServer() {
        return ecServer;
    }

    private static CaFiles.Material openOrCreateCa(Path dir, Instant now) throws IOException {
        Path certificateFile = dir.resolve(CA_CERTIFICATE);
        Path keyFile = dir.resolve(CA_KEY);
        CaFiles.Material ca = CaFiles.openOrCreate(certificateFile, keyFile,
                "locomov development CA " + localHostName(), now, CA_VALIDITY, "CA",
                (present, missing) -> missing + " is missing but " + present + " exists; restore it, or"
                        + " delete " + present + " too to create a new CA (every device must then be given the new "
                        + CA_CERTIFICATE + ")");
        X509Certificate certificate = ca.certificate();
        if (ca.created()) {
            log.info("Created a development CA in {} ({}); devices and clients must trust this file",
                    certificateFile, PemFiles.subject(certificate));
        } else if (certificate.getNotAfter().toInstant().isBefore(now.plus(REISSUE_BEFORE_EXPIRY))) {
            log.warn("The development CA {} expires at {}; delete {} and {} to create a new one and give it to"
                    + " every device", certificateFile, certificate.getNotAfter().toInstant(), certificateFile, keyFile);
        }
        return ca;
    }

    private static ServerCertificate openOrIssue(Path dir, String baseName, KeyType type, CaFiles.Material ca,
                                                 List<String> dnsNames, List<String> ipAddresses, Instant now)
            throws IOException {
        Path chainFile = dir.resolve(baseName + ".pem");
        Path keyFile = dir.resolve(baseName + ".key");
        ServerCertificate existing = loadIfUsable(chainFile, keyFile, type);
        String reason;
        if (existing == null) {
            reason = Files.exists(chainFile) ? "the files were unusable" : "none existed";
        } else {
            reason = reissueReason(existing, ca.certificate(), dnsNames, ipAddresses, now);
            if (reason == null) {
                return existing;
            }
        }
        PrivateKey privateKey;
        PublicKey publicKey;
        if (existing != null) {
            privateKey = existing.key();                   // same key: pinned or cached keys stay valid
            publicKey = existing.leaf().getPublicKey();
        } else {
            KeyPair keys = CertificateIssuer.newKeyPair(type);
            privateKey = keys.getPrivate();
            publicKey = keys.getPublic();
            PemFiles.writePrivateKey(keyFile, privateKey);
        }
        X509Certificate leaf = CertificateIssuer.serverCertificate(ca.certificate(), ca.key(), publicKey,
                dnsNames, ipAddresses, now, SERVER_VALIDITY);
        List<X509Certificate> chain = List.of(leaf, ca.certificate());
        PemFiles.writeCertificates(chainFile, chain);
        log.info("Issued the {} development server certificate {} (because {}), valid until {}",
                type, chainFile, reason, leaf.getNotAfter().toInstant());
        return new ServerCertificate(privateKey, chain);
    }

    private static ServerCertificate loadIfUsable(Path chainFile, Path keyFile, KeyType type) {
        if (!Files.exists(chainFile) || !Files.exists(keyFile)) {
            return null;
        }
        try {
            ServerCertificate loaded = PemFiles.loadServerCertificate(chainFile, keyFile);
            if (loaded.keyType() == type) {
                return loaded;
            }
            log.warn("{} holds a {} key where {} was expected; replacing it", keyFile, loaded.keyType(), type);
        } catch (CertificateFileException e) {
            log.warn("Replacing the development server certificate: {}", e.getMessage());
        }
        return null;
    }

    /** Why {@code existing} must be re-issued, or {@code null} when it can be served as it is. */
    private static String reissueReason(ServerCertificate existing, X509Certificate ca, List<String> dnsNames,
                                        List<String> ipAddresses, Instant now) {
        X509Certificate leaf = existing.leaf();
        if (existing.chain().size() != 2 || !existing.chain().get(1).equals(ca)
                || PemFiles.chainOrderProblem(existing.chain()) != null) {
            return "it was not issued by the current CA " + PemFiles.subject(ca);
        }
        if (existing.notAfter().isBefore(now.plus(REISSUE_BEFORE_EXPIRY))) {
            return "it expires at " + existing.notAfter() + ", within " + REISSUE_DAYS_BEFORE_EXPIRY + " days";
        }
        String missing = missingSubjectAltName(leaf, dnsNames, ipAddresses);
        return missing == null ? null : "it lacks the subject alternative name " + missing;
    }

    private static String missingSubjectAltName(X509Certificate leaf, List<String> dnsNames, List<String> ipAddresses) {
        Collection<List<?>> present;
        try {
            present = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
        }
        List<List<?>> sans = present == null ? List.of() : List.copyOf(present);
        for (String dns : dnsNames) {
            boolean found = sans.stream().anyMatch(san -> Integer.valueOf(2).equals(san.get(0))
                    && dns.equalsIgnoreCase(String.valueOf(san.get(1))));
            if (!found) {
                return dns;
            }
        }
        for (String ip : ipAddresses) {
            byte[] wanted = ipBytes(ip);
            boolean found = sans.stream().anyMatch(san -> Integer.valueOf(7).equals(san.get(0))
                    && Arrays.equals(wanted, ipBytes(String.valueOf(san.get(1)))));
            if (!found) {
                return ip;
            }
        }
        return null;
    }

    /** The bytes of an IP literal; never a DNS look-up, since callers pass literals checked by {@link IPAddress}. */
    private static byte[] ipBytes(String literal) {
        try {
            return IPAddress.isValid(literal) ? InetAddress.getByName(literal).getAddress() : new byte[0];
        } catch (UnknownHostException e) {
            return new byte[0];
        }
    }

    private static List<String> checkedDnsNames(List<String> dnsNames) {
        List<String> names = List.copyOf(Objects.requireNonNull(dnsNames, "dnsNames"));
        for (String name : names) {
            if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("not a host name: '" + name + "'");
            }
        }
        return names.stream().map(name -> name.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static List<String> checkedIpAddresses(List<String> ipAddresses) {
        List<String> addresses = List.copyOf(Objects.requireNonNull(ipAddresses, "ipAddresses"));
        for (String address : addresses) {
            if (!IPAddress.isValid(address)) {
                throw new IllegalArgumentException("not an IP address literal: '" + address + "'");
            }
        }
        return addresses.stream().distinct().toList();
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** This machine's name for the CA's CN, so CAs of different machines can be told apart on a device. */
    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment == null || fromEnvironment.isBlank() ? "localhost" : fromEnvironment;
        }
    }
}
