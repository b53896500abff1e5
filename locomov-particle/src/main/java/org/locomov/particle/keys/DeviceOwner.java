package org.locomov.particle.keys;

/**
 * Whom a device belongs to, for routing events to other devices (decision 1541).
 *
 * @param subId      its owner ({@code pub.creator}); {@code null} when no user has claimed it
 * @param particleId its Particle id; {@code null} for a device of another transport
 */
public record DeviceOwner(Long subId, String particleId) {
}
