package org.locomov.tls;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which TLS library serves the device listeners ({@code serve --tls-provider}). The choice holds for the whole
 * process: netty-tcnative binds one native library per JVM (see {@link TlsLibrary}).
 */
public enum TlsProvider {
    /** BoringSSL (measured the cheapest per handshake), else the system's OpenSSL when it loads, else the JDK. */
    AUTO,
    /** The system's OpenSSL ({@code libssl.so.3}, with {@code libapr-1.so.0}) through netty-tcnative's dynamic build. */
    OPENSSL,
    /** BoringSSL linked into netty-tcnative-boringssl-static: no system library needed. */
    BORINGSSL,
    /** The JDK's own provider (SunJSSE): no native code at all, slowest per handshake. */
    JDK;

    /** The name on the command line: {@code auto}, {@code openssl}, {@code boringssl}, {@code jdk}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The provider {@code name} names, in any case.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static TlsProvider parse(String name) {
        for (TlsProvider provider : values()) {
            if (provider.optionName().equalsIgnoreCase(name.strip())) {
                return provider;
            }
        }
        throw new IllegalArgumentException("unknown TLS provider '" + name + "'; one of "
                + Arrays.stream(values()).map(TlsProvider::optionName).collect(Collectors.joining(", ")));
    }
}
