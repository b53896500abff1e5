package org.locomov.credentials.acme;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Everything ACME needs, checked once by {@link Builder#build()}; messages name the command-line option.
 *
 * @param directory          the CA's directory URL ({@code --acme-directory})
 * @param email              contact for the account, or {@code null} ({@code --acme-email})
 * @param domains            the names every certificate carries, first = subject ({@code --domain}, repeatable)
 * @param challenge          {@code --acme-challenge}; default {@code http-01}
 * @param bindAddress        where the HTTP-01 responder listens ({@code --bind}); default {@code 0.0.0.0}
 * @param httpPort           the HTTP-01 responder's port ({@code --acme-http-port}); default 80, 0 = any free port
 * @param caTrustFile        PEM CA(s) to trust for the ACME server's own HTTPS instead of the JDK's, or {@code null}
 *                           ({@code --acme-ca-trust})
 * @param preferredChain     CN of the root the served chain should lead to, among the CA's alternate chains, or
 *                           {@code null} for the CA's default chain ({@code --acme-preferred-chain})
 * @param includeRoot        append the root to the served chain ({@code --tls-include-root}); default off
 * @param rootCaFile         PEM roots to find that root in, besides the JDK's trusted roots, or {@code null}
 *                           ({@code --tls-root-ca})
 * @param pollInterval       how often the shared table is read and renewal reconsidered; default 1 minute
 * @param orderTimeout       longest one order may take (challenges, finalisation, download); default 3 minutes
 * @param firstRetryDelay    wait after the first failed order, doubled per failure with jitter; default 1 minute
 * @param maxRetryDelay      the longest wait between attempts; default 1 hour
 * @param renewalInfoRefresh how often the CA's renewal information is fetched again; default 6 hours
 */
public record AcmeSettings(URI directory, String email, List<String> domains, ChallengeType challenge,
                           String bindAddress, int httpPort, Path caTrustFile, String preferredChain,
                           boolean includeRoot, Path rootCaFile, Duration pollInterval, Duration orderTimeout,
                           Duration firstRetryDelay, Duration maxRetryDelay, Duration renewalInfoRefresh) {

    public static final int DEFAULT_HTTP_PORT = 80;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_ORDER_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_FIRST_RETRY_DELAY = Duration.ofMinutes(1);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofHours(1);
    public static final Duration DEFAULT_RENEWAL_INFO_REFRESH = Duration.ofHours(6);
    /** Below this, polling the shared table or retrying would hammer the database or the CA. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    /** A DNS name of letters, digits and hyphens; no wildcards (HTTP-01 and TLS-ALPN-01 cannot prove them). */
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    public AcmeSettings {
        domains = List.copyOf(domains);
    }

    public static Builder builder(URI directory, List<String> domains) {
        return new Builder(directory, domains);
    }

    /** Builds {@link AcmeSettings}; every setter has the default documented on the record. */
    public static final class Builder {
        private final URI directory;
        private final List<String> domains;
        private String email;
        private ChallengeType challenge = ChallengeType.HTTP_01;
        private String bindAddress = "0.0.0.0";
        private int httpPort = DEFAULT_HTTP_PORT;
        private Path caTrustFile;
        private String preferredChain;
        private boolean includeRoot;
        private Path rootCaFile;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration orderTimeout = DEFAULT_ORDER_TIMEOUT;
        private Duration firstRetryDelay = DEFAULT_FIRST_RETRY_DELAY;
        private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;
        private Duration renewalInfoRefresh = DEFAULT_RENEWAL_INFO_REFRESH;

        private Builder(URI directory, List<String> domains) {
            this.directory = directory;
            this.domains = domains == null ? List.of() : List.copyOf(domains);
        }

        public Builder email(String value) { email = value; return this; }
        public Builder challenge(ChallengeType value) { challenge = value; return this; }
        public Builder bindAddress(String value) { bindAddress = value; return this; }
        public Builder httpPort(int value) { httpPort = value; return this; }
        public Builder caTrustFile(Path value) { caTrustFile = value; return this; }
        public Builder preferredChain(String value) { preferredChain = value; return this; }
        public Builder includeRoot(boolean value) { includeRoot = value; return this; }
        public Builder rootCaFile(Path value) { rootCaFile = value; return this; }
        public Builder pollInterval(Duration value) { pollInterval = value; return this; }
        public Builder orderTimeout(Duration value) { orderTimeout = value; return this; }
        public Builder retryDelays(Duration first, Duration max) { firstRetryDelay = first; maxRetryDelay = max; return this; }
        public Builder renewalInfoRefresh(Duration value) { renewalInfoRefresh = value; return this; }

        /** @throws IllegalArgumentException listing every problem, each naming its option */
        public AcmeSettings build() {
            List<String> problems = new ArrayList<>();
            String scheme = directory == null || directory.getScheme() == null ? "" : directory.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                problems.add("--acme-directory must be the CA's directory URL (https://...), was " + directory);
            }
            List<String> names = domains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).distinct().toList();
            if (names.isEmpty()) {
                problems.add("ACME needs at least one --domain");
            }
            names.stream().filter(name -> !DNS_NAME.matcher(name).matches()).forEach(name -> problems.add(
                    "--domain " + name + " is not a DNS name (wildcards need DNS-01, which locomov does not do)"));
            if (email != null && (email.isBlank() || !email.contains("@") || email.chars().anyMatch(Character::isWhitespace))) {
                problems.add("--acme-email must be an e-mail address, was '" + email + "'");
            }
            if (challenge == null) {
                problems.add("--acme-challenge must be http-01 or tls-alpn-01");
            }
            if (bindAddress == null || bindAddress.isBlank()) {
                problems.add("--bind must name an address");
            }
            if (httpPort < 0 || httpPort > 65535) {
                problems.add("--acme-http-port must be 0 to 65535, was " + httpPort);
            }
            if (preferredChain != null && preferredChain.isBlank()) {
                problems.add("--acme-preferred-chain must name a root CA's common name");
            }
            atLeast(problems, "ACME poll interval", pollInterval, MIN_INTERVAL);
            atLeast(problems, "ACME order timeout", orderTimeout, Duration.ofSeconds(1));
            atLeast(problems, "ACME first retry delay", firstRetryDelay, MIN_INTERVAL);
            atLeast(problems, "ACME renewal information refresh", renewalInfoRefresh, MIN_INTERVAL);
            if (maxRetryDelay == null || firstRetryDelay != null && maxRetryDelay.compareTo(firstRetryDelay) < 0) {
                problems.add("the longest ACME retry delay must not be shorter than the first");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new AcmeSettings(directory, email == null ? null : email.trim(), names, challenge, bindAddress,
                    httpPort, caTrustFile, preferredChain == null ? null : preferredChain.trim(), includeRoot, rootCaFile,
                    pollInterval, orderTimeout, firstRetryDelay, maxRetryDelay, renewalInfoRefresh);
        }

        private static void atLeast(List<String> problems, String what, Duration value, Duration minimum) {
            if (value == null || value.compareTo(minimum) < 0) {
                problems.add(what + " must be at least " + minimum.toMillis() + " ms, was " + value);
            }
        }
    }

    /** The names as one string for logs. */
    public String describeDomains() {
        return String.join(", ", domains);
    }
}
