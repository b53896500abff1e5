package org.locomov.mov;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.locomov.core.listener.Listener;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ClientAuthMode;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerContext;
import org.locomov.transport.ListenerModule;
import org.locomov.transport.OptionProblems;
import org.locomov.transport.ServerTls;

/**
 * The confo listener as {@code serve} starts it (DESIGN.md §2): newly provisioned devices post their cloud
 * confirmation over TLS on port 38979, in the mov framing, and it is decided and saved in one transaction.
 */
public final class ConfoModule implements ListenerModule {

    public static final String NAME = "confo";
    /** Confirmations are applied one at a time anyway (decision 0900); two threads keep one slow one from blocking. */
    private static final int DATABASE_THREADS = 2;

    private final ConfoOptions options = new ConfoOptions();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfoOptions options() {
        return options;
    }

    @Override
    public boolean servesServerCertificates() {
        return true;
    }

    @Override
    public List<ListenerPlan> plan(CommonListenerSettings common, OptionProblems problems) {
        CipherProfile profile = problems.build("--confo-cipher-profile", () -> CipherProfile.parse(options.cipherProfile));
        ConfoSettings settings = profile == null ? null : problems.build(() -> new ConfoSettings(common.bindAddress(),
                options.port, profile, options.maxConnections, common.handshakeTimeout(), common.idleTimeout(),
                common.drainTimeout()));
        return settings == null ? List.of() : List.of(new Plan(settings));
    }

    private record Plan(ConfoSettings settings) implements ListenerPlan {

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
            ServerTls tls = context.tls().create(NAME, settings.cipherProfile(), settings.handshakeTimeout(),
                    ClientAuthMode.NONE);
            ExecutorService transactions = Executors.newFixedThreadPool(DATABASE_THREADS,
                    Thread.ofPlatform().name("locomov-confo-db-", 0).daemon().factory());
            MovServer server = new MovServer(NAME, settings.framing(), tls,
                    new ConfoProcessor(context.plane().confirmations(), transactions), context.plane().identity(),
                    context.registry());
            return new ConfoListener(server, transactions);
        }
    }

    /** The confo {@link MovServer} and the threads its transactions run on, stopped after it. */
    private record ConfoListener(MovServer server, ExecutorService transactions) implements Listener {

        @Override
        public String name() {
            return server.name();
        }

        @Override
        public Endpoint endpoint() {
            return server.endpoint();
        }

        @Override
        public void start() {
            server.start();
        }

        @Override
        public int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.close();
            transactions.shutdownNow();
        }
    }
}
