package org.locomov.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.locomov.tls.ClientAuthMode;

/**
 * How devices prove who they are on the mov listener, checked once by {@link DeviceAuthOptions}.
 *
 * @param movClientAuth   {@code --mov-client-auth}: none (default), optional or require
 * @param operatorCaFiles {@code --device-ca-trust}: operator CAs whose client certificates are accepted too,
 *                        registering their devices on first connection; absolute, may be empty
 * @param tlsDirectory    where the device CA lives ({@code <data-dir>/tls})
 */
public record DeviceAuthSettings(ClientAuthMode movClientAuth, List<Path> operatorCaFiles, Path tlsDirectory) {

    public DeviceAuthSettings {
        Objects.requireNonNull(movClientAuth, "--mov-client-auth");
        operatorCaFiles = List.copyOf(operatorCaFiles);
        Objects.requireNonNull(tlsDirectory, "tlsDirectory");
    }
}
