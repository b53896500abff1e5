package org.locomov.transport;

import java.util.List;
import org.locomov.core.listener.Listener;

/**
 * A module's contribution to {@code serve}: its listeners, with their own command-line options and their
 * own settings. The server holds one list of these (its built-in ones, then any found through
 * {@link java.util.ServiceLoader}, which is how tests add a test transport to a real {@code serve}); it
 * adds each module's {@link #options()} to {@code serve}, asks each to {@link #plan} from them, checks the
 * planned ports for collisions, starts them in order, and derives the banner, {@code /health},
 * {@code cert status} and the shutdown order from the list.
 *
 * <p>Implementations have a public no-argument constructor and hold only their options object.
 */
public interface ListenerModule {

    /** The module's name, e.g. {@code mov}; also the name of its main listener. */
    String name();

    /**
     * The picocli mixin holding this module's options (an object with {@code @Option} fields), added to
     * {@code serve}; {@code null} when it has none. Option names start with the module's name
     * ({@code --mqtt-port}) so they never collide.
     */
    Object options();

    /**
     * True when its listeners serve the server certificates from the certificate source, so
     * {@code cert status} lists it (Particle's listener has a key of its own and says false).
     */
    boolean servesServerCertificates();

    /**
     * Checks the options as parsed, adding every problem to {@code problems}, and says what to start: usually
     * one listener, none when the options turn it off, two when it listens on two ports.
     */
    List<ListenerPlan> plan(CommonListenerSettings common, OptionProblems problems);

    /** A listener that is checked and ready to be created. */
    interface ListenerPlan {

        /** Where it will listen, for the port-collision check before anything starts. */
        Listener.Endpoint endpoint();

        String name();

        /** The listener's own settings, checked (for logs and tests). */
        Record settings();

        /** Creates the listener (not started) from what the server shares with every listener. */
        Listener create(ListenerContext context);
    }
}
