package org.locomov.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locomov.tls.ClientAuthMode;
import picocli.CommandLine.Option;

/** The {@code serve} options for device client certificates on the mov listener. */
final class DeviceAuthOptions {

    /** Devices in the field send no certificate, and some firmware stumbles over being asked: decision 0800. */
    static final String DEFAULT_MOV_CLIENT_AUTH = "none";

    @Option(names = "--mov-client-auth", paramLabel = "MODE", defaultValue = DEFAULT_MOV_CLIENT_AUTH,
            description = "Client certificates on the mov listener: none (not asked for), optional (checked when a "
                    + "device sends one) or require. A certificate must come from the device CA (<data-dir>/tls/"
                    + "device-ca.pem, see 'device credentials') or a --device-ca-trust CA, be unrevoked, and name the "
                    + "device the packets come from. Default: ${DEFAULT-VALUE}.")
    String movClientAuth;

    @Option(names = "--device-ca-trust", paramLabel = "PEM", split = ",",
            description = "An operator CA whose client certificates (CN = device id) are accepted too; an unknown "
                    + "device presenting one is registered on its first connection (repeatable). Default: none.")
    List<Path> operatorCas = new ArrayList<>();

    /** The settings, or {@code null} after adding the problems to {@code problems}. */
    DeviceAuthSettings settings(SettingsProblems problems, Path dataDir) {
        ClientAuthMode mode = problems.build("--mov-client-auth", () -> ClientAuthMode.parse(movClientAuth));
        for (Path file : operatorCas) {
            problems.refuseIf(!Files.isReadable(file), "--device-ca-trust: cannot read " + file.toAbsolutePath());
        }
        problems.refuseIf(mode == ClientAuthMode.NONE && !operatorCas.isEmpty(),
                "--device-ca-trust needs --mov-client-auth optional or require; with none no certificate is asked for");
        return mode == null ? null : new DeviceAuthSettings(mode,
                operatorCas.stream().map(Path::toAbsolutePath).toList(), dataDir.resolve("tls"));
    }
}
