package org.locomov.core.command;

import java.time.Instant;
import java.util.Objects;

/**
 * A command for a device (DESIGN.md §2, device plane): made through the API, stored, delivered through the
 * device's transport while it is connected and before it expires, and answered by the device.
 *
 * @param id          the command's id
 * @param deviceId    the device it is for
 * @param name        what to do, as the device knows it (a Particle function's name, for example)
 * @param payloadJson the argument, any JSON value as text; nullable when the command has none
 * @param status      where it is
 * @param responseJson the device's answer as JSON text (or the reason it failed); nullable
 * @param createdAt   when it was made
 * @param expiresAt   after this it is {@link CommandStatus#EXPIRED} unless answered
 * @param answeredAt  when the device answered; nullable
 */
public record Command(long id, long deviceId, String name, String payloadJson, CommandStatus status,
        String responseJson, Instant createdAt, Instant expiresAt, Instant answeredAt) {

    /** Longest command name, in characters. */
    public static final int MAX_NAME_LENGTH = 64;

    public Command {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
