package org.locomov.core.identity;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Turns what a device presents into the device it is, or a refusal with a reason: a client certificate
 * chain, an access token, or a PSK identity. Every transport asks this one interface, so a device is
 * recognised the same way on mov, MQTT, CoAP and the API, and a revocation or a newly registered
 * operator CA holds on all of them.
 *
 * <p>Certificates are trusted when they chain to locomov's device CA or to an operator CA registered in
 * the database ({@code locomov ca register}, or {@code --device-ca-trust}); the CN is the device id.
 * An operator CA registered with auto-provision creates the unknown device its valid certificate names.
 * Revoked credentials, and every credential of a revoked device, are refused.
 *
 * <p>Thread-safe and non-blocking: answers that need the database complete later on another thread;
 * a future fails only with {@link org.locomov.core.StorageUnavailableException} (the database could
 * not answer; the device should retry), never for bad credentials, which are a {@link Identity.Refused}.
 */
public interface DeviceIdentity {

    /**
     * The device a client certificate chain names. The chain is leaf first, as the TLS stack received it
     * (already verified against {@link #trustAnchors()} when the handshake checked it).
     */
    CompletableFuture<Identity> byCertificate(List<X509Certificate> chain);

    /** The device whose id and access token these are (MQTT username and password, for example). */
    CompletableFuture<Identity> byToken(long deviceId, String token);

    /** The device whose access token this is, when nothing else names it (a query parameter, a bearer token). */
    CompletableFuture<Identity> byToken(String token);

    /** The device and its key for a DTLS PSK identity ({@code device credentials} issues them). */
    CompletableFuture<PskLookup> byPskIdentity(String pskIdentity);

    /** The CAs a TLS or DTLS stack should accept client certificates from right now: the device CA first. */
    List<X509Certificate> trustAnchors();

    /**
     * Calls {@code listener} (on a thread of the implementation's; it must not block) whenever
     * {@link #trustAnchors()} changes: an operator CA was registered or removed, on this node or another.
     */
    void onTrustAnchorsChanged(Runnable listener);
}
