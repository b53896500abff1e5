package org.locomov.tls;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.locomov.tls.CipherSuite.*;

/**
 * A named set of TLS protocols and cipher suites, chosen per listener in the configuration.
 *
 * <ul>
 *   <li>{@link #MODERN} ({@code modern}): TLS 1.3, and TLS 1.2 with ECDHE key exchange and AEAD
 *       ciphers only. The default for every listener.</li>
 *   <li>{@link #CC32XX} ({@code cc32xx}): MODERN plus the suites TI's CC32xx Wi-Fi chips (CC3220S,
 *       CC3200) can speak: RSA key exchange and ECDHE-RSA, both with AES-CBC and SHA-1 MACs. Only for
 *       listeners such devices connect to.</li>
 * </ul>
 */
public enum CipherProfile {
    MODERN("modern", EnumSet.of(
            TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256),
            ""),
    CC32XX("cc32xx", EnumSet.allOf(CipherSuite.class),
            "CC32xx Wi-Fi devices (e.g. TI CC3220S) offer only TLS 1.2 with these suites and hold an RSA-only"
                    + " trust store; they are CBC with SHA-1 MACs, and TLS_RSA_* has no forward secrecy,"
                    + " so enable this profile only on listeners such devices use");

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final String configName;
    private final Set<CipherSuite> suites;
    private final String whyLegacy;

    CipherProfile(String configName, Set<CipherSuite> suites, String whyLegacy) {
        this.configName = configName;
        this.suites = suites;
        this.whyLegacy = whyLegacy;
    }

    /**
     * The profile named {@code name} in a configuration ("modern", "cc32xx"; case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid profiles when {@code name} is none of them
     */
    public static CipherProfile parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (CipherProfile profile : values()) {
            if (profile.configName.equals(wanted)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown cipher profile '" + name + "'; valid profiles: "
                + Arrays.stream(values()).map(CipherProfile::configName).collect(Collectors.joining(", ")));
    }

    /** The name used in configuration files and on the command line. */
    public String configName() {
        return configName;
    }

    /** Protocols, newest first, as JDK/Netty names ("TLSv1.3", "TLSv1.2"). */
    public List<String> protocols() {
        return PROTOCOLS;
    }

    /** Every suite of the profile by IANA name, in server preference order. */
    public List<String> cipherSuites() {
        return names(suites);
    }

    /** The suites a server holding a {@code serverKey} certificate can negotiate under this profile. */
    public List<String> cipherSuites(KeyType serverKey) {
        return names(suites.stream().filter(s -> s.usableWith(serverKey)).toList());
    }

    /** The suites this profile adds to {@link #MODERN}: what an operator accepts by choosing it. */
    public List<String> legacySuites() {
        return names(suites.stream().filter(s -> !MODERN.suites.contains(s)).toList());
    }

    /** True when the profile enables RSA key exchange ({@code TLS_RSA_*}), which JDK 24+ disables by default. */
    public boolean needsRsaKeyExchange() {
        return suites.stream().anyMatch(CipherSuite::rsaKeyExchange);
    }

    /** Why the legacy suites are enabled, for the log; empty for {@link #MODERN}. */
    public String whyLegacy() {
        return whyLegacy;
    }

    /**
     * True when a client that offered the suites with these IANA codes can take an ECDSA certificate under
     * this profile: one of them is an ECDHE_ECDSA suite the profile enables.
     */
    public boolean enablesEcdsaSuiteAmong(Set<Integer> offeredSuiteCodes) {
        return suites.stream().anyMatch(suite -> suite.usableWith(KeyType.EC) && !suite.anyServerKey()
                && offeredSuiteCodes.contains(suite.code()));
    }

    Set<CipherSuite> suites() {
        return suites;
    }

    @Override
    public String toString() {
        return configName;
    }

    private static List<String> names(java.util.Collection<CipherSuite> suites) {
        return suites.stream().map(CipherSuite::ianaName).toList();
    }
}
