package org.locomov.core.session;

import java.util.concurrent.CompletableFuture;
import org.locomov.core.command.Command;
import org.locomov.core.firmware.FirmwareOffer;

/**
 * One identified device connection, as its transport offers it to the device plane: who it is, what it
 * can take right now, and how to hand it a command or a firmware update. A transport creates one when a
 * connection has proved its device and opens it in {@link DeviceSessions}.
 *
 * <p>Implementations are called from any thread (the command dispatcher, the API, notification threads)
 * and must not block: they hand the work to their connection's event loop and complete the futures from
 * there.
 */
public interface DeviceSession {

    /** The device's {@code pub_id}. */
    long deviceId();

    /** The listener it came in on ({@code mov}, {@code mqtt}, ...). */
    String listener();

    /** The peer's address, for logs. */
    String peer();

    /**
     * True when only one session of this device may be open on this listener: opening a second one closes
     * the first, on whichever node it is (MQTT's session takeover). Default: false (mov devices may hold
     * several connections).
     */
    default boolean exclusive() {
        return false;
    }

    /** Whether the device takes commands now (MQTT: it subscribed to its commands topic). Default: no. */
    default boolean takesCommands() {
        return false;
    }

    /** Whether the device takes firmware updates now. Default: no. */
    default boolean takesFirmware() {
        return false;
    }

    /**
     * Hands {@code command} to the device. The future completes once the transport has sent it (the
     * device's answer comes back through {@link org.locomov.core.command.Commands#answer}), or fails when it
     * could not be sent (the connection closed meanwhile). Only called while {@link #takesCommands()}.
     */
    default CompletableFuture<Void> deliver(Command command) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(listener() + " takes no commands"));
    }

    /**
     * Hands a firmware update to the device: the transport either carries it out (Particle OTA) or tells the
     * device where to fetch it; progress comes back through {@link org.locomov.core.firmware.FirmwareJobs#report}.
     * Only called while {@link #takesFirmware()}.
     */
    default CompletableFuture<Void> offer(FirmwareOffer offer) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(listener() + " takes no firmware"));
    }

    /** Ends the session (another took over, the device was revoked or deleted), naming why in the log. */
    void close(String reason);
}
