package org.locomov.core;

import java.util.Objects;

/**
 * Something a device sent that was not accepted, with the reason: a packet that was not stored, a
 * credential that was refused, a message a transport cannot take. Bad input becomes one of these,
 * never an exception: decoders return it, identity checks complete with it, and each transport turns
 * it into its own protocol's reply in one place (mov: {@code Error: <reason>}, MQTT: a reason code,
 * CoAP: a 4.xx response).
 *
 * @param kind     the short code and whether the connection is closed afterwards
 * @param reason   one line for the client and the log; safe to show (no internals)
 * @param deviceId the device the packet claimed to come from; nullable when not (yet) known
 */
public record Refusal(RefusalKind kind, String reason, Long deviceId) {

    /** Longest reason sent; a database message may be long and the device has a small buffer. */
    public static final int MAX_REASON_CHARS = 200;

    public Refusal {
        Objects.requireNonNull(kind, "kind");
        reason = oneLine(Objects.requireNonNull(reason, "reason"));
    }

    public static Refusal of(RefusalKind kind, String reason) {
        return new Refusal(kind, reason, null);
    }

    /** This refusal, naming the device the packet came from. */
    public Refusal forDevice(long id) {
        return new Refusal(kind, reason, id);
    }

    /** True when nothing the client sends next on this connection can succeed. */
    public boolean closesConnection() {
        return kind.closesConnection();
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("[\\r\\n\\t\\x00]+", " ").strip();
        return flat.length() <= MAX_REASON_CHARS ? flat : flat.substring(0, MAX_REASON_CHARS) + "...";
    }
}
