package org.locomov.particle;

import java.util.concurrent.CompletableFuture;
import org.locomov.core.command.Command;
import org.locomov.core.command.ReservedCommands;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.session.DeviceSession;

/**
 * A connected Spark/Particle device as the device plane sees it: functions are commands (name = function,
 * payload = argument, answer = return value), the reserved commands ({@link ReservedCommands}) read a variable
 * (answer = its value as JSON) or start and stop the device's signal (answer {@code true}), firmware offers are carried out with the protocol's OTA. The Particle API reaches
 * the same through {@link #readVariable}, {@link #describe} and {@link #signal} when the session is on its
 * node ({@link ParticleSessions#find}).
 *
 * <p>Thread-safe: every call is handed to the connection's event loop; futures complete there.
 */
public final class ParticleSession implements DeviceSession {

    private final ParticleConnection connection;
    private final long deviceId;
    private final String particleId;
    private final String listener;
    private final String peer;

    ParticleSession(ParticleConnection connection, long deviceId, String particleId, String listener, String peer) {
        this.connection = connection;
        this.deviceId = deviceId;
        this.particleId = particleId;
        this.listener = listener;
        this.peer = peer;
    }

    @Override
    public long deviceId() {
        return deviceId;
    }

    /** The device's 24-hex Particle id. */
    public String particleId() {
        return particleId;
    }

    @Override
    public String listener() {
        return listener;
    }

    @Override
    public String peer() {
        return peer;
    }

    /** One session per device: a reconnect takes over. */
    @Override
    public boolean exclusive() {
        return true;
    }

    @Override
    public boolean takesCommands() {
        return connection.open();
    }

    @Override
    public boolean takesFirmware() {
        return connection.open() && !connection.updating();
    }

    @Override
    public CompletableFuture<Void> deliver(Command command) {
        return connection.onLoop(() -> connection.deliver(command));
    }

    @Override
    public CompletableFuture<Void> offer(FirmwareOffer offer) {
        return connection.onLoop(() -> connection.offer(offer));
    }

    /** The variable's value as JSON text (a number, string or boolean). */
    public CompletableFuture<String> readVariable(String name) {
        return connection.onLoop(() -> connection.readVariable(name));
    }

    /** The device's functions and variables (asked once per session, then remembered). */
    public CompletableFuture<Description> describe() {
        return connection.onLoop(connection::described);
    }

    /** Starts ({@code true}) or stops the device's rainbow LED ("signal" in the Particle API). */
    public CompletableFuture<Void> signal(boolean on) {
        return connection.onLoop(() -> connection.signal(on));
    }

    @Override
    public void close(String reason) {
        connection.close(reason);
    }
}
