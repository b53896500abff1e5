package org.locomov.credentials.acme;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.locomov.store.StoreException;
import org.locomov.store.TlsMaterialRepository.RenewalLock;
import org.locomov.store.TlsRenewalRecord;
import org.locomov.tls.CertificateFileException;
import org.locomov.tls.CertificateListener;
import org.locomov.tls.CertificateListeners;
import org.locomov.tls.CertificateMetrics;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.CertificateSource;
import org.locomov.tls.KeyType;
import org.locomov.tls.SealedKeyException;
import org.locomov.tls.ServerCertificate;
import org.locomov.tls.TlsAlpnAnswers;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Certificates from an ACME CA, kept fresh and shared by every node on the database: an RSA-2048 and a P-256
 * certificate for the configured names.
 *
 * <p>Every {@link AcmeSettings#pollInterval()} (and at start) the source reads the shared table and takes in
 * any newer certificate another node stored; then, for each key type that is missing, lacks a configured
 * name or is due for renewal ({@link RenewalPlanner}), it tries the database's renewal lock. Exactly one node
 * holds it; that node reads the table again (someone may just have finished), orders what is still due,
 * stores the result (keys sealed) and serves it; the others pick it up at their next poll. A failed order is
 * retried with exponential backoff and jitter ({@link RetryBackoff}), honouring the CA's {@code Retry-After},
 * for as long as it takes; each failure counts in {@value CertificateMetrics#RENEWAL_FAILURES}.
 *
 * <p>Until the first certificate of a key type is obtained, the {@code fallback} certificates (the development
 * CA's) are served, so listeners can start, and TLS-ALPN-01 can be answered, before the CA has issued
 * anything.
 *
 * <p>Threads: the constructor reads the table on the caller's thread; afterwards all state is touched by this
 * source's one daemon thread ({@code locomov-acme}), which also calls the listeners. {@link #current()} reads
 * an atomic reference from any thread.
 */
public final class AcmeCertificateSource implements CertificateSource {

    private static final Logger log = LoggerFactory.getLogger(AcmeCertificateSource.class);
    /** Counts certificates this node obtained from the CA, tagged by key type. */
    public static final String OBTAINED = "locomov.tls.certificates.obtained";

    private final AcmeSettings settings;
    private final ChallengeResponder responder;
    private final SharedTlsMaterial shared;
    private final CertificatePair fallback;
    private final Clock clock;
    private final AcmeSessions sessions;
    private final AcmeAccounts accounts;
    private final CertificateOrderer orderer;
    private final RenewalPlanner planner;
    private final RetryBackoff backoff;
    private final CertificateListeners listeners;
    private final Counter renewalFailures;
    private final Map<KeyType, Counter> obtained = new EnumMap<>(KeyType.class);
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("locomov-acme").daemon().factory());
    /** Per key type; touched by the constructor, then only by the worker thread. */
    private final Map<KeyType, KeyState> states = new EnumMap<>(KeyType.class);

    /** What this node knows about one key type's certificate and its renewal. */
    private static final class KeyState {
        ServerCertificate certificate;    // null until one is obtained or found in the table
        Instant renewAt;                  // null: to be planned
        Instant plannedAt;                // when renewAt was planned (renewal information is re-read after a while)
        int failuresInRow;
        Instant retryNotBefore;           // null: no failure to wait out
        Instant lastSuccessAt;
    }

    /**
     * Reads the certificates in force from the shared table; call {@link #start()} to begin ordering and
     * renewing.
     *
     * @param responder answers the configured challenge type: an {@link Http01Responder} already listening, or
     *                  the {@link TlsAlpnChallenges} the HTTPS API listener was built with
     * @param fallback  served until the CA has issued a certificate of each type
     * @throws CertificateFileException when {@code --acme-ca-trust} or {@code --tls-root-ca} cannot be read, or
     *                                  the stored certificates were sealed with another master key
     */
    public AcmeCertificateSource(AcmeSettings settings, SharedTlsMaterial shared, ChallengeResponder responder,
                                 CertificatePair fallback, MeterRegistry registry, Clock clock) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shared = Objects.requireNonNull(shared, "shared");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (responder.type() != settings.challenge()) {
            throw new IllegalArgumentException("--acme-challenge is " + settings.challenge() + " but the responder answers "
                    + responder.type());
        }
        this.responder = responder;
        this.sessions = new AcmeSessions(settings.directory(), settings.caTrustFile());
        this.accounts = new AcmeAccounts(settings, shared);
        this.orderer = new CertificateOrderer(responder, ChainSelection.from(settings), settings.orderTimeout());
        RandomGenerator random = RandomGenerator.getDefault();
        this.planner = new RenewalPlanner(random);
        this.backoff = new RetryBackoff(settings.firstRetryDelay(), settings.maxRetryDelay(), random);
        this.renewalFailures = Counter.builder(CertificateMetrics.RENEWAL_FAILURES)
                .description("Certificate orders or renewals that failed (each is retried)").register(registry);
        for (KeyType type : KeyType.values()) {
            states.put(type, new KeyState());
            obtained.put(type, Counter.builder(OBTAINED).description("Certificates this node obtained from the ACME CA")
                    .tag("keytype", type.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        try {
            adoptStored(true);
        } catch (SealedKeyException e) {
            throw new CertificateFileException(e.getMessage(), e);
        } catch (StoreException e) {
            log.warn("ACME: cannot read the shared certificates now ({}); serving what is at hand and retrying",
                    e.getMessage());
        }
        this.listeners = new CertificateListeners(pair());
    }

    @Override
    public Optional<TlsAlpnAnswers> tlsAlpnAnswers() {
        return responder instanceof TlsAlpnChallenges challenges ? Optional.of(challenges) : Optional.empty();
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
        log.info("ACME: certificates for {} from {} with {}; checking every {}", settings.describeDomains(),
                settings.directory(), settings.challenge(), settings.pollInterval());
        worker.scheduleWithFixedDelay(this::tick, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String describe() {
        CertificatePair served = current();
        return "ACME " + settings.directory() + " for " + settings.describeDomains() + " (" + settings.challenge() + "): "
                + (served.rsa() == fallback.rsa() ? "until the CA issues one, the development CA's certificates: " : "")
                + served.describe();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round on the worker thread: take in what other nodes stored, then order what is due. */
    private void tick() {
        try {
            boolean changed = adoptStored(false);
            List<KeyType> due = due(clock.instant());
            if (!due.isEmpty()) {
                changed |= renewUnderLock(due);
            }
            if (changed) {
                CertificatePair served = pair();
                log.info("ACME: new handshakes get {}", served.describe());
                listeners.announce(served);
            }
        } catch (SealedKeyException e) {
            log.error("ACME: cannot open the shared certificates: {}", e.getMessage());
        } catch (StoreException e) {
            log.warn("ACME: the shared certificate table is unreachable, will retry: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("ACME: unexpected failure, will retry in {} s", settings.pollInterval().toSeconds(), e);
        }
    }

    /** Takes stored certificates that are newer than ours (or the first ones); true when anything changed. */
    private boolean adoptStored(boolean atStart) throws SealedKeyException {
        boolean changed = false;
        for (KeyType type : KeyType.values()) {
            KeyState state = states.get(type);
            Optional<SharedTlsMaterial.Stored> stored;
            try {
                stored = shared.certificate(settings.directory(), type);
            } catch (IOException e) {
                log.error("ACME: the stored {} certificate is unreadable and will be replaced: {}", type, e.getMessage());
                continue;
            }
            if (stored.isEmpty()) {
                continue;
            }
            ServerCertificate candidate = stored.get().certificate();
            boolean newer = state.certificate == null || candidate.notAfter().isAfter(state.certificate.notAfter());
            if (newer && !candidate.leaf().equals(state.certificate == null ? null : state.certificate.leaf())) {
                state.certificate = candidate;
                state.renewAt = null;
                changed = true;
                if (!atStart) {
                    log.info("ACME: took in the {} certificate {} stored by {}", type, candidate.describe(),
                            stored.get().row().updatedBy());
                }
            }
        }
        return changed;
    }

    /** Key types to order now: missing, lacking a name, or past their planned renewal; not while backing off. */
    private List<KeyType> due(Instant now) {
        List<KeyType> due = new ArrayList<>();
        for (KeyType type : KeyType.values()) {
            KeyState state = states.get(type);
            if (state.retryNotBefore != null && now.isBefore(state.retryNotBefore)) {
                continue;
            }
            if (state.certificate == null || !coversDomains(state.certificate.leaf())) {
                due.add(type);
                continue;
            }
            if (state.renewAt == null || Duration.between(state.plannedAt, now).compareTo(settings.renewalInfoRefresh()) > 0) {
                state.renewAt = plan(state.certificate, now);
                state.plannedAt = now;
            }
            if (!now.isBefore(state.renewAt)) {
                due.add(type);
            }
        }
        return due;
    }

    /** Under the renewal lock: orders what is still due after reading the table again. */
    private boolean renewUnderLock(List<KeyType> due) throws SealedKeyException, InterruptedException {
        Optional<RenewalLock> lock = shared.tryLock(settings.directory());
        if (lock.isEmpty()) {
            log.debug("ACME: another node holds the renewal lock; its certificates will be picked up from the table");
            return false;
        }
        try (RenewalLock ignored = lock.get()) {
            boolean changed = adoptStored(false);
            List<KeyType> stillDue = due(clock.instant()).stream().filter(due::contains).toList();
            if (stillDue.isEmpty()) {
                return changed;
            }
            Login login;
            try {
                login = accounts.login(sessions.open());
            } catch (AcmeException | IOException e) {
                stillDue.forEach(type -> failed(type, "cannot log in to the ACME account: " + e.getMessage(), retryAfter(e)));
                return changed;
            }
            for (KeyType type : stillDue) {
                changed |= orderOne(login, type);
            }
            return changed;
        }
    }

    private boolean orderOne(Login login, KeyType type) throws InterruptedException {
        KeyState state = states.get(type);
        KeyPair keys = type == KeyType.RSA ? KeyPairs.rsa() : KeyPairs.p256();
        try {
            ServerCertificate issued = orderer.order(login, settings.domains(), keys,
                    state.certificate == null ? null : state.certificate.leaf());
            shared.saveCertificate(settings.directory(), issued);
            obtained.get(type).increment();
            Instant now = clock.instant();
            state.certificate = issued;
            state.failuresInRow = 0;
            state.retryNotBefore = null;
            state.lastSuccessAt = now;
            state.renewAt = plan(issued, now);
            state.plannedAt = now;
            saveRenewal(type, state, null, state.renewAt);
            return true;
        } catch (AcmeOrderException e) {
            failed(type, e.getMessage(), e.retryAfter());
        } catch (AcmeException | StoreException | IllegalArgumentException e) {
            failed(type, e.getMessage(), retryAfter(e));
        }
        return false;
    }

    private void failed(KeyType type, String reason, Optional<Instant> retryAfter) {
        KeyState state = states.get(type);
        Instant now = clock.instant();
        state.failuresInRow++;
        state.retryNotBefore = backoff.nextAttempt(state.failuresInRow, retryAfter, now);
        renewalFailures.increment();
        log.warn("ACME: ordering the {} certificate for {} failed ({} in a row); next attempt at {}: {}", type,
                settings.describeDomains(), state.failuresInRow, state.retryNotBefore, reason);
        saveRenewal(type, state, reason, state.retryNotBefore);
    }

    private void saveRenewal(KeyType type, KeyState state, String errorOrNull, Instant next) {
        try {
            shared.saveRenewal(new TlsRenewalRecord(SharedTlsMaterial.certificateName(settings.directory(), type),
                    clock.instant(), state.lastSuccessAt, state.failuresInRow, errorOrNull, next, shared.nodeName()));
        } catch (StoreException e) {
            log.warn("ACME: cannot record the renewal state: {}", e.getMessage());
        }
    }

    /** When to renew: the CA's renewal window when it offers one, else two thirds of the lifetime. */
    private Instant plan(ServerCertificate certificate, Instant now) {
        Optional<Instant> byWindow = renewalWindow(certificate.leaf(), now);
        Instant renewAt = byWindow.orElseGet(() -> planner.byLifetime(certificate.leaf()));
        log.info("ACME: {} certificate (not after {}) renews at {} ({})", certificate.keyType(), certificate.notAfter(),
                renewAt, byWindow.isPresent() ? "the CA's renewal information" : "two thirds of its lifetime");
        return renewAt;
    }

    private Optional<Instant> renewalWindow(X509Certificate leaf, Instant now) {
        try {
            Session session = sessions.open();
            if (session.resourceUrlOptional(Resource.RENEWAL_INFO).isEmpty()) {
                return Optional.empty();
            }
            Optional<KeyPair> account = shared.accountKey(settings.directory());
            if (account.isEmpty()) {
                return Optional.empty();
            }
            // Renewal information is fetched without signing; the login only binds the resource.
            Login login = new Login(settings.directory().toURL(), account.get(), session);
            RenewalInfo info = login.bindRenewalInfo(leaf);
            return Optional.of(planner.inWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(), now));
        } catch (AcmeException | IOException | SealedKeyException | RuntimeException e) {
            log.info("ACME: no renewal information from the CA ({}); renewing at two thirds of the lifetime", e.getMessage());
            return Optional.empty();
        }
    }

    private boolean coversDomains(X509Certificate leaf) {
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        List<String> dns = names.stream().filter(name -> Integer.valueOf(2).equals(name.get(0)))
                .map(name -> String.valueOf(name.get(1)).toLowerCase(Locale.ROOT)).toList();
        return dns.containsAll(settings.domains());
    }

    /** What to serve: the CA's certificates where there are some, the fallback's where not. */
    private CertificatePair pair() {
        ServerCertificate rsa = states.get(KeyType.RSA).certificate;
        ServerCertificate ec = states.get(KeyType.EC).certificate;
        if (rsa == null) {
            return new CertificatePair(fallback.rsa(), ec != null ? ec : fallback.ecOrNull());
        }
        return new CertificatePair(rsa, ec);
    }

    private static Optional<Instant> retryAfter(Exception e) {
        return e instanceof AcmeRateLimitedException limited ? limited.getRetryAfter() : Optional.empty();
    }
}
