package org.locomov.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Security;
import java.util.Arrays;
import java.util.List;

/**
 * Re-enables RSA key exchange ({@code TLS_RSA_*}) in the JDK's TLS provider, which JDK 24 and later
 * disable through the {@code jdk.tls.disabledAlgorithms} security property, for the {@link CipherProfile#CC32XX}
 * profile when Netty runs on the JDK provider instead of OpenSSL.
 *
 * <p>Only the {@code TLS_RSA_*} entry is removed; every other restriction stays. The JDK reads the property
 * once, when its TLS classes first load, so this must run before the first {@code SSLContext} of the
 * process; {@link ServerTls} checks afterwards that the suites really are enabled and fails loudly if they
 * are not. The property is process-wide: that is why it is logged at WARN.
 *
 * <p>Thread-safety: {@link #allowRsaKeyExchange} is synchronized; it changes a JVM-wide property.
 */
public final class JdkLegacySuites {

    private static final Logger log = LoggerFactory.getLogger(JdkLegacySuites.class);

    public static final String PROPERTY = "jdk.tls.disabledAlgorithms";
    private static final String RSA_KEY_EXCHANGE_ENTRY = "TLS_RSA_*";

    private JdkLegacySuites() {
    }

    /**
     * Removes {@code TLS_RSA_*} from {@code jdk.tls.disabledAlgorithms} if it is there; logs once at WARN
     * what it did and for whom. Does nothing on JDKs that do not disable these suites.
     */
    public static synchronized void allowRsaKeyExchange(String forWhom) {
        String disabled = Security.getProperty(PROPERTY);
        if (disabled == null) {
            return;
        }
        List<String> entries = Arrays.stream(disabled.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
        List<String> kept = entries.stream().filter(e -> !e.equalsIgnoreCase(RSA_KEY_EXCHANGE_ENTRY)).toList();
        if (kept.size() == entries.size()) {
            return;
        }
        Security.setProperty(PROPERTY, String.join(", ", kept));
        log.warn("{}: removed {} from the JDK security property {} so that the JDK TLS provider can offer"
                        + " TLS_RSA_WITH_AES_256_CBC_SHA and TLS_RSA_WITH_AES_128_CBC_SHA: CC32xx devices support"
                        + " no other key exchange; this applies to the whole process; the other restrictions"
                        + " remain: {}", forWhom, RSA_KEY_EXCHANGE_ENTRY, PROPERTY, String.join(", ", kept));
    }
}
