package org.locomov.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.locomov.store.ConfoRepository;

/**
 * {@code GET /api/v1/confo?deviceName=N&ssid=S}: the phone app's last step of provisioning. It asks for
 * the hash of the device it just configured, by the name and SSID it gave it, and gets
 * {@code {"hash": H}} from the newest confirmation that device posted to the confo listener within
 * {@code maxAge}; 404 when there is none.
 *
 * <p>The app has no user token, so the route is open; instead each client address may ask
 * {@code requestsPerMinute} times a minute (429 with {@code Retry-After} beyond that), and only recent
 * confirmations answer, which keeps guessing names and SSIDs slow and short-lived
 * (docs/decisions/0902-confo-query-open-and-rate-limited.md).
 */
final class ConfoRoutes implements RouteGroup {

    private final ConfoRepository confos;
    private final AddressRateLimiter limiter;
    private final Duration maxAge;

    ConfoRoutes(ConfoRepository confos, AddressRateLimiter limiter, Duration maxAge) {
        this.confos = Objects.requireNonNull(confos, "confos");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/confo", this::hashOfConfirmedDevice);
    }

    private void hashOfConfirmedDevice(Context ctx) {
        // Every request counts, a bad or unanswered one too: that is what makes guessing slow.
        if (limiter.take(ctx.ip()) instanceof AddressRateLimiter.Limited(Duration retryAfter)) {
            long seconds = Math.max(1, retryAfter.plusMillis(999).toSeconds());
            ctx.header("Retry-After", Long.toString(seconds));
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
                    "at most " + limiter.requestsPerMinute() + " confirmation queries a minute; retry in " + seconds + " s");
        }
        String deviceName = required(ctx, "deviceName");
        String ssid = required(ctx, "ssid");
        long hash = confos.newestHash(deviceName, ssid, maxAge).orElseThrow(() -> ApiProblem.notFound(
                "no device named '" + deviceName + "' on '" + ssid + "' confirmed in the last " + describe(maxAge)));
        ctx.json(Map.of("hash", hash));
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            throw ApiProblem.badRequest(name + " is required");
        }
        return value;
    }

    private static String describe(Duration age) {
        return age.toSecondsPart() == 0 && age.toMinutes() > 0 ? age.toMinutes() + " min" : age.toSeconds() + " s";
    }
}
