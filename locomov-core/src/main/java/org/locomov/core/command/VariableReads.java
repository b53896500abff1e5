package org.locomov.core.command;

import java.util.Optional;

/**
 * A variable read (a Particle variable) is carried like a command of a reserved kind, so that it reaches the
 * node that holds the device's session exactly as a function call does: its name is {@value #PREFIX} + the
 * variable's name, it has no payload, and the answer is the variable's value as JSON (a number, string or
 * boolean). A transport whose devices have variables reads the variable instead of delivering a command.
 */
public final class VariableReads {

    /** Command names with this prefix are variable reads; no function name contains a '/'. */
    public static final String PREFIX = "variable/";
    /** Longest variable name that fits a command name. */
    public static final int MAX_NAME_LENGTH = Command.MAX_NAME_LENGTH - PREFIX.length();

    private VariableReads() {
    }

    /** The command name that reads {@code variable}. */
    public static String commandName(String variable) {
        if (variable.isEmpty() || variable.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a variable name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return PREFIX + variable;
    }

    /** The variable {@code commandName} reads, or empty when it is an ordinary command. */
    public static Optional<String> variableOf(String commandName) {
        return commandName.startsWith(PREFIX) && commandName.length() > PREFIX.length()
                ? Optional.of(commandName.substring(PREFIX.length())) : Optional.empty();
    }
}
