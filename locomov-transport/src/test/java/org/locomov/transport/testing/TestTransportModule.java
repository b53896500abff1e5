package org.locomov.transport.testing;

import java.util.List;
import org.locomov.core.listener.Listener;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerContext;
import org.locomov.transport.ListenerModule;
import org.locomov.transport.OptionProblems;
import picocli.CommandLine.Option;

/**
 * {@link TestTransport} as a listener module, found by {@code serve} through {@link java.util.ServiceLoader}
 * when this test-jar is on its class path. Off unless {@code --test-transport-port} is given; it always binds
 * loopback, whatever {@code --bind} says.
 */
public final class TestTransportModule implements ListenerModule {

    /** The picocli options of the test transport. */
    public static final class Options {
        @Option(names = "--test-transport-port", paramLabel = "PORT", defaultValue = "-1",
                description = "Tests only: the line-based test transport on 127.0.0.1 at this port (0: any). Default: off.")
        int port;
    }

    /** Its settings. */
    public record Settings(int port) {
    }

    private final Options options = new Options();

    @Override
    public String name() {
        return TestTransport.NAME;
    }

    @Override
    public Object options() {
        return options;
    }

    @Override
    public boolean servesServerCertificates() {
        return false;
    }

    @Override
    public List<ListenerPlan> plan(CommonListenerSettings common, OptionProblems problems) {
        if (options.port < 0) {
            return List.of();
        }
        Settings settings = new Settings(options.port);
        return List.of(new ListenerPlan() {
            @Override
            public Listener.Endpoint endpoint() {
                return new Listener.Endpoint("tcp", "127.0.0.1", settings.port(), "plain TCP (tests only)", false);
            }

            @Override
            public String name() {
                return TestTransport.NAME;
            }

            @Override
            public Record settings() {
                return settings;
            }

            @Override
            public Listener create(ListenerContext context) {
                return TestTransport.listener("127.0.0.1", settings.port(), context.plane(), context.registry());
            }
        });
    }
}
