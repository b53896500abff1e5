package org.locomov.core;

/**
 * Why something a device sent was refused, as a short code for metrics ({@code reason} tag) and logs,
 * and whether the connection can still be used afterwards. Every transport maps these to its own
 * protocol's replies in one place. A connection is closed when framing is lost (malformed
 * or oversize input), when TLS was not spoken, or when nothing the client sends next can succeed.
 */
public enum RefusalKind {
    MALFORMED("malformed", true),
    OVERSIZE("oversize", true),
    TLS_REQUIRED("tls_required", true),
    WRONG_TYPE("wrong_type", false),
    MISSING_FIELD("missing_field", false),
    OUT_OF_RANGE("out_of_range", false),
    UNKNOWN_DEVICE("unknown_device", false),
    REVOKED_DEVICE("revoked_device", true),
    CERTIFICATE_REFUSED("certificate_refused", true),
    CERTIFICATE_MISMATCH("certificate_mismatch", true),
    /** A token, password or PSK that matches no live credential of the device. */
    BAD_CREDENTIALS("bad_credentials", true),
    /** Identified, but not allowed to do this (another device's topic or resource, an unsupported feature). */
    NOT_AUTHORISED("not_authorised", false),
    STORAGE_UNAVAILABLE("storage_unavailable", false),
    REFUSED_BY_DATABASE("refused_by_database", false),
    SHUTTING_DOWN("shutting_down", true),
    SERVER_ERROR("server_error", true);

    private final String tag;
    private final boolean closesConnection;

    RefusalKind(String tag, boolean closesConnection) {
        this.tag = tag;
        this.closesConnection = closesConnection;
    }

    /** The short code used as the metrics tag {@code reason}. */
    public String tag() {
        return tag;
    }

    public boolean closesConnection() {
        return closesConnection;
    }
}
