package org.locomov.coap;

import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.Identity;

/**
 * Who sent a request. On DTLS the handshake proved it ({@link DeviceOfRequest}); on the plain lab port the
 * request carries its device's access token as {@code ?token=}, checked with {@link DeviceIdentity#byToken}.
 * Stateless.
 */
final class RequestDevice {

    private static final CompletableFuture<Identity> NO_CREDENTIAL = CompletableFuture.completedFuture(
            new Identity.Refused(Refusal.of(RefusalKind.BAD_CREDENTIALS,
                    "no device credential: use DTLS, or give the device token as ?token=")));

    private final DeviceIdentity identity;

    RequestDevice(DeviceIdentity identity) {
        this.identity = identity;
    }

    CompletableFuture<Identity> of(CoapExchange exchange) {
        Long device = DeviceOfRequest.deviceOf(exchange.advanced().getRequest().getSourceContext());
        if (device != null) {
            return CompletableFuture.completedFuture(new Identity.Identified(device,
                    exchange.advanced().getRequest().getSourceContext().getPeerIdentity() instanceof
                            org.eclipse.californium.elements.auth.PreSharedKeyIdentity
                            ? Identity.Credential.PSK : Identity.Credential.CERTIFICATE));
        }
        if (exchange.advanced().getRequest().getSourceContext().getPeerIdentity() != null) {
            return NO_CREDENTIAL; // a DTLS session without a device: cannot happen with the verifiers installed
        }
        for (String query : exchange.getRequestOptions().getUriQuery()) {
            if (query.startsWith("token=")) {
                return identity.byToken(query.substring("token=".length()));
            }
        }
        return NO_CREDENTIAL;
    }
}
