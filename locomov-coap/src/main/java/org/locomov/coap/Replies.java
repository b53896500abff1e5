package org.locomov.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.locomov.core.Refusal;

/**
 * The one place where a {@link Refusal} becomes a CoAP response (issue 9): 4.00 for what cannot be read or
 * stored, 4.01 for credentials that prove nothing, 4.03 for a device that may not do this, 4.13 with Size1 for
 * a body over the limit, 5.03 with Max-Age when storage cannot take it now (the device retries after Max-Age),
 * 5.00 for the unforeseen. The diagnostic payload is the refusal's one-line reason.
 */
final class Replies {

    /** Max-Age of a 5.03: how long a device should wait before it retries. */
    static final int RETRY_AFTER_SECONDS = 5;

    private Replies() {
    }

    static Response created() {
        return new Response(ResponseCode.CREATED);
    }

    /** @param maxRequestBytes the body limit, sent as Size1 with a 4.13 */
    static Response refused(Refusal refusal, int maxRequestBytes) {
        ResponseCode code = switch (refusal.kind()) {
            case MALFORMED, WRONG_TYPE, MISSING_FIELD, OUT_OF_RANGE, REFUSED_BY_DATABASE, TLS_REQUIRED -> ResponseCode.BAD_REQUEST;
            case OVERSIZE -> ResponseCode.REQUEST_ENTITY_TOO_LARGE;
            case BAD_CREDENTIALS, CERTIFICATE_REFUSED -> ResponseCode.UNAUTHORIZED;
            case UNKNOWN_DEVICE, REVOKED_DEVICE, CERTIFICATE_MISMATCH, NOT_AUTHORISED -> ResponseCode.FORBIDDEN;
            case STORAGE_UNAVAILABLE, SHUTTING_DOWN -> ResponseCode.SERVICE_UNAVAILABLE;
            case SERVER_ERROR -> ResponseCode.INTERNAL_SERVER_ERROR;
        };
        Response response = withReason(code, refusal.reason());
        if (code == ResponseCode.SERVICE_UNAVAILABLE) {
            response.getOptions().setMaxAge(RETRY_AFTER_SECONDS);
        } else if (code == ResponseCode.REQUEST_ENTITY_TOO_LARGE) {
            response.getOptions().setSize1(maxRequestBytes);
        }
        return response;
    }

    /** 4.15: the body's Content-Format is not one the resource reads. */
    static Response unsupportedFormat(String reason) {
        return withReason(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, reason);
    }

    private static Response withReason(ResponseCode code, String reason) {
        Response response = new Response(code);
        response.setPayload(reason);
        response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
        return response;
    }
}
