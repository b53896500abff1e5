package org.locomov.api;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads path and query parameters, turning bad input into a 400 {@link ApiProblem} that names the
 * parameter and what is expected.
 */
final class Params {

    private static final Pattern WIDTH = Pattern.compile("(\\d{1,6})([smhd])");

    private Params() {
    }

    static long pathLong(Context ctx, String name) {
        String value = ctx.pathParam(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be an integer, was '" + value + "'");
        }
    }

    /** An integer query parameter within {@code [min, max]}, or {@code fallback} when absent. */
    static int queryInt(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Answered below, with the range.
        }
        throw ApiProblem.badRequest(name + " must be an integer from " + min + " to " + max + ", was '" + value + "'");
    }

    /** A long query parameter, or null when absent. */
    static Long queryLong(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be an integer, was '" + value + "'");
        }
    }

    /**
     * A point in time: ISO-8601 with an offset ({@code 2026-05-01T12:00:00Z}) or Unix seconds; null when absent.
     */
    static Instant queryInstant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiProblem.badRequest(name + " must be ISO-8601 with an offset (2026-05-01T12:00:00Z) or Unix seconds, was '"
                        + value + "'");
            }
        }
    }

    /** A bucket width such as {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, within {@code [min, max]}. */
    static Duration queryWidth(Context ctx, String name, Duration min, Duration max) {
        String value = ctx.queryParam(name);
        Matcher matcher = value == null ? null : WIDTH.matcher(value);
        if (matcher == null || !matcher.matches()) {
            throw ApiProblem.badRequest(name + " must be a number with a unit s, m, h or d (e.g. 5m), was '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration width = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (width.compareTo(min) < 0 || width.compareTo(max) > 0) {
            throw ApiProblem.badRequest(name + " must be from " + min.toSeconds() + " s to " + max.toDays() + " days, was '" + value + "'");
        }
        return width;
    }
}
