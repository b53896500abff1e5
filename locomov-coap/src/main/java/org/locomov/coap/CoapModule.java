package org.locomov.coap;

import java.util.ArrayList;
import java.util.List;
import org.locomov.core.listener.Listener;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerContext;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.ListenerModule;
import org.locomov.transport.OptionProblems;

/**
 * The CoAP listener as {@code serve} starts it (DESIGN.md §2, issue 9): CoAP over DTLS 1.2 on UDP 5684, and,
 * only when asked for, plain CoAP for labs ({@code coap-insecure}).
 */
public final class CoapModule implements ListenerModule {

    public static final String NAME = "coap";
    public static final String INSECURE_NAME = "coap-insecure";

    private final CoapOptions options = new CoapOptions();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CoapOptions options() {
        return options;
    }

    @Override
    public boolean servesServerCertificates() {
        return true;
    }

    @Override
    public List<ListenerPlan> plan(CommonListenerSettings common, OptionProblems problems) {
        var suites = problems.build(() -> CoapSettings.parseCipherSuites(options.cipherSuites));
        CoapSettings settings = suites == null ? null : problems.build(() -> new CoapSettings(common.bindAddress(),
                options.port, options.insecurePort, suites, options.maxSessions, options.maxHandshakes,
                options.maxRequestBytes, common.handshakeTimeout(), common.idleTimeout(), common.drainTimeout()));
        if (settings == null) {
            return List.of();
        }
        List<ListenerPlan> plans = new ArrayList<>(2);
        if (settings.port() >= 0) {
            plans.add(new Plan(NAME, settings, true));
        }
        if (settings.insecurePort() >= 0) {
            plans.add(new Plan(INSECURE_NAME, settings, false));
        }
        return List.copyOf(plans);
    }

    private record Plan(String name, CoapSettings settings, boolean secure) implements ListenerPlan {

        @Override
        public Listener.Endpoint endpoint() {
            return CoapListener.endpointOf(settings, secure);
        }

        @Override
        public Listener create(ListenerContext context) {
            return new CoapListener(name, settings, secure, context.plane(), context.certificates(),
                    new ListenerEvents(name, "coap", context.registry()));
        }
    }
}
