package org.locomov.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way operators write them: a whole number and a unit ({@code 500ms}, {@code 10s},
 * {@code 5m}, {@code 2h}, {@code 1d}), or ISO-8601 ({@code PT10S}). A bare number is refused, because
 * whether {@code 30} means seconds or milliseconds is exactly the mistake a unit prevents.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    @Override
    public Duration convert(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = NUMBER_AND_UNIT.matcher(trimmed);
        if (matcher.matches()) {
            return fromNumberAndUnit(matcher.group(1), matcher.group(2), text);
        }
        if (trimmed.startsWith("p")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw refusal(text);
            }
        }
        throw refusal(text);
    }

    private static Duration fromNumberAndUnit(String number, String unit, String text) {
        try {
            long amount = Long.parseLong(number);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw refusal(text);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw refusal(text);
        }
    }

    private static TypeConversionException refusal(String text) {
        return new TypeConversionException("'" + text + "' is not a duration; write a number and a unit "
                + "(ms, s, m, h, d), for example 10s or 5m");
    }
}
