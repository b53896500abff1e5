package org.locomov.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the CAs of device client certificates come from, checked once by {@link DeviceAuthOptions}.
 *
 * @param operatorCaFiles {@code --device-ca-trust}: operator CAs whose client certificates are accepted on this
 *                        node, registering their devices on first connection; absolute, may be empty
 * @param tlsDirectory    where the device CA lives ({@code <data-dir>/tls})
 * @param masterKeyFile   opens the devices' sealed PSKs ({@code --tls-master-key-file}, else in the TLS directory)
 */
public record DeviceAuthSettings(List<Path> operatorCaFiles, Path tlsDirectory, Path masterKeyFile) {

    public DeviceAuthSettings {
        operatorCaFiles = List.copyOf(operatorCaFiles);
        Objects.requireNonNull(tlsDirectory, "tlsDirectory");
        Objects.requireNonNull(masterKeyFile, "masterKeyFile");
    }
}
