package org.locomov.transport;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.locomov.core.CommitListeners;
import org.locomov.core.DevicePlane;
import org.locomov.core.event.UserEvents;
import org.locomov.tls.CertificateSource;
import org.locomov.tls.MasterKey;

/**
 * What {@code serve} shares with every listener it creates: one of each per node.
 *
 * @param registry       metrics
 * @param plane          the device plane: ingest, identity, sessions, commands, events, firmware
 * @param tls            makes a listener's TLS from the server certificates and the device CAs
 * @param certificates   the server certificates themselves (for listeners whose TLS is not Netty's: DTLS, Jetty)
 * @param commits        told of committed readings; a listener that streams them adds itself
 * @param dataSource     the database, for modules that keep tables of their own (the API, Particle keys)
 * @param listenerStates which listeners are up, for {@code /health}
 * @param masterKey      seals private keys kept in the database (the Particle server key), opened on first use
 * @param userEvents     events users publish through the API (Particle's), announced to every node
 */
public record ListenerContext(MeterRegistry registry, DevicePlane plane, ServerTlsFactory tls,
        CertificateSource certificates, CommitListeners commits, DataSource dataSource,
        Supplier<Map<String, Boolean>> listenerStates, Supplier<MasterKey> masterKey, UserEvents userEvents) {

    public ListenerContext {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(plane, "plane");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(commits, "commits");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(listenerStates, "listenerStates");
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(userEvents, "userEvents");
    }
}
