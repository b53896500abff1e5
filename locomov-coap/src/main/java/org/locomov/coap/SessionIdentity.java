package org.locomov.coap;

import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.RelaxedDtlsEndpointContextMatcher;
import org.eclipse.californium.elements.util.Bytes;

/**
 * Californium's peer identity for deduplication and token matching: the DTLS session, not the address. Two
 * devices behind one NAT never shadow each other's message ids, and a device whose address changes with the same
 * Connection ID is the same peer, so a retransmission from its new address is still recognised as one
 * (issue 9; docs/decisions/1402). Responses stay relaxed-matched, as Californium does by default for DTLS.
 */
final class SessionIdentity extends RelaxedDtlsEndpointContextMatcher {

    @Override
    public Object getEndpointIdentity(EndpointContext context) {
        Bytes session = context.get(DtlsEndpointContext.KEY_SESSION_ID);
        if (session != null && !session.isEmpty()) {
            return session;
        }
        return super.getEndpointIdentity(context);
    }
}
