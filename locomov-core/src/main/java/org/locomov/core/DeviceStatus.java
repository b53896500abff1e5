package org.locomov.core;

/** What the {@link DeviceDirectory} says about a device id presented by a transport. */
public enum DeviceStatus {
    /** Registered (or just auto-registered) and allowed to send. */
    KNOWN,
    /** Not registered, and the server does not auto-register. */
    UNKNOWN,
    /** Registered, but its credentials were revoked. */
    REVOKED
}
