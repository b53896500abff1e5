package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OperationsTest {

    private static final AtomicBoolean movUp = new AtomicBoolean(true);
    private static final AtomicLong daysLeft = new AtomicLong(80);
    private static ApiFixture api;
    private static PrometheusMeterRegistry prometheus;

    @BeforeAll
    static void start() {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        prometheus.counter("locomov.readings.committed", "transport", "mov").increment(3);
        api = ApiFixture.start(ApiFixture.TEST_SETTINGS, prometheus,
                new HealthSources(() -> Map.of("mov", movUp.get(), "api", true), daysLeft::get));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void healthIsUpWhenDatabaseListenersAndCertificatesAre() {
        movUp.set(true);
        daysLeft.set(80);

        HttpResponse<String> response = api.get("/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = api.json(response);
        assertThat(health.path("status").asText()).isEqualTo("up");
        assertThat(health.path("database").path("reachable").asBoolean()).isTrue();
        assertThat(health.path("listeners").path("mov").asBoolean()).isTrue();
        assertThat(health.path("certificate").path("daysLeft").asLong()).isEqualTo(80);
    }

    @Test
    void healthIs503AndSaysWhichListenerIsDown() {
        movUp.set(false);
        try {
            HttpResponse<String> response = api.get("/health", null);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(api.json(response).path("status").asText()).isEqualTo("down");
            assertThat(api.json(response).path("listeners").path("mov").asBoolean()).isFalse();
        } finally {
            movUp.set(true);
        }
    }

    @Test
    void healthIs503OnceTheCertificateHasExpired() {
        daysLeft.set(-1);
        try {
            assertThat(api.get("/health", null).statusCode()).isEqualTo(503);
        } finally {
            daysLeft.set(80);
        }
    }

    @Test
    void metricsArePrometheusText() {
        HttpResponse<String> response = api.get("/metrics", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body()).contains("locomov_readings_committed_total{transport=\"mov\"} 3.0");
        assertThat(response.body()).contains("locomov_api_events_subscribers");
    }
}
