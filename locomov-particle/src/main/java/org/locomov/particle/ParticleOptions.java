package org.locomov.particle;

import java.util.List;
import picocli.CommandLine.Option;

/** The Particle listener's options of {@code serve}: a picocli mixin, read by {@link ParticleModule}. */
public final class ParticleOptions {

    @Option(names = "--particle-port", paramLabel = "PORT", defaultValue = "" + ParticleSettings.DEFAULT_PORT,
            description = "TCP port of the Spark/Particle device listener; 0 = any free port, -1 = off. "
                    + "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--particle-max-sessions", paramLabel = "N", defaultValue = "" + ParticleSettings.DEFAULT_MAX_SESSIONS,
            description = "Most connections open at once on the Particle listener; more are closed at once. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxSessions;

    @Option(names = "--particle-max-handshakes", paramLabel = "N", defaultValue = "" + ParticleSettings.DEFAULT_MAX_HANDSHAKES,
            description = "Most RSA handshakes in progress at once; a connection over it is closed before its nonce. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxHandshakes;

    @Option(names = "--particle-max-message-bytes", paramLabel = "BYTES",
            defaultValue = "" + ParticleSettings.DEFAULT_MAX_MESSAGE_BYTES,
            description = "Largest encrypted message a device may send; a larger one closes its connection. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxMessageBytes;

    @Option(names = "--particle-reading-events", paramLabel = "NAME", split = ",", defaultValue = "reading",
            description = "Event names whose data, a JSON object with the mov packet's fields, is also stored as a "
                    + "reading. Default: ${DEFAULT-VALUE}.")
    List<String> readingEvents;

    @Option(names = "--particle-command-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long a function call or variable read waits for the device. Default: ${DEFAULT-VALUE}.")
    String commandTimeout;
}
