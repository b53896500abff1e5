package org.locomov.mov;

import picocli.CommandLine.Option;

/** The mov listener's options of {@code serve}: a picocli mixin, read by {@link MovModule}. */
public final class MovOptions {

    /** Only the mov listener defaults to cc32xx, because its devices need it; see docs/decisions/0401. */
    static final String DEFAULT_CIPHER_PROFILE = "cc32xx";
    /** Devices in the field send no certificate, and some firmware stumbles over being asked: decision 0800. */
    static final String DEFAULT_CLIENT_AUTH = "none";

    @Option(names = "--mov-port", paramLabel = "PORT", defaultValue = "" + MovSettings.DEFAULT_PORT,
            description = "Port of the mov listener; 0 = any free port (the banner shows it). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--mov-cipher-profile", paramLabel = "PROFILE", defaultValue = DEFAULT_CIPHER_PROFILE,
            description = "TLS profile of the mov listener: modern (TLS 1.2/1.3, ECDHE + AEAD) or cc32xx (modern "
                    + "plus the RSA key exchange CBC suites CC32xx chips need). Default: ${DEFAULT-VALUE}.")
    String cipherProfile;

    @Option(names = "--mov-max-packet-bytes", paramLabel = "BYTES", defaultValue = "" + MovSettings.DEFAULT_MAX_PACKET_BYTES,
            description = "Largest packet accepted on the mov listener (" + MovSettings.MIN_MAX_PACKET_BYTES + " to "
                    + MovSettings.MAX_MAX_PACKET_BYTES + "); larger ones are refused. Default: ${DEFAULT-VALUE}.")
    int maxPacketBytes;

    @Option(names = "--mov-max-in-flight", paramLabel = "N", defaultValue = "" + MovSettings.DEFAULT_MAX_IN_FLIGHT,
            description = "Packets of one mov connection stored at once when a client sends without waiting (1 to "
                    + MovSettings.MAX_MAX_IN_FLIGHT + "); acks stay in order, and a full window stops reading. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxInFlight;

    @Option(names = "--mov-max-connections", paramLabel = "N", defaultValue = "" + MovSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Most connections open at once on the mov listener; more are closed at once. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--mov-client-auth", paramLabel = "MODE", defaultValue = DEFAULT_CLIENT_AUTH,
            description = "Client certificates on the mov listener: none (not asked for), optional (checked when a "
                    + "device sends one) or require. A certificate must come from the device CA (<data-dir>/tls/"
                    + "device-ca.pem, see 'device credentials') or an operator CA ('ca register', --device-ca-trust), "
                    + "be unrevoked, and name the device the packets come from. Default: ${DEFAULT-VALUE}.")
    String clientAuth;
}
