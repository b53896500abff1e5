package org.locomov.api;

import java.time.Instant;

/**
 * An event as the Particle streams carry it, whoever published it.
 *
 * @param deviceId the publishing device's locomov id; null for an event a user published through the API
 * @param owner    who may see it: the device's owner or the publishing user; null when a device has none
 * @param coreid   Particle's {@code coreid}: the device's Particle id (its locomov id when it has none), or
 *                 {@code api} for a user's event
 */
record ParticleStreamEvent(Long deviceId, Long owner, String name, String data, Instant publishedAt, String coreid) {
}
