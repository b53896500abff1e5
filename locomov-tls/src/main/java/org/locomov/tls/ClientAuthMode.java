package org.locomov.tls;

import io.netty.handler.ssl.ClientAuth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether a listener asks for client certificates ({@code --mov-client-auth}).
 *
 * <ul>
 *   <li>{@link #NONE} ({@code none}): no certificate is asked for; the handshake is what it was before device
 *       certificates existed. The default, for fleets that cannot be re-flashed
 *       (docs/decisions/0800-device-ca-and-client-certificates.md).</li>
 *   <li>{@link #OPTIONAL} ({@code optional}): a certificate is asked for; a device that sends none is served as
 *       before, one that sends a certificate must present a valid, unrevoked one for its own id.</li>
 *   <li>{@link #REQUIRE} ({@code require}): a handshake without a valid certificate fails.</li>
 * </ul>
 */
public enum ClientAuthMode {
    NONE("none", ClientAuth.NONE),
    OPTIONAL("optional", ClientAuth.OPTIONAL),
    REQUIRE("require", ClientAuth.REQUIRE);

    private final String configName;
    private final ClientAuth netty;

    ClientAuthMode(String configName, ClientAuth netty) {
        this.configName = configName;
        this.netty = netty;
    }

    /**
     * The mode named {@code name} ("none", "optional", "require"; case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid modes
     */
    public static ClientAuthMode parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ClientAuthMode mode : values()) {
            if (mode.configName.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown client certificate mode '" + name + "'; valid modes: "
                + Arrays.stream(values()).map(ClientAuthMode::configName).collect(Collectors.joining(", ")));
    }

    public String configName() {
        return configName;
    }

    public ClientAuth netty() {
        return netty;
    }

    @Override
    public String toString() {
        return configName;
    }
}
