package org.locomov.particle.coap;

/** The four CoAP message types (RFC 7252 §3), by their 2-bit value. */
public enum CoapType {
    CON, NON, ACK, RST;

    static CoapType of(int bits) {
        return values()[bits & 0x3];
    }
}
