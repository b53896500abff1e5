package org.locomov.coap;

import java.time.Clock;
import org.locomov.core.DevicePlane;
import org.locomov.transport.ListenerEvents;

/**
 * What every resource of one CoAP listener shares: the device plane, how a request's device is found, the log
 * and metrics, the body limit and the count of requests being stored (for the drain on shutdown). Immutable.
 */
record CoapContext(DevicePlane plane, RequestDevice devices, ListenerEvents events, int maxRequestBytes,
        InFlight inFlight, Clock clock) {
}
