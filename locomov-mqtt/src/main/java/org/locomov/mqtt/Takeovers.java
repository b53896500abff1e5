package org.locomov.mqtt;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT session per device on this listener: a device that connects again while its older connection is
 * still open (a reboot the broker has not noticed yet) takes over, and the older one is closed, as MQTT's
 * client-identifier takeover does, keyed here by device rather than client id. Across nodes the same is done
 * by {@link org.locomov.core.session.DeviceSessions} for sessions that say they are exclusive.
 *
 * <p>Thread-safe: a concurrent map touched by every event loop of the listener.
 */
final class Takeovers {

    private static final Logger log = LoggerFactory.getLogger(Takeovers.class);

    private final String listener;
    private final ConcurrentMap<Long, MqttDeviceSession> current = new ConcurrentHashMap<>();

    Takeovers(String listener) {
        this.listener = listener;
    }

    /** {@code session} is now its device's session here; an older one is closed. */
    void claim(MqttDeviceSession session) {
        MqttDeviceSession older = current.put(session.deviceId(), session);
        if (older != null && older != session) {
            log.info("{}: device {} connected again from {}; closing its older session from {}", listener,
                    session.deviceId(), session.peer(), older.peer());
            older.takenOver();
        }
    }

    /** {@code session} ended; its device has no session here unless a newer one took over. */
    void release(MqttDeviceSession session) {
        current.remove(session.deviceId(), session);
    }
}
