package org.locomov.server;

import org.locomov.transport.OptionProblems;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects what is wrong with a set of options while settings are built, so that all problems are
 * reported together. Used by one thread, while one command builds its settings.
 */
final class SettingsProblems implements OptionProblems {

    private final List<String> problems = new ArrayList<>();

    @Override
    public void refuseIf(boolean wrong, String reason) {
        if (wrong) {
            problems.add(reason);
        }
    }

    /**
     * Builds a settings record of another module, whose constructor checks its own values and throws
     * {@link IllegalArgumentException} naming the option; that message becomes a refusal here.
     *
     * @return the record, or {@code null} when it was refused
     */
    @Override
    public <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** Like {@link #build(Supplier)}, for a parser whose message does not name the option: prefixes it. */
    @Override
    public <T> T build(String option, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            problems.add(option + ": " + e.getMessage());
            return null;
        }
    }

    void checkAtLeast(String option, long value, long minimum) {
        refuseIf(value < minimum, option + " must be at least " + minimum + ", was " + value);
    }

    <T> Checked<T> result(Supplier<T> valid) {
        return problems.isEmpty() ? new Checked.Valid<>(valid.get()) : new Checked.Refused<>(problems);
    }
}
