package org.locomov.transport;

import java.util.function.Supplier;

/**
 * Collects what is wrong with a command's options while settings are built, so that every problem is
 * reported at once, each naming its option. A listener module's {@link ListenerModule#plan} adds its own.
 * Used by one thread.
 */
public interface OptionProblems {

    void refuseIf(boolean wrong, String reason);

    /**
     * Builds a settings record whose constructor checks its own values and throws
     * {@link IllegalArgumentException} naming the option; that message becomes a problem.
     *
     * @return the record, or {@code null} when it was refused
     */
    <T> T build(Supplier<T> constructor);

    /** Like {@link #build(Supplier)}, for a parser whose message does not name the option: prefixes it. */
    <T> T build(String option, Supplier<T> parser);
}
