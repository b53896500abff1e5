package org.locomov.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The TLS library this process serves with, chosen once ({@link #select}) before Netty loads a native one.
 *
 * <p>netty-tcnative binds one native library per JVM, by name: BoringSSL ships as
 * {@code META-INF/native/libnetty_tcnative_linux_x86_64.so} (netty-tcnative-boringssl-static), and locomov-tls
 * ships netty-tcnative's dynamic build, linked against the system's {@code libssl.so.3}, as
 * {@code libnetty_tcnative_linux_x86_64_fedora.so} (the build copies it there). Netty tries the
 * {@code _fedora} name first when the system property {@value #OS_CLASSIFIERS} names that classifier, and goes
 * on to BoringSSL when it does not load (no {@code libssl.so.3} or {@code libapr-1.so.0}). So the choice is that
 * property, set before Netty's {@code PlatformDependent} and {@code OpenSsl} classes initialise, and checked
 * afterwards against the library that really loaded: a choice made too late, or a library that does not load,
 * is an error for an explicit choice; {@link TlsProvider#AUTO} takes BoringSSL, measured the cheapest per handshake,
 * and falls back to the system's OpenSSL, then the JDK, with a log line (decision 1520).
 *
 * <p>Thread-safety: {@link #select} and {@link #current} are synchronized on the class; the result is immutable.
 */
public final class TlsLibrary {

    /** Netty's system property naming the Linux distribution classifiers whose native libraries it tries first. */
    static final String OS_CLASSIFIERS = "io.netty.osClassifiers";
    /** The classifier under whose library name locomov-tls ships the system-OpenSSL build. */
    static final String SYSTEM_OPENSSL_CLASSIFIER = "fedora";
    /**
     * netty-tcnative 2.0.81's dynamic build calls {@code SSL_get0_group_name} (OpenSSL 3.2); the builds before it
     * link OpenSSL 1.0.0. So no build on Maven Central loads against Debian 12's or Ubuntu 24.04's OpenSSL 3.0.
     */
    static final String WHAT_SYSTEM_OPENSSL_NEEDS = "netty-tcnative's OpenSSL build needs OpenSSL 3.2 or newer "
            + "(libssl.so.3 with OPENSSL_3.2.0, e.g. Debian 13, Fedora 40; Debian 12 and Ubuntu 24.04 ship 3.0) and "
            + "libapr-1.so.0 (apt-get install libapr1)";

    private static final Logger log = LoggerFactory.getLogger(TlsLibrary.class);
    private static TlsLibrary selected;

    private final TlsProvider asked;
    private final TlsProvider serving;
    private final String version;

    private TlsLibrary(TlsProvider asked, TlsProvider serving, String version) {
        this.asked = asked;
        this.serving = serving;
        this.version = version;
    }

    /**
     * Chooses the library for this process, once; later calls get the same answer when it fits what they ask.
     *
     * @throws IllegalStateException when the library asked for explicitly cannot be loaded, or when this process
     *                               already serves with another one
     */
    public static synchronized TlsLibrary select(TlsProvider asked) {
        Objects.requireNonNull(asked, "asked");
        if (selected != null) {
            if (asked != TlsProvider.AUTO && asked != selected.serving) {
                throw new IllegalStateException("TLS provider " + asked.optionName() + " asked for, but this process "
                        + "already serves with " + selected.describe() + "; the choice holds for the whole process");
            }
            return selected;
        }
        selected = load(asked);
        log.info("TLS provider: {} (asked for {})", selected.describe(), asked.optionName());
        return selected;
    }

    /** The library selected so far, selecting {@link TlsProvider#AUTO} when nothing was chosen yet. */
    public static synchronized TlsLibrary current() {
        return selected != null ? selected : select(TlsProvider.AUTO);
    }

    private static TlsLibrary load(TlsProvider asked) {
        return switch (asked) {
            case JDK -> jdk(TlsProvider.JDK);
            case BORINGSSL -> {
                System.setProperty(OS_CLASSIFIERS, "");
                TlsProvider loaded = nativeLoaded();
                if (loaded != TlsProvider.BORINGSSL) {
                    throw new IllegalStateException("TLS provider boringssl: " + whyNot(loaded, "BoringSSL"));
                }
                yield new TlsLibrary(asked, loaded, OpenSsl.versionString());
            }
            case OPENSSL -> {
                System.setProperty(OS_CLASSIFIERS, SYSTEM_OPENSSL_CLASSIFIER);
                TlsProvider loaded = nativeLoaded();
                if (loaded != TlsProvider.OPENSSL) {
                    throw new IllegalStateException("TLS provider openssl: " + whyNot(loaded, "the system's OpenSSL")
                            + "; " + WHAT_SYSTEM_OPENSSL_NEEDS + ". --tls-provider boringssl needs nothing installed");
                }
                yield new TlsLibrary(asked, loaded, OpenSsl.versionString());
            }
            case AUTO -> {
                // Netty's own order without distribution classifiers: BoringSSL, then the system-OpenSSL build.
                System.setProperty(OS_CLASSIFIERS, "");
                TlsProvider loaded = nativeLoaded();
                if (loaded == TlsProvider.JDK) {
                    log.warn("TLS provider auto: no native TLS library loads ({}); serving with the JDK's, which is "
                            + "slower per handshake", OpenSsl.unavailabilityCause().toString());
                    yield jdk(asked);
                }
                if (loaded == TlsProvider.OPENSSL) {
                    log.info("TLS provider auto: BoringSSL did not load; serving with the system's OpenSSL");
                }
                yield new TlsLibrary(asked, loaded, OpenSsl.versionString());
            }
        };
    }

    /** Which native library Netty loaded (initialising it now if no one has), or JDK when none did. */
    private static TlsProvider nativeLoaded() {
        if (!OpenSsl.isAvailable()) {
            return TlsProvider.JDK;
        }
        // Netty reports BoringSSL by that exact name, OpenSSL with its version (e.g. "OpenSSL 3.0.19 27 Jan 2026").
        return "BoringSSL".equals(OpenSsl.versionString()) ? TlsProvider.BORINGSSL : TlsProvider.OPENSSL;
    }

    private static String whyNot(TlsProvider loaded, String wanted) {
        return switch (loaded) {
            case JDK -> "no native TLS library loads (" + OpenSsl.unavailabilityCause() + ")";
            case BORINGSSL, OPENSSL -> "this process loaded " + OpenSsl.versionString() + " instead of " + wanted
                    + " (a native TLS library was loaded before the choice, or " + wanted + " did not load)";
            case AUTO -> throw new IllegalArgumentException("not a library");
        };
    }

    private static TlsLibrary jdk(TlsProvider asked) {
        return new TlsLibrary(asked, TlsProvider.JDK, "JDK " + Runtime.version().feature() + " SunJSSE");
    }

    /** What was asked for ({@code --tls-provider}). */
    public TlsProvider asked() {
        return asked;
    }

    /** The library in service: {@link TlsProvider#OPENSSL}, {@link TlsProvider#BORINGSSL} or {@link TlsProvider#JDK}. */
    public TlsProvider serving() {
        return serving;
    }

    /** The provider to give Netty's {@code SslContextBuilder}: OPENSSL for both native libraries. */
    public SslProvider nettyProvider() {
        return serving == TlsProvider.JDK ? SslProvider.JDK : SslProvider.OPENSSL;
    }

    /** For logs and banners, e.g. {@code system OpenSSL (OpenSSL 3.0.19 27 Jan 2026)} or {@code BoringSSL}. */
    public String describe() {
        return switch (serving) {
            case OPENSSL -> "system OpenSSL (" + version + ")";
            case BORINGSSL -> "BoringSSL (netty-tcnative-boringssl-static)";
            case JDK, AUTO -> version;
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
