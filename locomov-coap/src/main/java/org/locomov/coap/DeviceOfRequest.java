package org.locomov.coap;

import java.security.Principal;
import java.util.Map;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.AdditionalInfo;
import org.eclipse.californium.elements.auth.ExtensiblePrincipal;
import org.eclipse.californium.scandium.auth.ApplicationLevelInfoSupplier;

/**
 * Which device a DTLS session belongs to: the device id {@link DevicePskStore} or
 * {@link DeviceCertificateVerifier} found during the handshake is attached to the session's principal here, and
 * read back from every request's endpoint context. Stateless.
 */
final class DeviceOfRequest implements ApplicationLevelInfoSupplier {

    private static final String DEVICE_ID = "locomov.device";

    @Override
    public AdditionalInfo getInfo(Principal peerIdentity, Object customArgument) {
        return customArgument instanceof Long deviceId ? AdditionalInfo.from(Map.of(DEVICE_ID, deviceId))
                : AdditionalInfo.empty();
    }

    /** The device the DTLS session of {@code context} proved, or {@code null} (plain CoAP, no DTLS). */
    static Long deviceOf(EndpointContext context) {
        Principal principal = context.getPeerIdentity();
        if (principal instanceof ExtensiblePrincipal<?> extensible) {
            return extensible.getExtendedInfo().get(DEVICE_ID, Long.class);
        }
        return null;
    }
}
