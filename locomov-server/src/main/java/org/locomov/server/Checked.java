package org.locomov.server;

import java.util.List;

/**
 * Settings built from the command line, environment and config file: either valid, or refused with
 * reasons that each name the option at fault. Bad input is a value here so that the command can print
 * every problem at once and exit with a usage status, instead of an exception stopping at the first.
 */
sealed interface Checked<T> {

    record Valid<T>(T value) implements Checked<T> {
    }

    record Refused<T>(List<String> reasons) implements Checked<T> {
        public Refused {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a refusal needs a reason");
            }
        }
    }
}
