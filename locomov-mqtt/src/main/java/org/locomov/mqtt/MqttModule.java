package org.locomov.mqtt;

import java.util.List;
import org.locomov.core.listener.Listener;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ClientAuthMode;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerContext;
import org.locomov.transport.ListenerModule;
import org.locomov.transport.OptionProblems;
import org.locomov.transport.ServerTls;

/**
 * The MQTT listener as {@code serve} starts it (DESIGN.md §2): MQTT 3.1, 3.1.1 and 5 over TLS on port 8883,
 * an ingest endpoint with the broker behaviour devices rely on, not a general broker.
 */
public final class MqttModule implements ListenerModule {

    public static final String NAME = "mqtt";

    private final MqttOptions options = new MqttOptions();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MqttOptions options() {
        return options;
    }

    @Override
    public boolean servesServerCertificates() {
        return true;
    }

    @Override
    public List<ListenerPlan> plan(CommonListenerSettings common, OptionProblems problems) {
        CipherProfile profile = problems.build("--mqtt-cipher-profile", () -> CipherProfile.parse(options.cipherProfile));
        ClientAuthMode clientAuth = problems.build("--mqtt-client-auth", () -> ClientAuthMode.parse(options.clientAuth));
        if (profile == null || clientAuth == null) {
            return List.of();
        }
        MqttSettings settings = problems.build(() -> new MqttSettings(common.bindAddress(), options.port, profile,
                clientAuth, options.receiveMaximum, options.maxPacketBytes, options.maxConnections,
                common.handshakeTimeout(), common.idleTimeout(), common.drainTimeout()));
        return settings == null ? List.of() : List.of(new Plan(settings));
    }

    private record Plan(MqttSettings settings) implements ListenerPlan {

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Listener.Endpoint endpoint() {
            return MqttServer.endpoint(settings);
        }

        @Override
        public Listener create(ListenerContext context) {
            ServerTls tls = context.tls().create(NAME, settings.cipherProfile(), settings.connectTimeout(),
                    settings.clientAuth());
            return new MqttServer(NAME, settings, tls, context.plane(), context.registry());
        }
    }
}
