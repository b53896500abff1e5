package org.locomov.server;

import java.nio.file.Path;
import java.util.List;
import org.locomov.credentials.acme.AcmeSettings;

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

    /**
     * Certificates from an ACME CA, shared with every node on the database ({@code --acme-directory}).
     *
     * @param masterKeyFile    seals the private keys stored in the database
     * @param createMasterKey  create {@code masterKeyFile} when missing (the default location, not one the operator named)
     * @param fallback         the development CA, served until the CA has issued
     */
    record Acme(AcmeSettings settings, Path masterKeyFile, boolean createMasterKey, DevelopmentCa fallback)
            implements TlsSource {
    }
}
