package org.locomov.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.Peers;

/**
 * Californium's block-wise layer refuses a Block1 transfer over the body limit itself (4.13 with Size1) before
 * any resource sees it; this gives that refusal the same log line and counter as every other refusal. Only its
 * responses are counted: ours carry a Content-Format (text/plain), Californium's carry none.
 */
final class BlockTransferRefusals extends MessageInterceptorAdapter {

    private final ListenerEvents events;

    BlockTransferRefusals(ListenerEvents events) {
        this.events = events;
    }

    @Override
    public void sendResponse(Response response) {
        if (response.getCode() == ResponseCode.REQUEST_ENTITY_TOO_LARGE && !response.getOptions().hasContentFormat()) {
            events.refused(Peers.describe(response.getDestinationContext().getPeerAddress()), "a block-wise request",
                    Refusal.of(RefusalKind.OVERSIZE, response.getPayloadString()));
        }
    }
}
