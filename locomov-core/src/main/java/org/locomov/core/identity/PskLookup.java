package org.locomov.core.identity;

import java.util.Objects;
import org.locomov.core.Refusal;

/** What {@link DeviceIdentity#byPskIdentity} found: the device and its pre-shared key, or a refusal. */
public sealed interface PskLookup {

    /**
     * @param deviceId the device whose PSK identity it is
     * @param key      the key's bytes; the caller must not keep or log it longer than the handshake needs
     */
    record Found(long deviceId, byte[] key) implements PskLookup {

        public Found {
            Objects.requireNonNull(key, "key");
        }

        /** Never the key. */
        @Override
        public String toString() {
            return "PskLookup.Found[device " + deviceId + "]";
        }
    }

    /** No live PSK has this identity (unknown, revoked, or its device is revoked). */
    record Refused(Refusal refusal) implements PskLookup {

        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }
}
