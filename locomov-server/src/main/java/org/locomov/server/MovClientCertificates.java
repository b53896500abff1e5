package org.locomov.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.security.cert.X509Certificate;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.tls.ClientAuthMode;
import org.locomov.tls.ClientCertificates;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCertificateCheck;
import org.locomov.tls.DeviceCertificateTrust;
import org.locomov.tls.PemFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets up client certificates for the mov listener from {@link DeviceAuthSettings}. */
final class MovClientCertificates {

    private static final Logger log = LoggerFactory.getLogger(MovClientCertificates.class);

    private MovClientCertificates() {
    }

    /**
     * What the mov listener asks of clients; opens (or creates) the device CA when certificates are asked for.
     * The certificate check is added to {@code started}, so it stops with the server.
     *
     * @throws LocomovStartException when a CA file cannot be read
     */
    static ClientCertificates open(DeviceAuthSettings settings, Database database, ShutdownSequence started) {
        if (settings.movClientAuth() == ClientAuthMode.NONE) {
            return ClientCertificates.none();
        }
        try {
            DeviceCa ca = DeviceCa.open(settings.tlsDirectory(), Instant.now());
            List<X509Certificate> operatorCas = new ArrayList<>();
            for (Path file : settings.operatorCaFiles()) {
                operatorCas.addAll(PemFiles.readCertificates(file));
            }
            DeviceCertificateCheck check = started.add("client certificate check",
                    new DeviceCertificateCheck(new DeviceCredentialRepository(database.dataSource()), true));
            log.info("mov: client certificates {} from the device CA {}{}", settings.movClientAuth(), ca.certificateFile(),
                    operatorCas.isEmpty() ? "" : " and operator CAs " + settings.operatorCaFiles()
                            + " (their devices are registered on first connection)");
            return new ClientCertificates(settings.movClientAuth(),
                    DeviceCertificateTrust.of(ca.certificate(), operatorCas), check);
        } catch (IOException e) {
            throw new LocomovStartException("mov listener: cannot set up client certificates: " + e.getMessage(), e);
        }
    }
}
