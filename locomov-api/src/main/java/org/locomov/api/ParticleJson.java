package org.locomov.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locomov.core.session.DeviceDescription;
import org.locomov.store.ParticleCloudDevices.View;

/**
 * The JSON documents of the Particle Cloud API, with Particle's field names (snake case) and the fields its
 * clients read. A Spark Core is platform and product 0.
 */
final class ParticleJson {

    static final int CORE_PLATFORM_ID = 0;
    /** Particle's default event time to live, in seconds; locomov keeps none, so it is only shown. */
    static final int EVENT_TTL_SECONDS = 60;

    private ParticleJson() {
    }

    /** A device as {@code GET /v1/devices} lists it. */
    static Map<String, Object> device(View view, boolean connected) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", view.particleId());
        json.put("name", view.name());
        json.put("last_app", null);
        json.put("last_ip_address", null);
        json.put("last_heard", time(view.lastHeardAt()));
        json.put("product_id", CORE_PLATFORM_ID);
        json.put("connected", connected);
        json.put("online", connected);
        json.put("platform_id", CORE_PLATFORM_ID);
        json.put("cellular", false);
        json.put("notes", null);
        json.put("status", view.revoked() ? "revoked" : "normal");
        json.put("locomov_id", view.deviceId());
        return json;
    }

    /** One device with what it offers, as {@code GET /v1/devices/:id} shows it. */
    static Map<String, Object> deviceDetail(View view, boolean connected, DeviceDescription description) {
        Map<String, Object> json = device(view, connected);
        json.put("functions", description.functions());
        json.put("variables", description.variables());
        return json;
    }

    /** The {@code data:} of an event in an event stream. */
    static Map<String, Object> event(String data, Instant publishedAt, String coreid) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data);
        json.put("ttl", EVENT_TTL_SECONDS);
        json.put("published_at", time(publishedAt));
        json.put("coreid", coreid);
        return json;
    }

    /** Particle writes times with milliseconds and a Z. */
    static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
