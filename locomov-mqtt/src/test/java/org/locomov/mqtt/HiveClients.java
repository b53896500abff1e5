package org.locomov.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.locomov.tls.testing.TestCertificates;

/** HiveMQ's MQTT client (a maintained Java client) as a device logging in with its token; test CA trusted. */
final class HiveClients {

    private HiveClients() {
    }

    /** A connected MQTT 5 client of {@code deviceId}; {@code disconnected} completes with why it was disconnected. */
    static Mqtt5AsyncClient mqtt5(int port, long deviceId, String token,
            CompletableFuture<MqttClientDisconnectedContext> disconnected) throws Exception {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5()
                .identifier("device-" + deviceId + "-" + System.nanoTime())
                .serverHost("localhost").serverPort(port)
                .sslConfig().trustManagerFactory(trust()).applySslConfig()
                .addDisconnectedListener(disconnected::complete)
                .buildAsync();
        client.connectWith().simpleAuth().username(Long.toString(deviceId))
                .password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send().get(30, TimeUnit.SECONDS);
        return client;
    }

    /** A connected MQTT 3.1.1 client of {@code deviceId}. */
    static Mqtt3AsyncClient mqtt311(int port, long deviceId, String token,
            CompletableFuture<MqttClientDisconnectedContext> disconnected) throws Exception {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3()
                .identifier("device-" + deviceId + "-" + System.nanoTime())
                .serverHost("localhost").serverPort(port)
                .sslConfig().trustManagerFactory(trust()).applySslConfig()
                .addDisconnectedListener(disconnected::complete)
                .buildAsync();
        client.connectWith().simpleAuth().username(Long.toString(deviceId))
                .password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send().get(30, TimeUnit.SECONDS);
        return client;
    }

    static TrustManagerFactory trust() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("test-ca", TestCertificates.shared().caCertificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}
