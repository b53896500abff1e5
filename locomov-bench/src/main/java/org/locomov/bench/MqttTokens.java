package org.locomov.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locomov.store.Database;
import org.locomov.tls.DeviceCredentials;

/** Issues the MQTT phase's devices their access tokens, as {@code device credentials} does, from the server's CA. */
final class MqttTokens {

    private MqttTokens() {
    }

    /** Device id → token, for {@code count} registered devices from {@code firstId}. */
    static Map<Long, String> issue(Path serverDataDir, Database database, long firstId, int count) throws IOException {
        Map<Long, String> tokens = new LinkedHashMap<>();
        for (DeviceCredentials device : BenchDeviceCredentials.issue(serverDataDir, database, firstId, count)) {
            tokens.put(device.deviceId(), device.token());
        }
        return tokens;
    }
}
