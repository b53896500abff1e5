package org.locomov.server;

import java.nio.file.Path;
import java.util.List;

/** Where the server certificates come from. */
public sealed interface TlsSource {

    /**
     * locomov's own development CA under {@code <data-dir>/tls}, created on first start and reused
     * afterwards; its server certificates name localhost, 127.0.0.1, ::1, the host name and
     * {@code extraNames} ({@code --tls-name}).
     */
    record DevelopmentCa(Path tlsDirectory, List<String> extraNames) implements TlsSource {
        public DevelopmentCa {
            extraNames = List.copyOf(extraNames);
        }
    }

    /** The operator's PEM files ({@code --tls-cert}, chain leaf first, and {@code --tls-key}). */
    record PemFiles(Path certificateChain, Path privateKey) implements TlsSource {
    }
}
