package org.locomov.api;

import java.time.Duration;
import org.locomov.core.command.Command;

/**
 * Has a device do something through the device plane and waits for it: makes a command (stored, delivered to
 * the node that holds the device's session) and returns it once final or after {@code wait}, as it is then.
 * The Particle API's function calls, variable reads and signals go through it.
 */
@FunctionalInterface
interface CommandRunner {

    /**
     * @param payloadJson the argument as JSON text; nullable
     * @param wait        how long to wait for the answer; also the command's time to live, so that one not
     *                    answered in time is never carried out later
     * @param createdBy   the user who asked
     */
    Command run(long deviceId, String name, String payloadJson, Duration wait, long createdBy) throws InterruptedException;
}
