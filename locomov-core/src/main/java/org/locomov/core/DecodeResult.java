package org.locomov.core;

/**
 * What a packet decoder makes of one JSON packet: the decoded value, or a {@link Refusal} that says
 * what was wrong with it. Decoders return this instead of throwing, so bad input is a value that the
 * listener answers like any other.
 *
 * @param <T> what a valid packet decodes to
 */
public sealed interface DecodeResult<T> permits DecodeResult.Decoded, DecodeResult.Refused {

    static <T> DecodeResult<T> decoded(T value) {
        return new Decoded<>(value);
    }

    static <T> DecodeResult<T> refused(RefusalKind kind, String reason) {
        return new Refused<>(Refusal.of(kind, reason));
    }

    /** A valid packet. */
    record Decoded<T>(T value) implements DecodeResult<T> {
    }

    /** An invalid packet and why. */
    record Refused<T>(Refusal refusal) implements DecodeResult<T> {
    }
}
