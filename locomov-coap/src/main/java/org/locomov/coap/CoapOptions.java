package org.locomov.coap;

import picocli.CommandLine.Option;

/** The CoAP listener's options of {@code serve}: a picocli mixin, read by {@link CoapModule}. */
public final class CoapOptions {

    @Option(names = "--coap-port", paramLabel = "PORT", defaultValue = "" + CoapSettings.DEFAULT_PORT,
            description = "UDP port of the CoAP over DTLS listener; 0 = any free port, -1 = off. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--coap-insecure-port", paramLabel = "PORT", defaultValue = "-1",
            description = "UDP port for plain CoAP without DTLS (labs only; a request must carry its device's token as "
                    + "?token=); -1 = off, 0 = any free port. Default: off.")
    int insecurePort;

    @Option(names = "--coap-cipher-suites", paramLabel = "SUITES", split = ",",
            defaultValue = CoapSettings.DEFAULT_CIPHER_SUITES,
            description = "DTLS 1.2 cipher suites of the CoAP listener, by their IANA names, comma separated. Default: "
                    + "ECDHE-ECDSA and PSK/ECDHE-PSK with AES-GCM and AES-CCM(_8).")
    String[] cipherSuites;

    @Option(names = "--coap-max-sessions", paramLabel = "N", defaultValue = "" + CoapSettings.DEFAULT_MAX_SESSIONS,
            description = "Most DTLS sessions kept at once; when full, the longest-idle one is replaced. Default: ${DEFAULT-VALUE}.")
    int maxSessions;

    @Option(names = "--coap-max-handshakes", paramLabel = "N", defaultValue = "" + CoapSettings.DEFAULT_MAX_HANDSHAKES,
            description = "Most DTLS handshakes waiting for their credential check at once; more are dropped (the device "
                    + "retries). Default: ${DEFAULT-VALUE}.")
    int maxHandshakes;

    @Option(names = "--coap-max-request-bytes", paramLabel = "BYTES",
            defaultValue = "" + CoapSettings.DEFAULT_MAX_REQUEST_BYTES,
            description = "Largest request body, also when sent block-wise (Block1); larger ones get 4.13 with Size1. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxRequestBytes;
}
