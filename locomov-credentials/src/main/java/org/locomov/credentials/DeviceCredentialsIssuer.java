package org.locomov.credentials;

import org.locomov.tls.*;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.DeviceCredentialRepository.CertificateRecord;
import org.locomov.store.DeviceCredentialRepository.IssuedSet;
import org.locomov.store.DeviceCredentialRepository.Recorded;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues a device's credentials and records them: a new key pair and a client certificate from the
 * {@link DeviceCa}, a random PSK sealed under the {@link MasterKey} (a DTLS-PSK server needs the key itself,
 * so it cannot be a one-way hash), a random access token kept as its SHA-256. Issuing again replaces the
 * earlier set (see {@link DeviceCredentialRepository#recordIssued}).
 *
 * <p>Thread-safe: immutable; each call makes its own keys.
 */
public final class DeviceCredentialsIssuer {

    /** Random bytes behind a PSK: 256 bits. */
    public static final int PSK_RANDOM_BYTES = 32;
    /**
     * Characters of an issued PSK: the random bytes in base64url without padding. libcoap's clients take the
     * key as text ({@code -k}), so the key is that text's bytes (docs/decisions/1401).
     */
    public static final int PSK_TEXT_CHARS = 43;
    /** Every device token starts with this, so a leaked one is recognisable (user API tokens start {@code lm_}). */
    public static final String TOKEN_PREFIX = "lmd_";
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Credentials just issued, and what recording them replaced. */
    public record Issued(DeviceCredentials credentials, int replacedSets, boolean deviceWasRevoked) {
    }

    private final DeviceCa ca;
    private final MasterKey masterKey;
    private final DeviceCredentialRepository repository;
    private final Clock clock;

    public DeviceCredentialsIssuer(DeviceCa ca, MasterKey masterKey, DeviceCredentialRepository repository, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Issues and records credentials for device {@code deviceId}.
     *
     * @return empty when the device is not registered; nothing is recorded then
     */
    public Optional<Issued> issue(long deviceId, KeyType keyType) {
        Objects.requireNonNull(keyType, "keyType");
        Instant now = clock.instant();
        KeyPair keys = keyType.newKeyPair();
        X509Certificate certificate = ca.issueClientCertificate(deviceId, keys.getPublic(), now);
        byte[] psk = printablePsk();
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random(TOKEN_BYTES));
        IssuedSet set = new IssuedSet(deviceId, record(certificate, keyType),
                masterKey.seal(psk, DeviceCredentialRepository.pskContext(deviceId)), masterKey.id(),
                tokenSha256(token));
        Optional<Recorded> recorded = repository.recordIssued(set);
        return recorded.map(r -> new Issued(new DeviceCredentials(deviceId, certificate, keys.getPrivate(), psk, token),
                r.replacedSets(), r.deviceWasRevoked()));
    }

    /** The hash a device token is kept and looked up by. */
    public static byte[] tokenSha256(String token) {
        return Fingerprints.sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    static CertificateRecord record(X509Certificate certificate, KeyType keyType) {
        return new CertificateRecord(Fingerprints.sha256(certificate), certificate.getSerialNumber().toString(16),
                certificate.getNotAfter().toInstant(), keyType == null ? "other" : keyType.name());
    }

    /** A PSK whose bytes are printable ASCII, so it can be typed or passed as text; old binary PSKs still open. */
    static byte[] printablePsk() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(PSK_RANDOM_BYTES))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
