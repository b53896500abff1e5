package org.locomov.mov;

import java.util.List;
import org.locomov.core.DevicePlane;
import org.locomov.core.listener.Listener;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ClientAuthMode;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerContext;
import org.locomov.transport.ListenerModule;
import org.locomov.transport.OptionProblems;
import org.locomov.transport.ServerTls;

/**
 * The mov listener as {@code serve} starts it (DESIGN.md §2): the original device protocol on TLS port
 * 38981, readings checked against the device directory and acknowledged after commit.
 */
public final class MovModule implements ListenerModule {

    public static final String NAME = "mov";

    private final MovOptions options = new MovOptions();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MovOptions options() {
        return options;
    }

    @Override
    public boolean servesServerCertificates() {
        return true;
    }

    @Override
    public List<ListenerPlan> plan(CommonListenerSettings common, OptionProblems problems) {
        CipherProfile profile = problems.build("--mov-cipher-profile", () -> CipherProfile.parse(options.cipherProfile));
        ClientAuthMode clientAuth = problems.build("--mov-client-auth", () -> ClientAuthMode.parse(options.clientAuth));
        MovSettings settings = profile == null ? null : problems.build(() -> new MovSettings(common.bindAddress(),
                options.port, profile, options.maxPacketBytes, common.handshakeTimeout(), common.idleTimeout(),
                options.maxConnections, common.drainTimeout(), options.maxInFlight));
        if (settings == null || clientAuth == null) {
            return List.of();
        }
        return List.of(new Plan(settings, clientAuth));
    }

    private record Plan(MovSettings settings, ClientAuthMode clientAuth) implements ListenerPlan {

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Listener.Endpoint endpoint() {
            return new Listener.Endpoint("tcp", settings.bindAddress(), settings.port(),
                    settings.cipherProfile().configName(), true);
        }

        @Override
        public Listener create(ListenerContext context) {
            ServerTls tls = context.tls().create(NAME, settings.cipherProfile(), settings.handshakeTimeout(), clientAuth);
            DevicePlane plane = context.plane();
            return new MovServer(NAME, settings, tls, new ReadingProcessor(plane.directory(), plane.ingest(),
                    plane.sessions()), plane.identity(), context.registry());
        }
    }
}
