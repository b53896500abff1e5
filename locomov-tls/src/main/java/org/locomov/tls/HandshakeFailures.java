package org.locomov.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a TLS handshake failed: a specific reason for the log line that reports it (never empty, never
 * "null": a failed handshake's exception often carries no message of its own) and a short tag for the
 * {@code reason} of the failure metric.
 *
 * <p>Stateless; safe from any thread.
 */
public final class HandshakeFailures {

    /**
     * One failed handshake.
     *
     * @param tag    short and stable, for a metric tag: {@code timeout}, {@code plaintext}, {@code no_shared_cipher},
     *               {@code protocol_version}, {@code client_alert_<alert>}, {@code client_certificate_expired},
     *               {@code client_certificate_untrusted}, {@code client_certificate_missing}, {@code malformed},
     *               {@code closed}, {@code other}
     * @param reason for the operator: what happened, then the TLS stack's own words where they add something
     */
    public record Failure(String tag, String reason) {
    }

    /** The JDK's "Received fatal alert: unknown_ca", BoringSSL's "TLSV1_ALERT_UNKNOWN_CA" / "SSLV3_ALERT_BAD_CERTIFICATE". */
    private static final Pattern RECEIVED_ALERT =
            Pattern.compile("(?i)received fatal alert: (\\w+)|(?:SSLV3|TLSV1)_ALERT_(\\w+)");

    private HandshakeFailures() {
    }

    /** The reason {@code cause} (and the exceptions it wraps) gives, or what it is when it gives none. */
    public static String reason(Throwable cause) {
        return classify(cause).reason();
    }

    /** What {@code cause} says about the failed handshake, most specific first. */
    public static Failure classify(Throwable cause) {
        if (cause == null) {
            return new Failure("closed", "the connection closed during the handshake");
        }
        String messages = messages(cause);
        String lower = messages.toLowerCase(Locale.ROOT);
        if (has(cause, SslHandshakeTimeoutException.class)) {
            return new Failure("timeout", "timed out: the client did not complete the handshake in time");
        }
        if (has(cause, NotSslRecordException.class)) {
            return new Failure("plaintext", "plain text on a TLS port (the client did not start TLS)");
        }
        Matcher alert = RECEIVED_ALERT.matcher(messages);
        if (alert.find()) {
            String name = (alert.group(1) != null ? alert.group(1) : alert.group(2)).toLowerCase(Locale.ROOT);
            return new Failure("client_alert_" + name, "the client ended the handshake with alert " + name
                    + alertMeaning(name));
        }
        if (has(cause, CertificateExpiredException.class)) {
            return new Failure("client_certificate_expired", "the client's certificate has expired (" + innermost(cause)
                    + ")");
        }
        if (has(cause, CertificateNotYetValidException.class)) {
            return new Failure("client_certificate_expired", "the client's certificate is not valid yet");
        }
        if (lower.contains("empty client certificate chain") || lower.contains("no client certificate")
                || lower.contains("peer_did_not_return_a_certificate") || lower.contains("peer not authenticated")) {
            return new Failure("client_certificate_missing", "the client sent no certificate, and one is required");
        }
        if (has(cause, CertPathBuilderException.class) || has(cause, CertPathValidatorException.class)
                || lower.contains("pkix path") || lower.contains("certificate_verify_failed")) {
            return new Failure("client_certificate_untrusted",
                    "the client's certificate is not issued by a CA this listener trusts (" + innermost(cause) + ")");
        }
        if (lower.contains("no cipher suites in common") || lower.contains("no_shared_cipher")
                || lower.contains("no appropriate cipher suite")) {
            return new Failure("no_shared_cipher", "no cipher suite in common with the client (the listener's cipher "
                    + "profile offers none the client does)");
        }
        if (lower.contains("protocol version") || lower.contains("no appropriate protocol")
                || lower.contains("protocol versions") || lower.contains("unsupported protocol")
                || lower.contains("requested protocol") || lower.contains("unsupported_protocol")) {
            return new Failure("protocol_version", "the client's TLS version is not enabled on this listener ("
                    + firstLine(cause) + ")");
        }
        if (has(cause, ClosedChannelException.class) || lower.contains("connection reset")
                || lower.contains("remote host terminated") || lower.contains("broken pipe")
                || lower.contains("closed") && lower.contains("handshake")) {
            return new Failure("closed", "the client closed the connection during the handshake");
        }
        if (lower.contains("bad_packet_length") || lower.contains("wrong_version_number")
                || lower.contains("decode_error") || lower.contains("unexpected_record") || lower.contains("excessive_message")
                || lower.contains("unsupported or unrecognized ssl message")) {
            return new Failure("malformed", "the client sent something that is not a valid TLS handshake ("
                    + firstLine(cause) + ")");
        }
        String text = firstLine(cause);
        return new Failure("other", text.isEmpty() ? cause.getClass().getSimpleName() : text);
    }

    private static String alertMeaning(String alert) {
        return switch (alert) {
            case "unknown_ca" -> " (it does not trust the CA at the end of the server's chain)";
            case "bad_certificate", "certificate_unknown" -> " (it refused the server's certificate)";
            case "certificate_expired" -> " (it finds the server's certificate expired; check its clock)";
            case "handshake_failure" -> " (it found nothing acceptable in the server's hello)";
            case "protocol_version" -> " (it does not speak the listener's TLS versions)";
            case "decrypt_error", "bad_record_mac" -> " (key exchange failed)";
            default -> "";
        };
    }

    /** Every message in the chain, joined, for matching. */
    private static String messages(Throwable cause) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                all.append(t.getMessage()).append(" | ");
            }
        }
        return all.toString();
    }

    /** The first non-blank message in the chain, first line only. */
    private static String firstLine(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                String stripped = message.strip();
                int newline = stripped.indexOf('\n');
                return newline < 0 ? stripped : stripped.substring(0, newline);
            }
        }
        return "";
    }

    /** The message of the deepest cause that has one: the validator's own words rather than a wrapper's. */
    private static String innermost(Throwable cause) {
        String message = "";
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage().strip();
            }
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static boolean has(Throwable cause, Class<? extends Throwable> type) {
        return find(cause, type) != null;
    }

    private static Throwable find(Throwable cause, Class<? extends Throwable> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }
}
