package org.locomov.server;

import java.nio.file.Path;
import java.util.List;
import org.locomov.core.IngestSettings;
import org.locomov.store.StoreSettings;
import org.locomov.store.plane.DevicePlaneSettings;
import org.locomov.tls.TlsProvider;
import org.locomov.transport.ListenerModule.ListenerPlan;

/**
 * Everything {@code serve} needs, built once from flags, {@code LOCOMOV_*} variables, the config file
 * and defaults, and checked before anything starts ({@link ServeCommand#settings()}). Each module's part
 * is that module's own settings, which check their own values.
 *
 * @param dataDir      absolute; holds the embedded database, {@code tls/} and {@code logs/}
 * @param store        the database, embedded or external
 * @param ingest       queue and batch limits of the writer
 * @param listeners    every listener to start, in order, each planned by its module from its own options
 * @param tls          the server certificates
 * @param autoRegister accept readings from unknown device ids, registering them (open fleets)
 * @param legacySecureFlagGiven the original server's {@code -secure} was given; a no-op, since TLS is always on
 * @param deviceAuth   the device CA and operator CA files ({@code --device-ca-trust})
 * @param plane        nodes and device events ({@code --node-timeout}, {@code --event-queue-capacity})
 * @param logs         where and how much to log (locomov's defaults, or the original's glog flags)
 * @param tlsProvider  the TLS library of the device listeners ({@code --tls-provider}), chosen once per process
 */
public record ServerSettings(
        Path dataDir,
        StoreSettings store,
        IngestSettings ingest,
        List<ListenerPlan> listeners,
        TlsSource tls,
        boolean autoRegister,
        boolean legacySecureFlagGiven,
        DeviceAuthSettings deviceAuth,
        DevicePlaneSettings plane,
        LogSettings logs,
        TlsProvider tlsProvider) {

    public ServerSettings {
        listeners = List.copyOf(listeners);
    }

    /** The planned listener named {@code name}, e.g. {@code mov}. */
    public ListenerPlan listener(String name) {
        return listeners.stream().filter(plan -> plan.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + name + " is planned"));
    }
}
