package org.locomov.particle.keys;

import java.util.Locale;
import java.util.regex.Pattern;

/** A Particle device id: 24 hex digits (the 12-byte id of the device's MCU), kept in lower case. */
public final class ParticleIds {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");

    private ParticleIds() {
    }

    /** {@code id} in lower case, or an {@link IllegalArgumentException} saying what is wrong with it. */
    public static String parse(String id) {
        String lower = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        if (!ID.matcher(lower).matches()) {
            throw new IllegalArgumentException("a Particle device id is 24 hex digits, was '" + id + "'");
        }
        return lower;
    }
}
