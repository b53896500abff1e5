package org.locomov.particle.keys;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A registered Particle device: its locomov id ({@code pub_id}), its 24-hex Particle id, its public key.
 *
 * @param revoked the locomov device was revoked: its handshakes are refused
 */
public record ParticleDevice(long deviceId, String particleId, PublicKey publicKey, boolean revoked) {

    public ParticleDevice {
        Objects.requireNonNull(particleId, "particleId");
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
