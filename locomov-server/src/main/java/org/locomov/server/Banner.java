package org.locomov.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.locomov.api.ApiBootstrap.FirstAdmin;

/**
 * What {@code serve} prints once it is ready: what an operator needs to point a device at it.
 *
 * @param version        locomov's version
 * @param listeners      each listener with the port it really bound (not the configured 0)
 * @param trustedCaFile  the CA file devices must trust; {@code null} with the operator's own certificate
 * @param certificate    where the server certificate comes from, for the operator
 * @param database       "embedded PostgreSQL at URL" or "external PostgreSQL at URL", without password
 * @param dataDir        absolute
 * @param logFile        absolute; {@code null} when logging to stderr only ({@code -logtostderr})
 * @param firstAdmin     the admin created on this start, whose token is shown this once; empty otherwise
 */
public record Banner(String version, List<Listener> listeners, Path trustedCaFile, String certificate, String database,
        Path dataDir, Path logFile, Optional<FirstAdmin> firstAdmin) {

    /**
     * One listener as it really listens, e.g. {@code mov 0.0.0.0:38981 cc32xx}.
     *
     * @param port the port it bound (not a configured 0)
     */
    public record Listener(String name, org.locomov.core.listener.Listener.Endpoint endpoint, int port) {
    }

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&]*");

    public Banner {
        listeners = List.copyOf(listeners);
        firstAdmin = firstAdmin == null ? Optional.empty() : firstAdmin;
    }

    static String withoutPassword(String jdbcUrl) {
        return PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
    }

    String render() {
        StringBuilder text = new StringBuilder("locomov ").append(version).append(" ready\n");
        for (Listener listener : listeners) {
            line(text, "listener " + listener.name(), listener.endpoint().bindAddress() + ":" + listener.port()
                    + ("udp".equals(listener.endpoint().protocol()) ? " (UDP)" : "")
                    + "  " + (listener.endpoint().servesServerCertificate() ? "cipher profile " : "")
                    + listener.endpoint().security());
        }
        line(text, "devices trust", trustedCaFile != null ? trustedCaFile.toString() : "the root CA of " + certificate);
        line(text, "certificate", certificate);
        line(text, "database", database);
        line(text, "data dir", dataDir.toString());
        line(text, "logs", logFile != null ? logFile.toString() : "stderr only (-logtostderr)");
        firstAdmin.ifPresent(admin -> {
            line(text, "first admin", admin.email() + " (no users existed, so locomov created one)");
            line(text, "admin token", admin.secret() + "  <- shown only now; keep it, e.g. in a password manager");
        });
        return text.toString().stripTrailing();
    }

    private static void line(StringBuilder text, String label, String value) {
        // A label as long as the column (listener test-transport, listener particle) still gets a space before its value.
        text.append("  ").append(String.format("%-15s", label)).append(' ').append(value).append('\n');
    }
}
