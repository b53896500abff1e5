package org.locomov.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code serve} options for device client certificates that hold on every listener. */
final class DeviceAuthOptions {

    @Option(names = "--device-ca-trust", paramLabel = "PEM", split = ",",
            description = "An operator CA whose client certificates (CN = device id) are accepted on every listener that "
                    + "asks for client certificates; an unknown device presenting one is registered on its first "
                    + "connection (repeatable). To share one with every node, use 'ca register' instead. Default: none.")
    List<Path> operatorCas = new ArrayList<>();

    /** The settings, or {@code null} after adding the problems to {@code problems}. */
    DeviceAuthSettings settings(SettingsProblems problems, Path dataDir, Path masterKeyFileOrNull) {
        for (Path file : operatorCas) {
            problems.refuseIf(!Files.isReadable(file), "--device-ca-trust: cannot read " + file.toAbsolutePath());
        }
        Path tls = dataDir.resolve("tls");
        return new DeviceAuthSettings(operatorCas.stream().map(Path::toAbsolutePath).toList(), tls,
                masterKeyFileOrNull != null ? masterKeyFileOrNull.toAbsolutePath() : tls.resolve(TlsOptions.MASTER_KEY_FILE));
    }
}
