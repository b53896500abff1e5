package org.locomov.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.locomov.credentials.DeviceCredentialsIssuer;
import org.locomov.credentials.SharedDeviceCa;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;

/**
 * Issues the simulated devices their credentials (certificate, PSK, token) as {@code device credentials} does:
 * from the database's device CA (shared by every node, decision 1540) and the server's master key, recorded in
 * the bench's database, so the server finds
 * them as it would a real fleet's. Issuing again replaces a device's earlier set.
 */
final class BenchDeviceCredentials {

    private BenchDeviceCredentials() {
    }

    /** Credentials for {@code count} registered devices from {@code firstId}. */
    static List<DeviceCredentials> issue(Path serverDataDir, Database database, long firstId, int count)
            throws IOException {
        Path tls = serverDataDir.resolve("tls");
        MasterKey masterKey = MasterKey.openOrCreate(tls.resolve("master.key"), true);
        // The database's device CA, which the server trusts (decision 1540), as 'device credentials' opens it.
        DeviceCa ca = SharedDeviceCa.open(new TlsMaterialRepository(database.dataSource()), masterKey, tls, "bench",
                Instant.now());
        DeviceCredentialsIssuer issuer = new DeviceCredentialsIssuer(ca, masterKey,
                new DeviceCredentialRepository(database.dataSource()), Clock.systemUTC());
        List<DeviceCredentials> issued = new ArrayList<>(count);
        for (long id = firstId; id < firstId + count; id++) {
            long device = id;
            issued.add(issuer.issue(device, KeyType.EC)
                    .orElseThrow(() -> new IllegalStateException("device " + device + " is not registered"))
                    .credentials());
        }
        return issued;
    }
}
