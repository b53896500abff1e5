package org.locomov.mov;

import picocli.CommandLine.Option;

/** The confo listener's options of {@code serve}: a picocli mixin, read by {@link ConfoModule}. */
public final class ConfoOptions {

    /** The same CC32xx devices post their confirmations, so confo defaults to cc32xx too (decision 0903). */
    static final String DEFAULT_CIPHER_PROFILE = "cc32xx";

    @Option(names = "--confo-port", paramLabel = "PORT", defaultValue = "" + ConfoSettings.DEFAULT_PORT,
            description = "Port of the confo listener, where newly provisioned devices confirm; 0 = any free port. "
                    + "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--confo-cipher-profile", paramLabel = "PROFILE", defaultValue = DEFAULT_CIPHER_PROFILE,
            description = "TLS profile of the confo listener: modern or cc32xx (the devices that confirm are the "
                    + "CC32xx ones that send readings). Default: ${DEFAULT-VALUE}.")
    String cipherProfile;

    @Option(names = "--confo-max-connections", paramLabel = "N", defaultValue = "" + ConfoSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Most connections open at once on the confo listener. Default: ${DEFAULT-VALUE}.")
    int maxConnections;
}
