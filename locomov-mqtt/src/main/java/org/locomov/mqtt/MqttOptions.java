package org.locomov.mqtt;

import picocli.CommandLine.Option;

/** The MQTT listener's options of {@code serve}: a picocli mixin, read by {@link MqttModule}. */
public final class MqttOptions {

    /** CC3200-class devices offer only CBC suites with RSA certificates: the profile that has them. */
    static final String DEFAULT_CIPHER_PROFILE = "cc32xx";
    /** A certificate is checked when sent; without one, username (device id) and password (token). */
    static final String DEFAULT_CLIENT_AUTH = "optional";

    @Option(names = "--mqtt-port", paramLabel = "PORT", defaultValue = "" + MqttSettings.DEFAULT_PORT,
            description = "Port of the MQTT listener (MQTT 3.1/3.1.1/5 over TLS); 0 = any free port (the banner "
                    + "shows it). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--mqtt-cipher-profile", paramLabel = "PROFILE", defaultValue = DEFAULT_CIPHER_PROFILE,
            description = "TLS profile of the MQTT listener: modern or cc32xx (modern plus the CBC suites CC32xx "
                    + "chips offer, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA among them). Default: ${DEFAULT-VALUE}.")
    String cipherProfile;

    @Option(names = "--mqtt-client-auth", paramLabel = "MODE", defaultValue = DEFAULT_CLIENT_AUTH,
            description = "Client certificates on the MQTT listener: none (login with username = device id and "
                    + "password = its token), optional (a certificate is checked when sent, else the login is "
                    + "required) or require. Default: ${DEFAULT-VALUE}.")
    String clientAuth;

    @Option(names = "--mqtt-receive-maximum", paramLabel = "N", defaultValue = "" + MqttSettings.DEFAULT_RECEIVE_MAXIMUM,
            description = "QoS 1 publishes in flight per connection; acknowledged in order after commit. "
                    + "Default: ${DEFAULT-VALUE}.")
    int receiveMaximum;

    @Option(names = "--mqtt-max-packet-bytes", paramLabel = "BYTES", defaultValue = "" + MqttSettings.DEFAULT_MAX_PACKET_BYTES,
            description = "Largest MQTT packet accepted (" + MqttSettings.MIN_MAX_PACKET_BYTES + " to "
                    + MqttSettings.MAX_MAX_PACKET_BYTES + "); advertised to MQTT 5 clients. Default: ${DEFAULT-VALUE}.")
    int maxPacketBytes;

    @Option(names = "--mqtt-max-connections", paramLabel = "N", defaultValue = "" + MqttSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Most connections open at once on the MQTT listener. Default: ${DEFAULT-VALUE}.")
    int maxConnections;
}
