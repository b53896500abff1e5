package org.locomov.server;

import java.nio.file.Path;
import org.locomov.core.IngestSettings;
import org.locomov.api.ApiSettings;
import org.locomov.mov.MovSettings;
import org.locomov.store.StoreSettings;

/**
 * Everything {@code serve} needs, built once from flags, {@code LOCOMOV_*} variables, the config file
 * and defaults, and checked before anything starts ({@link ServeCommand#settings()}). Each module's part
 * is that module's own settings record, which checks its own values.
 *
 * @param dataDir      absolute; holds the embedded database, {@code tls/} and {@code logs/}
 * @param store        the database, embedded or external
 * @param ingest       queue and batch limits of the writer
 * @param mov          the mov listener
 * @param confo        the confo listener (cloud confirmation of newly provisioned devices)
 * @param api          the HTTPS API
 * @param tls          the server certificates
 * @param autoRegister accept readings from unknown device ids, registering them (open fleets)
 * @param legacySecureFlagGiven the original server's {@code -secure} was given; a no-op, since TLS is always on
 * @param deviceAuth   client certificates on the mov listener ({@code --mov-client-auth}, {@code --device-ca-trust})
 */
public record ServerSettings(
        Path dataDir,
        StoreSettings store,
        IngestSettings ingest,
        MovSettings mov,
        MovSettings confo,
        ApiSettings api,
        TlsSource tls,
        boolean autoRegister,
        boolean legacySecureFlagGiven,
        DeviceAuthSettings deviceAuth) {
}
