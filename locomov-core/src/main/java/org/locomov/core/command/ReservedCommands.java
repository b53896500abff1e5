package org.locomov.core.command;

import java.util.Optional;

/**
 * Commands of reserved kinds: what the Particle API asks of a device besides calling a function, carried like
 * a command so that it reaches the node that holds the device's session exactly as a function call does
 * (decision 1021). Their names contain a '/', which no function name does.
 * <ul>
 *   <li>a variable read: {@value #VARIABLE_PREFIX} + the variable's name, no payload; the answer is the
 *       variable's value as JSON (a number, string or boolean);</li>
 *   <li>{@value #SIGNAL_ON} and {@value #SIGNAL_OFF}: start or stop the device's signal (a Core's rainbow LED);
 *       no payload, the answer is {@code true}.</li>
 * </ul>
 * A transport whose devices know these does them instead of delivering a command; others fail them.
 */
public final class ReservedCommands {

    public static final String VARIABLE_PREFIX = "variable/";
    public static final String SIGNAL_ON = "signal/on";
    public static final String SIGNAL_OFF = "signal/off";
    /** Longest variable name that fits a command name. */
    public static final int MAX_VARIABLE_LENGTH = Command.MAX_NAME_LENGTH - VARIABLE_PREFIX.length();

    private ReservedCommands() {
    }

    /** The command name that reads {@code variable}. */
    public static String variableRead(String variable) {
        if (variable.isEmpty() || variable.length() > MAX_VARIABLE_LENGTH || variable.contains("/")) {
            throw new IllegalArgumentException("a variable name must be 1 to " + MAX_VARIABLE_LENGTH
                    + " characters without '/'");
        }
        return VARIABLE_PREFIX + variable;
    }

    /** The variable {@code commandName} reads, or empty when it reads none. */
    public static Optional<String> variableOf(String commandName) {
        return commandName.startsWith(VARIABLE_PREFIX) && commandName.length() > VARIABLE_PREFIX.length()
                ? Optional.of(commandName.substring(VARIABLE_PREFIX.length())) : Optional.empty();
    }

    /** Whether {@code commandName} is of a reserved kind rather than a function's name. */
    public static boolean isReserved(String commandName) {
        return commandName.indexOf('/') >= 0;
    }
}
