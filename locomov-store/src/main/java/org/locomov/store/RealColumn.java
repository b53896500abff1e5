package org.locomov.store;

import java.math.BigDecimal;

/**
 * Where one measured value goes in {@code packet} (migration V8): the {@code real} column when a REAL
 * gives it back exactly, else the {@code *_exact} double precision column, so that nothing a device
 * sent is rounded. The rule is SQL's {@code fits_real}: at most 6 significant digits (a float's
 * guaranteed decimal precision) and a magnitude a REAL holds. Devices send 229.5 or 13.4538, which fit.
 */
final class RealColumn {

    private static final double SMALLEST = 1e-37;
    private static final double LARGEST = 1e38;
    private static final int REAL_DIGITS = 6;
    private static final long SIX_DIGITS = 1_000_000;
    /** The largest power of ten a double holds exactly. */
    private static final int MAX_EXACT_POWER = 22;
    private static final double[] POWERS_OF_TEN = new double[MAX_EXACT_POWER + 1];

    static {
        double power = 1;
        for (int i = 0; i <= MAX_EXACT_POWER; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private RealColumn() {
    }

    /** True when {@code value} (nullable) can be stored as a REAL without changing it. */
    static boolean fits(Double value) {
        if (value == null || value == 0) {
            return true;
        }
        double magnitude = Math.abs(value);
        if (!(magnitude >= SMALLEST && magnitude <= LARGEST)) {
            return false;  // also NaN
        }
        if (nearestShortDecimalNamesIt(magnitude)) {
            return true;
        }
        // BigDecimal.valueOf uses the shortest decimal form that names the double (Double.toString).
        return BigDecimal.valueOf(value).stripTrailingZeros().precision() <= REAL_DIGITS;
    }

    /**
     * The common case without formatting the double as text (which cost the batch writer more than building its
     * COPY): the decimal of at most {@value #REAL_DIGITS} significant digits nearest to {@code magnitude} is
     * {@code m × 10^k}; when that decimal, rounded to a double, is {@code magnitude}, it fits. {@code m} and
     * {@code 10^k} (|k| ≤ 22) are exact doubles, and IEEE multiplication and division round correctly, so the
     * computed candidate is exactly what parsing the decimal gives. A false answer is only "not shown here": the
     * caller asks {@link BigDecimal} (an exponent guessed one off, or |k| beyond 22).
     */
    private static boolean nearestShortDecimalNamesIt(double magnitude) {
        int k = (int) Math.floor(Math.log10(magnitude)) - (REAL_DIGITS - 1);
        if (k < -MAX_EXACT_POWER || k > MAX_EXACT_POWER) {
            return false;
        }
        double scaled = k >= 0 ? magnitude / POWERS_OF_TEN[k] : magnitude * POWERS_OF_TEN[-k];
        long m = Math.round(scaled);
        if (m <= 0 || m >= 100 * SIX_DIGITS) {
            return false;
        }
        long digits = m;
        while (digits % 10 == 0) {
            digits /= 10;
        }
        if (digits >= SIX_DIGITS) {
            return false;
        }
        double candidate = k >= 0 ? m * POWERS_OF_TEN[k] : m / POWERS_OF_TEN[-k];
        return candidate == magnitude;
    }

    /** The value for the REAL column: the value when it fits, else null. */
    static Float real(Double value) {
        return value != null && fits(value) ? value.floatValue() : null;
    }

    /** The value for the {@code *_exact} column: the value when it does not fit a REAL, else null. */
    static Double exact(Double value) {
        return value != null && !fits(value) ? value : null;
    }
}
