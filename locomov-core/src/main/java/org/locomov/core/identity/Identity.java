package org.locomov.core.identity;

import java.util.Objects;
import org.locomov.core.Refusal;

/** What {@link DeviceIdentity} makes of a credential: the device it belongs to, or why it was refused. */
public sealed interface Identity {

    /**
     * A recognised device.
     *
     * @param deviceId   its {@code pub_id}
     * @param credential what proved it
     */
    record Identified(long deviceId, Credential credential) implements Identity {

        public Identified {
            Objects.requireNonNull(credential, "credential");
        }
    }

    /** A credential that proves nothing: unknown, revoked, malformed, from an untrusted CA. */
    record Refused(Refusal refusal) implements Identity {

        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    /** How a device proved who it is. */
    enum Credential { CERTIFICATE, TOKEN, PSK }
}
