package org.locomov.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.locomov.core.listener.Listener;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.CertificateSource;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerContext;
import org.locomov.transport.ListenerModule;
import org.locomov.transport.OptionProblems;

/**
 * The HTTPS API as {@code serve} starts it (DESIGN.md §2): users, devices, readings, live events and the
 * operations endpoints on TLS port 8443, fed with renewed certificates, answering ACME TLS-ALPN-01
 * challenges when the certificate source orders with them.
 */
public final class ApiModule implements ListenerModule {

    public static final String NAME = "api";

    private final ApiOptions options = new ApiOptions();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ApiOptions options() {
        return options;
    }

    @Override
    public boolean servesServerCertificates() {
        return true;
    }

    @Override
    public List<ListenerPlan> plan(CommonListenerSettings common, OptionProblems problems) {
        ApiSettings settings = problems.build(() -> new ApiSettings(common.bindAddress(), options.port,
                options.maxRequestBytes, options.maxConnections, common.idleTimeout(), options.sseMaxClients,
                options.confoQueriesPerMinute, options.confoMaxAge, options.firmwareMaxBytes));
        return settings == null ? List.of() : List.of(new Plan(settings));
    }

    private record Plan(ApiSettings settings) implements ListenerPlan {

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Listener.Endpoint endpoint() {
            return new Listener.Endpoint("tcp", settings.bindAddress(), settings.port(),
                    ApiServer.CIPHER_PROFILE.configName(), true);
        }

        @Override
        public Listener create(ListenerContext context) {
            CertificateSource source = context.certificates();
            CertificatePair served = source.current();
            ApiServer api = new ApiServer(settings, served.rsa(), served.ecOrNull(), context.dataSource(),
                    context.plane(), context.userEvents(), context.registry(),
                    new HealthSources(context.listenerStates(), () -> daysLeft(source.current())));
            source.tlsAlpnAnswers().ifPresent(api::answerTlsAlpnChallenges);
            source.addListener(NAME, pair -> api.replaceCertificates(pair.rsa(), pair.ecOrNull()));
            context.tls().watch(NAME, source::current);
            context.commits().add(api.events());
            return new ApiListener(api, endpoint());
        }
    }

    /** Whole days until the first served certificate expires; negative once one has. */
    private static long daysLeft(CertificatePair served) {
        Instant first = served.ecOrNull() == null || served.rsa().notAfter().isBefore(served.ecOrNull().notAfter())
                ? served.rsa().notAfter() : served.ecOrNull().notAfter();
        return Duration.between(Instant.now(), first).toDays();
    }

    /** The {@link ApiServer} as one of the server's listeners. */
    private record ApiListener(ApiServer api, Endpoint endpoint) implements Listener {

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void start() {
            api.start();
        }

        @Override
        public int port() {
            return api.port();
        }

        @Override
        public void close() {
            api.close();
        }
    }
}
