package org.locomov.coap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.locomov.core.DevicePlane;
import org.locomov.core.IngestSettings;
import org.locomov.core.session.LocalDeviceSessions;
import org.locomov.credentials.DeviceCredentialsIssuer;
import org.locomov.credentials.StoreDeviceIdentity;
import org.locomov.store.BatchWriter;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.FixedCertificateSource;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.testing.TestCertificates;
import org.locomov.transport.ListenerEvents;

/**
 * A CoAP listener wired as the server wires it: real DTLS with the test CA's EC certificate, the device identity
 * of locomov-credentials (device CA, sealed PSKs) and a real {@link BatchWriter} on a real PostgreSQL, on a free
 * loopback port. Device events go to {@link RecordedEvents} (their PostgreSQL implementation is not on this
 * branch yet), command answers to {@link RecordedCommands}, firmware reports to {@link RecordedFirmware}.
 */
final class CoapUnderTest implements AutoCloseable {

    final Database database;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BatchWriter writer;
    final PgDeviceDirectory devices;
    final DeviceCredentialRepository credentials;
    final DeviceCa deviceCa;
    final DeviceCredentialsIssuer issuer;
    final StoreDeviceIdentity identity;
    final RecordedEvents events = new RecordedEvents();
    final RecordedCommands commands = new RecordedCommands();
    final RecordedFirmware firmware = new RecordedFirmware();
    final LocalDeviceSessions sessions = new LocalDeviceSessions();
    final CoapListener listener;

    CoapUnderTest(Database database, Path work, CoapSettings settings, IngestSettings ingestSettings) {
        this(database, work, settings, ingestSettings, new CertificatePair(TestCertificates.shared().rsaServer(),
                TestCertificates.shared().ecServer()));
    }

    CoapUnderTest(Database database, Path work, CoapSettings settings, IngestSettings ingestSettings,
            CertificatePair serverCertificates) {
        this(database, work, settings, ingestSettings, serverCertificates, true);
    }

    /** @param secure DTLS on {@code settings.port()}; false: plain CoAP on {@code settings.insecurePort()} */
    CoapUnderTest(Database database, Path work, CoapSettings settings, IngestSettings ingestSettings,
            CertificatePair serverCertificates, boolean secure) {
        this.database = database;
        try {
            deviceCa = DeviceCa.open(work.resolve("tls"), Instant.now());
            MasterKey masterKey = MasterKey.openOrCreate(work.resolve("tls/master.key"), true);
            credentials = new DeviceCredentialRepository(database.dataSource());
            issuer = new DeviceCredentialsIssuer(deviceCa, masterKey, credentials, Clock.systemUTC());
            identity = new StoreDeviceIdentity(deviceCa.certificate(), List.of(), credentials,
                    new OperatorCaRepository(database.dataSource()), () -> masterKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writer = new BatchWriter(database.dataSource(), ingestSettings, registry);
        writer.start();
        devices = new PgDeviceDirectory(database.dataSource(), false, registry);
        DevicePlane plane = new DevicePlane(writer, devices, identity, sessions, commands,
                events, firmware, post -> {
                    throw new UnsupportedOperationException("no confo on CoAP");
                });
        var source = new FixedCertificateSource(serverCertificates, TestCertificates.shared().caCertificateFile(),
                "test CA");
        listener = new CoapListener(secure ? "coap" : CoapModule.INSECURE_NAME, settings, secure, plane, source, new ListenerEvents("coap", "coap", registry));
        listener.start();
    }

    CoapUnderTest(Database database, Path work) {
        this(database, work, CoapSettings.loopbackDefaults(), IngestSettings.DEFAULTS);
    }

    /** Registers device {@code id} and issues its credentials, as {@code device add} and {@code device credentials} do. */
    DeviceCredentials device(long id, KeyType keyType) {
        TestDatabase.addDevice(database, id);
        return issuer.issue(id, keyType).orElseThrow().credentials();
    }

    String uri(String path) {
        return (listener.endpoint().servesServerCertificate() ? "coaps" : "coap") + "://127.0.0.1:" + listener.port() + path;
    }

    long packets() {
        return TestDatabase.count(database, "SELECT count(*) FROM reading");
    }

    long packetsOf(long deviceId) {
        return TestDatabase.count(database, "SELECT count(*) FROM reading WHERE pub_id = ?", deviceId);
    }

    double refused(String reason) {
        var counter = registry.find("locomov.readings.refused").tags("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    double handshakeFailures() {
        var counter = registry.find("locomov.tls.handshake.failures").counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        listener.close();
        writer.close();
        devices.close();
        identity.close();
    }
}
