package org.locomov.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The operator's PEM files ({@code --tls-cert}/{@code --tls-key}), watched: every {@code pollInterval} the
 * files' contents are compared with what was loaded, and a change is loaded, checked (chain order, key
 * matching the leaf, key type, not expired) and handed to the listeners. New handshakes get the new
 * certificate; open connections keep theirs. Files that fail the checks are refused with one WARN line
 * naming the reason, and the old certificate stays in service.
 *
 * <p>Contents are compared rather than modification times, so a certificate written in place, replaced by a
 * rename, or reached through a symbolic link that is re-pointed (as certbot does) is all seen; a chain
 * written a moment before its key is refused and then picked up once the key follows.
 *
 * <p>Thread-safety: the files are read on the source's one daemon thread; {@link #current()} reads an
 * atomic reference and may be called from any thread.
 */
public final class PemFileSource implements CertificateSource {

    private static final Logger log = LoggerFactory.getLogger(PemFileSource.class);
    /** How often the files are compared when the operator does not say. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

    /** Larger files are not certificates; refused before reading them whole. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private final PemFilePair rsaFiles;
    private final PemFilePair ecFilesOrNull;
    private final Duration pollInterval;
    private final Clock clock;
    private final CertificateListeners listeners;
    private final ScheduledExecutorService watcher;
    /** Only the watcher thread touches these two, after construction. */
    private byte[] loadedDigest;
    private byte[] refusedDigest;

    /**
     * Loads the files now.
     *
     * @param ecFilesOrNull an ECDSA certificate for the same names, or {@code null} to serve RSA only
     * @throws CertificateFileException naming the file and the problem when they cannot be used
     */
    public PemFileSource(PemFilePair rsaFiles, PemFilePair ecFilesOrNull, Duration pollInterval, Clock clock)
            throws CertificateFileException {
        this.rsaFiles = Objects.requireNonNull(rsaFiles, "rsaFiles");
        this.ecFilesOrNull = ecFilesOrNull;
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the PEM file poll interval must be positive, was " + pollInterval);
        }
        try {
            this.loadedDigest = digest();
        } catch (IOException e) {
            throw new CertificateFileException("cannot read the TLS PEM files: " + e.getMessage(), e);
        }
        this.listeners = new CertificateListeners(load());
        this.watcher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("locomov-pem-watch").daemon().factory());
    }

    @Override
    public CertificatePair current() {
        return listeners.current();
    }

    @Override
    public void addListener(String name, CertificateListener listener) {
        listeners.add(name, listener);
    }

    @Override
    public void start() {
        long millis = pollInterval.toMillis();
        watcher.scheduleWithFixedDelay(this::checkForChange, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public String describe() {
        return "PEM files " + rsaFiles.chain() + (ecFilesOrNull == null ? "" : " and " + ecFilesOrNull.chain())
                + " (watched every " + pollInterval.toSeconds() + " s): " + current().describe();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }

    /** Runs on the watcher thread. */
    private void checkForChange() {
        try {
            byte[] now = digest();
            if (Arrays.equals(now, loadedDigest) || Arrays.equals(now, refusedDigest)) {
                return;
            }
            CertificatePair loaded;
            try {
                loaded = load();
            } catch (CertificateFileException e) {
                refusedDigest = now;
                log.warn("TLS PEM files changed but were refused, still serving {}: {}", current().describe(),
                        e.getMessage());
                return;
            }
            loadedDigest = now;
            refusedDigest = null;
            log.info("TLS PEM files changed; new handshakes get {}", loaded.describe());
            listeners.announce(loaded);
        } catch (java.nio.file.NoSuchFileException e) {
            // Mid-rename: the next poll sees the settled files.
            log.debug("a TLS PEM file is missing for now: {}", e.getMessage());
        } catch (IOException e) {
            log.warn("cannot read the TLS PEM files, still serving {}: {}", current().describe(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("checking the TLS PEM files failed; will try again in {}", pollInterval, e);
        }
    }

    private CertificatePair load() throws CertificateFileException {
        ServerCertificate rsa = loadChecked(rsaFiles, KeyType.RSA);
        ServerCertificate ec = ecFilesOrNull == null ? null : loadChecked(ecFilesOrNull, KeyType.EC);
        return new CertificatePair(rsa, ec);
    }

    private ServerCertificate loadChecked(PemFilePair files, KeyType expected) throws CertificateFileException {
        ServerCertificate certificate = PemFiles.loadServerCertificate(files.chain(), files.key());
        if (certificate.keyType() != expected) {
            throw new CertificateFileException(files.chain() + " holds an " + certificate.keyType() + " key where an "
                    + expected + " certificate is expected" + (expected == KeyType.RSA
                    ? " (CC32xx devices speak only RSA key exchange)" : ""));
        }
        if (!certificate.notAfter().isAfter(clock.instant())) {
            throw new CertificateFileException(files.chain() + " expired at " + certificate.notAfter());
        }
        return certificate;
    }

    private byte[] digest() throws IOException {
        List<Path> files = new ArrayList<>(List.of(rsaFiles.chain(), rsaFiles.key()));
        if (ecFilesOrNull != null) {
            files.addAll(List.of(ecFilesOrNull.chain(), ecFilesOrNull.key()));
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                if (Files.size(file) > MAX_FILE_BYTES) {
                    throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
                }
                sha256.update(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
            }
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
