package org.locomov.particle;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.locomov.particle.coap.CoapMessage;
import org.locomov.particle.keys.ParticleIds;

/**
 * One subscription a device made ({@code CON GET /e/PREFIX}), in the scopes of Particle's firmware: no Uri-Query
 * asks for every device's events (ALL_DEVICES), a Uri-Query {@code u} for its owner's devices only (MY_DEVICES),
 * a 24-hex device id as payload for that device's only. {@link #admits} is the routing rule of decision 1541.
 *
 * @param prefix          the event names it wants start with this ("" for all)
 * @param myDevicesOnly   MY_DEVICES: only events of devices (and users) of its own owner
 * @param fromParticleId  only events of this device; {@code null} for any device
 */
record EventSubscription(String prefix, boolean myDevicesOnly, String fromParticleId) {

    EventSubscription {
        Objects.requireNonNull(prefix, "prefix");
    }

    /** The subscription a GET on {@code /e/...} or {@code /E/...} asks for. */
    static EventSubscription of(CoapMessage get) {
        List<String> path = get.path();
        String prefix = String.join("/", path.subList(1, path.size()));
        byte[] query = get.query();
        boolean myDevices = query != null && new String(query, StandardCharsets.UTF_8).contains("u");
        return new EventSubscription(prefix, myDevices, deviceFilter(get));
    }

    /** The device id a subscription's payload names; a payload that is not one is ignored, as spark-protocol did. */
    private static String deviceFilter(CoapMessage get) {
        if (get.payloadLength() == 0) {
            return null;
        }
        try {
            return ParticleIds.parse(new String(get.payload(), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    /**
     * Whether a device owned by {@code subscriberOwner} (null: nobody) receives the event through this subscription.
     * A private event reaches only devices of the same owner; a public one reaches every ALL_DEVICES subscription
     * and the MY_DEVICES subscriptions of the same owner. Unclaimed devices have no owner and share nothing private.
     *
     * @param eventOwner       the publishing device's owner or the publishing user; null when nobody
     * @param sourceParticleId the publishing device's Particle id; null for a user's event or another transport's
     */
    boolean admits(String name, boolean isPrivate, Long eventOwner, String sourceParticleId, Long subscriberOwner) {
        if (!name.startsWith(prefix)) {
            return false;
        }
        if (fromParticleId != null && !fromParticleId.equals(sourceParticleId)) {
            return false;
        }
        boolean sameOwner = eventOwner != null && eventOwner.equals(subscriberOwner);
        return isPrivate || myDevicesOnly ? sameOwner : true;
    }
}
