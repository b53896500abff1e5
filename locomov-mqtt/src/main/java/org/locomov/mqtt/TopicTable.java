package org.locomov.mqtt;

/**
 * Which topics a device may publish and subscribe to, as a table rather than a chain of {@code if}s: every
 * topic is {@code devices/{id}/<suffix>}, and the suffix says what it carries. A device may use only its own
 * id. Stateless.
 */
final class TopicTable {

    static final String PREFIX = "devices/";
    static final String EVENTS = "events/";

    /** What a published topic carries. */
    enum Route {
        READINGS("readings"),
        EVENT(null),
        COMMAND_RESPONSE("commands/response"),
        FIRMWARE_STATUS("firmware/status"),
        /** {@code devices/{other id}/...}: refused (not authorised). */
        OTHER_DEVICE(null),
        /** Anything else: refused (topic name invalid). */
        UNKNOWN(null);

        private final String suffix;

        Route(String suffix) {
            this.suffix = suffix;
        }
    }

    /** What a subscription delivers. */
    enum Subscription {
        COMMANDS("commands"),
        FIRMWARE("firmware"),
        REFUSED(null);

        private final String suffix;

        Subscription(String suffix) {
            this.suffix = suffix;
        }
    }

    /** A published topic's route, and the event name for {@link Route#EVENT}. */
    record Target(Route route, String eventName) {
    }

    private TopicTable() {
    }

    static Target route(String topic, long deviceId) {
        String suffix = ownSuffix(topic, deviceId);
        if (suffix == null) {
            return new Target(topic != null && topic.startsWith(PREFIX) ? Route.OTHER_DEVICE : Route.UNKNOWN, null);
        }
        if (suffix.startsWith(EVENTS) && validEventName(suffix.substring(EVENTS.length()))) {
            return new Target(Route.EVENT, suffix.substring(EVENTS.length()));
        }
        for (Route route : Route.values()) {
            if (suffix.equals(route.suffix)) {
                return new Target(route, null);
            }
        }
        return new Target(Route.UNKNOWN, null);
    }

    static Subscription subscription(String filter, long deviceId) {
        String suffix = ownSuffix(filter, deviceId);
        for (Subscription subscription : Subscription.values()) {
            if (suffix != null && suffix.equals(subscription.suffix)) {
                return subscription;
            }
        }
        return Subscription.REFUSED;
    }

    /** The topic of what a subscription delivers to {@code deviceId}. */
    static String topicOf(Subscription subscription, long deviceId) {
        return PREFIX + deviceId + "/" + subscription.suffix;
    }

    static String readingsTopic(long deviceId) {
        return PREFIX + deviceId + "/" + Route.READINGS.suffix;
    }

    /** The part after {@code devices/{deviceId}/}, or null when the topic is not the device's own. */
    private static String ownSuffix(String topic, long deviceId) {
        String own = PREFIX + deviceId + "/";
        return topic != null && topic.startsWith(own) ? topic.substring(own.length()) : null;
    }

    private static boolean validEventName(String name) {
        return !name.isEmpty() && name.length() <= org.locomov.core.event.DeviceEvent.MAX_NAME_LENGTH
                && name.indexOf('/') < 0 && name.indexOf('+') < 0 && name.indexOf('#') < 0;
    }
}
