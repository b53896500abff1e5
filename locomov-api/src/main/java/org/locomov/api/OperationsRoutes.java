package org.locomov.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Routes for operators and tools, without a token: {@code /health} (200 when everything is up, else
 * 503, with the details as JSON), {@code /metrics} (Prometheus text) and {@code /api/v1/openapi.json}.
 * They reveal no readings, devices or users (docs/decisions/0603-operations-endpoints.md).
 */
final class OperationsRoutes implements RouteGroup {

    /** How long {@code /health} waits for the database before calling it unreachable. */
    static final Duration DATABASE_CHECK_TIMEOUT = Duration.ofSeconds(2);
    static final String OPENAPI_RESOURCE = "/org/locomov/api/openapi.json";

    private final DataSource dataSource;
    private final HealthSources health;
    private final PrometheusMeterRegistry prometheus;
    private final byte[] openApi;

    OperationsRoutes(DataSource dataSource, HealthSources health, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.health = health;
        this.prometheus = prometheusIn(registry);
        this.openApi = readOpenApi();
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/metrics", this::metrics);
        routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    }

    private void health(Context ctx) {
        boolean database = databaseReachable();
        Map<String, Boolean> listeners = health.listenersUp().get();
        long daysLeft = health.certificateDaysLeft().getAsLong();
        boolean up = database && listeners.values().stream().allMatch(Boolean::booleanValue) && daysLeft >= 0;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("database", Map.of("reachable", database));
        body.put("listeners", listeners);
        body.put("certificate", Map.of("daysLeft", daysLeft));
        ctx.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }

    private boolean databaseReachable() {
        CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid((int) DATABASE_CHECK_TIMEOUT.toSeconds());
            } catch (Exception e) {
                return false;
            }
        }, runnable -> Thread.ofVirtual().name("locomov-api-health").start(runnable));
        try {
            return check.get(DATABASE_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void metrics(Context ctx) {
        if (prometheus == null) {
            throw ApiProblem.notFound("this server does not export Prometheus metrics");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape());
    }

    /** The registry itself when it is a Prometheus one, or the Prometheus one inside a composite; else null. */
    static PrometheusMeterRegistry prometheusIn(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return prometheus;
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                PrometheusMeterRegistry found = prometheusIn(member);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static byte[] readOpenApi() {
        try (InputStream in = OperationsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
