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
        // BigDecimal.valueOf uses the shortest decimal form that names the double (Double.toString).
        return BigDecimal.valueOf(value).stripTrailingZeros().precision() <= REAL_DIGITS;
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
