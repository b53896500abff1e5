/**
 * The CoAP listener (DESIGN.md §2): CoAP over DTLS 1.2 on Eclipse Californium and Scandium. Devices prove who
 * they are in the DTLS handshake (PSK or X.509, through the device plane's
 * {@link org.locomov.core.identity.DeviceIdentity}); resources hand what they receive to the device plane and
 * answer 2.01 Created only after it is committed.
 *
 * <p>Threads: Scandium runs handshakes on its own threads and asks {@code DeviceIdentity} asynchronously;
 * Californium calls resources on its protocol-stage executor. A resource leaves that thread the kit's one way
 * (docs/decisions/1200): it calls something that returns a future, and answers the exchange when it completes,
 * from whichever thread completes it (a Californium exchange may be answered from any thread).
 */
package org.locomov.coap;
