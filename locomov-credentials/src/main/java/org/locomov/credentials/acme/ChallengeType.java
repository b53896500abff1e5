package org.locomov.credentials.acme;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the CA checks that locomov controls a name: an HTTP request on port 80, or a TLS handshake on port 443. */
public enum ChallengeType {
    /** {@code http-01}: locomov's own responder answers {@code /.well-known/acme-challenge/<token>}. */
    HTTP_01("http-01"),
    /** {@code tls-alpn-01}: the HTTPS API listener answers ALPN {@code acme-tls/1} with the challenge certificate. */
    TLS_ALPN_01("tls-alpn-01");

    private final String acmeName;

    ChallengeType(String acmeName) {
        this.acmeName = acmeName;
    }

    /** The name in ACME and on the command line ({@code http-01}, {@code tls-alpn-01}). */
    public String acmeName() {
        return acmeName;
    }

    /** @throws IllegalArgumentException naming the valid types */
    public static ChallengeType parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.acmeName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown ACME challenge '" + name + "'; valid: "
                        + Arrays.stream(values()).map(ChallengeType::acmeName).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return acmeName;
    }
}
