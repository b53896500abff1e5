package org.locomov.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.ReadingQueries;
import org.locomov.store.ReadingQueries.Aggregate;
import org.locomov.store.ReadingQueries.Order;
import org.locomov.store.ReadingQueries.Page;
import org.locomov.store.ReadingQueries.TimeRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/devices/{id}/readings?from&to&limit&order&cursor} — one route, three answers:
 * <ul>
 *   <li>a page of readings (JSON) with an opaque {@code next} cursor, newest first by default;</li>
 *   <li>with {@code every=5m&agg=avg|min|max|count}, time buckets computed by PostgreSQL;</li>
 *   <li>with {@code Accept: text/csv}, every reading of the range streamed as CSV.</li>
 * </ul>
 */
final class ReadingRoutes implements RouteGroup {

    private static final Logger log = LoggerFactory.getLogger(ReadingRoutes.class);

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1_000;
    static final int MAX_BUCKETS = 10_000;
    static final Duration MIN_BUCKET = Duration.ofSeconds(1);
    static final Duration MAX_BUCKET = Duration.ofDays(366);

    private final Authenticator auth;
    private final DeviceAdmin devices;
    private final ReadingQueries readings;

    ReadingRoutes(Authenticator auth, DeviceAdmin devices, ReadingQueries readings) {
        this.auth = auth;
        this.devices = devices;
        this.readings = readings;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/devices/{id}/readings", auth.require(this::readings));
    }

    private void readings(Context ctx, Caller caller) {
        long deviceId = Params.pathLong(ctx, "id");
        if (devices.find(deviceId, caller.deviceScope()).isEmpty()) {
            throw DeviceRoutes.notFound(deviceId);
        }
        TimeRange range = range(ctx);
        Order order = order(ctx);
        boolean csv = wantsCsv(ctx);
        if (ctx.queryParam("every") != null) {
            if (csv) {
                throw ApiProblem.badRequest("buckets (every=) are answered as JSON only");
            }
            buckets(ctx, deviceId, range);
        } else if (csv) {
            csv(ctx, deviceId, range, order);
        } else {
            page(ctx, deviceId, range, order);
        }
    }

    private void page(Context ctx, long deviceId, TimeRange range, Order order) {
        int limit = Params.queryInt(ctx, "limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        String cursor = ctx.queryParam("cursor");
        Page page = readings.page(deviceId, range, order, limit,
                cursor == null || cursor.isEmpty() ? null : ReadingCursor.decode(cursor, order));
        Map<String, Object> body = new HashMap<>();
        body.put("readings", page.rows().stream().map(ApiJson.StoredReading::of).toList());
        body.put("next", page.next() == null ? null : ReadingCursor.encode(page.next(), order));
        ctx.json(body);
    }

    private void buckets(Context ctx, long deviceId, TimeRange range) {
        Duration every = Params.queryWidth(ctx, "every", MIN_BUCKET, MAX_BUCKET);
        String aggName = ctx.queryParam("agg") == null ? "avg" : ctx.queryParam("agg");
        Aggregate aggregate = Aggregate.parse(aggName)
                .orElseThrow(() -> ApiProblem.badRequest("agg must be avg, min, max or count, was '" + aggName + "'"));
        var buckets = readings.buckets(deviceId, range, every, aggregate, MAX_BUCKETS);
        Map<String, Object> body = new HashMap<>();
        body.put("every", ctx.queryParam("every"));
        body.put("everySeconds", every.toSeconds());
        body.put("agg", aggregate.label());
        body.put("buckets", buckets);
        body.put("truncated", buckets.size() == MAX_BUCKETS);
        ctx.json(body);
    }

    /**
     * Streams the range as it is read from PostgreSQL's cursor: rows go through a small buffer straight
     * to the response, which Jetty sends chunked, so memory does not grow with the range.
     */
    private void csv(Context ctx, long deviceId, TimeRange range, Order order) {
        ctx.status(200)
                .contentType("text/csv; charset=utf-8")
                .header(Header.CONTENT_DISPOSITION, "attachment; filename=\"device-" + deviceId + "-readings.csv\"");
        try (ReadingCsvWriter writer = new ReadingCsvWriter(ctx.outputStream())) {
            writer.header();
            long rows = readings.stream(deviceId, range, order, writer::row);
            log.debug("CSV export of device {} to {}: {} readings", deviceId, ctx.ip(), rows);
        } catch (IOException e) {
            // The client went away; the cursor is closed and its transaction rolled back by now.
            log.info("CSV export of device {} to {} ended early: {}", deviceId, ctx.ip(), e.getMessage());
        }
    }

    private static TimeRange range(Context ctx) {
        Instant from = Params.queryInstant(ctx, "from");
        Instant to = Params.queryInstant(ctx, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiProblem.badRequest("from must be before to");
        }
        return new TimeRange(from, to);
    }

    private static Order order(Context ctx) {
        String order = ctx.queryParam("order");
        if (order == null || order.isEmpty()) {
            return Order.DESC;
        }
        return switch (order.toLowerCase(Locale.ROOT)) {
            case "desc" -> Order.DESC;
            case "asc" -> Order.ASC;
            default -> throw ApiProblem.badRequest("order must be asc or desc, was '" + order + "'");
        };
    }

    private static boolean wantsCsv(Context ctx) {
        String accept = ctx.header(Header.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }
}
