package org.locomov.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.locomov.store.Device;

/** {@code device list}'s output: one aligned line per device, times in UTC. */
final class DeviceTable {

    private static final DateTimeFormatter UTC_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ROW = "%-20s %-24s %-18s %-18s %s";

    private DeviceTable() {
    }

    static String render(List<Device> devices) {
        if (devices.isEmpty()) {
            return "no devices registered; add one with: locomov device add --id N";
        }
        StringBuilder table = new StringBuilder(String.format(ROW, "ID", "NAME", "ADDED", "LAST SEEN", "STATE"));
        for (Device device : devices) {
            table.append('\n').append(String.format(ROW, device.pubId(), orDash(device.name()),
                    time(device.createdAt()), time(device.lastSeenAt()), device.revoked() ? "revoked" : "active"));
        }
        return table.toString();
    }

    private static String orDash(String text) {
        return text == null || text.isBlank() ? "-" : text;
    }

    private static String time(Instant instant) {
        return instant == null ? "never" : UTC_MINUTES.format(instant);
    }
}
