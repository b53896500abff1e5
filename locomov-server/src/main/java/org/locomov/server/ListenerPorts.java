package org.locomov.server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locomov.core.listener.Listener.Endpoint;
import org.locomov.transport.ListenerModule.ListenerPlan;
import org.locomov.transport.OptionProblems;

/** The one check that no two planned listeners ask for the same port, before anything starts. */
final class ListenerPorts {

    private ListenerPorts() {
    }

    /**
     * Refuses, naming both options, every pair of listeners that would bind the same protocol and port (port 0,
     * any free port, never collides). Option names follow the modules' convention {@code --<listener>-port}.
     */
    static void checkCollisions(List<ListenerPlan> listeners, OptionProblems problems) {
        Map<String, ListenerPlan> taken = new HashMap<>();
        for (ListenerPlan listener : listeners) {
            Endpoint endpoint = listener.endpoint();
            if (endpoint.port() == 0) {
                continue;
            }
            ListenerPlan other = taken.putIfAbsent(endpoint.protocol() + ":" + endpoint.port(), listener);
            problems.refuseIf(other != null, "--" + (other == null ? "" : other.name()) + "-port and --" + listener.name()
                    + "-port must differ, both are " + endpoint.protocol().toUpperCase(java.util.Locale.ROOT) + " "
                    + endpoint.port());
        }
    }
}
