package org.locomov.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locomov.credentials.DeviceCredentialsIssuer;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;

/** Issues the MQTT phase's devices their access tokens, as {@code device credentials} does, from the server's CA. */
final class MqttTokens {

    private MqttTokens() {
    }

    /** Device id → token, for {@code count} registered devices from {@code firstId}. */
    static Map<Long, String> issue(Path serverDataDir, Database database, long firstId, int count) throws IOException {
        Path tls = serverDataDir.resolve("tls");
        DeviceCredentialsIssuer issuer = new DeviceCredentialsIssuer(DeviceCa.open(tls, Instant.now()),
                MasterKey.openOrCreate(tls.resolve("master.key"), true),
                new DeviceCredentialRepository(database.dataSource()), Clock.systemUTC());
        Map<Long, String> tokens = new LinkedHashMap<>();
        for (long id = firstId; id < firstId + count; id++) {
            long device = id;
            tokens.put(device, issuer.issue(device, KeyType.EC)
                    .orElseThrow(() -> new IllegalStateException("device " + device + " is not registered"))
                    .credentials().token());
        }
        return tokens;
    }
}
