package org.locomov.core.command;

import java.util.Locale;

/** Where a {@link Command} is: waiting, handed to the device, or final. */
public enum CommandStatus {
    /** Stored; waits for its device to be connected. */
    QUEUED,
    /** Handed to a session of its device; waits for the answer. */
    SENT,
    /** The device answered that it did it (final). */
    ANSWERED,
    /** The device answered that it failed, or the command could not be carried out (final). */
    FAILED,
    /** Not answered before its time to live ran out (final); a queued command is then never delivered. */
    EXPIRED;

    /** Lower case, as stored and shown by the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == ANSWERED || this == FAILED || this == EXPIRED;
    }
}
