package org.locomov.particle;

import java.net.InetAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.locomov.core.listener.Listener;
import org.locomov.particle.keys.PgParticleDevices;
import org.locomov.particle.keys.ServerKeyStore;
import org.locomov.store.PgDeviceDescriptions;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerContext;
import org.locomov.transport.ListenerModule;
import org.locomov.transport.OptionProblems;

/**
 * The Particle listener as {@code serve} starts it (DESIGN.md §2): Spark Cores and Photons on TCP 5683,
 * with the server key shared by every node through the database.
 */
public final class ParticleModule implements ListenerModule {

    public static final String NAME = "particle";

    private final ParticleOptions options = new ParticleOptions();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ParticleOptions options() {
        return options;
    }

    @Override
    public boolean servesServerCertificates() {
        return false;
    }

    @Override
    public List<ListenerPlan> plan(CommonListenerSettings common, OptionProblems problems) {
        if (options.port == -1) {
            return List.of();
        }
        Duration commandTimeout = problems.build("--particle-command-timeout", () -> duration(options.commandTimeout));
        // Checked with a stand-in timeout too, so that every problem is reported at once.
        Duration timeout = commandTimeout != null ? commandTimeout : ParticleSettings.DEFAULT_COMMAND_TIMEOUT;
        ParticleSettings settings = problems.build(() -> new ParticleSettings(common.bindAddress(), options.port,
                options.maxSessions, options.maxHandshakes, options.maxMessageBytes, common.handshakeTimeout(),
                common.idleTimeout(), common.drainTimeout(), new LinkedHashSet<>(options.readingEvents),
                ParticleSettings.DEFAULT_OTA_CHUNK_BYTES, timeout));
        return settings == null || commandTimeout == null ? List.of() : List.of(new Plan(settings));
    }

    private static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            return Duration.parse(text.strip());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration (e.g. 30s, 500ms, PT1M): '" + text + "'");
        }
    }

    private record Plan(ParticleSettings settings) implements ListenerPlan {

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Listener.Endpoint endpoint() {
            return new Listener.Endpoint("tcp", settings.bindAddress(), settings.port(), "particle-rsa-aes", false);
        }

        @Override
        public Listener create(ListenerContext context) {
            ServerKeyStore keys = new ServerKeyStore(context.dataSource(), context.masterKey(), nodeName());
            PgParticleDevices devices = PgParticleDevices.withOwnThreads(context.dataSource());
            // Every node's API reads what devices describe from the database (decision 1021).
            PgDeviceDescriptions descriptions = new PgDeviceDescriptions(context.dataSource(),
                    runnable -> Thread.ofVirtual().start(runnable));
            return new ParticleServer(NAME, settings, keys::loadOrCreate, devices, context.plane(), descriptions,
                    context.userEvents(), context.registry());
        }

        private static String nodeName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "locomov";
            }
        }
    }
}
