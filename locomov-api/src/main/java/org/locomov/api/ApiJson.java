package org.locomov.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.time.Instant;
import org.locomov.core.session.DeviceSessions;
import org.locomov.core.Reading;
import org.locomov.core.command.Command;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.firmware.FirmwareJob;
import org.locomov.store.plane.EventRows.StoredEvent;
import org.locomov.store.plane.FirmwareRows.Firmware;
import org.locomov.store.DeviceAdmin.DeviceView;
import org.locomov.store.DeviceAdmin.LastReading;
import org.locomov.store.ReadingQueries.ReadingRow;

/**
 * The JSON the API sends: one record per document shape, so that field names are the API's and not
 * the store's. Times are ISO-8601 in UTC; absent values are {@code null}, not left out.
 */
final class ApiJson {

    private ApiJson() {
    }

    static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    record Creator(long id, String email) {
    }

    /** A device in lists and on its own; {@code clockSkewSeconds} is device time minus receipt time of the last reading. */
    record Device(long id, String name, String ssid, Long hash, Creator creator, Instant createdAt, Instant lastSeenAt,
                  boolean revoked, boolean online, LastReadingJson lastReading, BigDecimal clockSkewSeconds) {

        static Device of(DeviceView view, DeviceSessions connected) {
            Creator creator = view.creatorId() == null ? null : new Creator(view.creatorId(), view.creatorEmail());
            LastReading last = view.lastReading();
            return new Device(view.id(), view.name(), view.ssid(), view.hash(), creator, view.createdAt(), view.lastSeenAt(),
                    view.revoked(), connected.isOnline(view.id()), last == null ? null : LastReadingJson.of(last),
                    // Millisecond precision, written plainly: a double would come out as 2.7E8 for a clock years off.
                    last == null ? null : BigDecimal.valueOf(last.clockSkew().toMillis(), 3));
        }
    }

    record LastReadingJson(long id, Instant createdAt, Instant savedAt, Double voltage, Double frequency,
                           @JsonProperty("protected") Boolean protectedStatus, Double lat, Double lng) {

        static LastReadingJson of(LastReading last) {
            return new LastReadingJson(last.id(), last.createdAt(), last.savedAt(), last.voltage(), last.frequency(),
                    last.protectedStatus(), last.lat(), last.lng());
        }
    }

    /** A stored reading; {@code extra} holds the fields locomov does not know, as the device sent them. */
    record StoredReading(long id, long deviceId, Instant createdAt, Instant savedAt, Double voltage, Double frequency,
                         @JsonProperty("protected") Boolean protectedStatus, Double lat, Double lng,
                         @JsonRawValue String extra, String transport) {

        static StoredReading of(ReadingRow row) {
            return new StoredReading(row.id(), row.deviceId(), row.createdAt(), row.savedAt(), row.voltage(), row.frequency(),
                    row.protectedStatus(), row.lat(), row.lng(), row.extraJson(), row.transport());
        }
    }

    /** A reading as live events announce it, just after its commit (it has no row id here). */
    record LiveReading(long deviceId, Instant createdAt, Instant receivedAt, Double voltage, Double frequency,
                       @JsonProperty("protected") Boolean protectedStatus, Double lat, Double lng,
                       @JsonRawValue String extra, String transport) {

        static LiveReading of(Reading reading) {
            return new LiveReading(reading.deviceId(), reading.createdAt(), reading.receivedAt(), reading.voltage(),
                    reading.frequency(), reading.protectedStatus(), reading.lat(), reading.lng(), reading.extraJson(),
                    reading.transport().tag());
        }
    }

    /** A command as {@code POST/GET /api/v1/devices/{id}/commands} and the live stream show it. */
    record CommandJson(long id, long deviceId, String name, @JsonRawValue String payload, String status,
                       @JsonRawValue String response, Instant createdAt, Instant expiresAt, Instant answeredAt) {

        static CommandJson of(Command command) {
            return new CommandJson(command.id(), command.deviceId(), command.name(), command.payloadJson(),
                    command.status().wireName(), command.responseJson(), command.createdAt(), command.expiresAt(),
                    command.answeredAt());
        }
    }

    /** A stored device event, as listed. */
    record StoredEventJson(long id, long deviceId, String name, String data, Instant publishedAt, Instant savedAt,
                           String transport) {

        static StoredEventJson of(StoredEvent event) {
            return new StoredEventJson(event.id(), event.deviceId(), event.name(), event.data(), event.publishedAt(),
                    event.savedAt(), event.transport());
        }
    }

    /** A device event on the live stream. */
    record LiveDeviceEvent(long deviceId, String name, String data, Instant publishedAt, String transport) {

        static LiveDeviceEvent of(DeviceEvent event) {
            return new LiveDeviceEvent(event.deviceId(), event.name(), event.data(), event.publishedAt(),
                    event.transport().tag());
        }
    }

    /** A firmware image's description. */
    record FirmwareJson(long id, String name, String version, String sha256, long size, Instant uploadedAt,
                        String imagePath) {

        static FirmwareJson of(Firmware firmware) {
            return new FirmwareJson(firmware.id(), firmware.name(), firmware.version(), firmware.sha256Hex(),
                    firmware.size(), firmware.uploadedAt(), firmware.imagePath());
        }
    }

    /** An update job. */
    record FirmwareJobJson(long id, long deviceId, long firmwareId, String status, long bytes, String error,
                           Instant createdAt, Instant updatedAt, Instant finishedAt) {

        static FirmwareJobJson of(FirmwareJob job) {
            return new FirmwareJobJson(job.id(), job.deviceId(), job.firmwareId(), job.status().wireName(), job.bytes(),
                    job.error(), job.createdAt(), job.updatedAt(), job.finishedAt());
        }
    }
}
