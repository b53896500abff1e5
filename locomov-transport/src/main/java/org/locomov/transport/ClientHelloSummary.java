package org.locomov.transport;

import org.locomov.tls.CipherProfile;

import io.netty.buffer.ByteBuf;

import java.util.HashSet;
import java.util.Set;

/**
 * What a TLS client hello says about the certificates a client can use: the cipher suites it offers and
 * whether it speaks TLS 1.3. A hello that cannot be read yields {@link #UNREADABLE}, which offers nothing,
 * so the client gets the RSA context and that context's handshake reports the real error.
 */
record ClientHelloSummary(Set<Integer> offeredSuites, boolean offersTls13) {

    static final ClientHelloSummary UNREADABLE = new ClientHelloSummary(Set.of(), false);

    private static final int RANDOM_LENGTH = 32;
    private static final int SUPPORTED_VERSIONS_EXTENSION = 0x002B;
    private static final int TLS_1_3 = 0x0304;

    /**
     * Reads a client hello body as {@code SslClientHelloHandler} hands it over: from {@code client_version}
     * on, without record or handshake headers (RFC 8446 §4.1.2). Does not move the reader index.
     */
    static ClientHelloSummary parse(ByteBuf hello) {
        try {
            int end = hello.writerIndex();
            int at = hello.readerIndex() + 2 + RANDOM_LENGTH;              // client_version, random
            at += 1 + hello.getUnsignedByte(at);                            // legacy_session_id
            int suitesLength = hello.getUnsignedShort(at);
            at += 2;
            Set<Integer> suites = new HashSet<>();
            for (int i = 0; i + 1 < suitesLength; i += 2) {
                suites.add(hello.getUnsignedShort(at + i));
            }
            at += suitesLength;
            at += 1 + hello.getUnsignedByte(at);                            // compression methods
            boolean tls13 = at + 2 <= end && supportedVersionsInclude13(hello, at, end);
            return new ClientHelloSummary(Set.copyOf(suites), tls13);
        } catch (IndexOutOfBoundsException e) {
            return UNREADABLE;
        }
    }

    private static boolean supportedVersionsInclude13(ByteBuf hello, int at, int end) {
        int extensionsEnd = Math.min(end, at + 2 + hello.getUnsignedShort(at));
        at += 2;
        while (at + 4 <= extensionsEnd) {
            int type = hello.getUnsignedShort(at);
            int length = hello.getUnsignedShort(at + 2);
            if (type == SUPPORTED_VERSIONS_EXTENSION) {
                int listLength = hello.getUnsignedByte(at + 4);
                for (int i = 0; i + 1 < listLength; i += 2) {
                    if (hello.getUnsignedShort(at + 5 + i) == TLS_1_3) {
                        return true;
                    }
                }
                return false;
            }
            at += 4 + length;
        }
        return false;
    }

    /**
     * True when the client can take an ECDSA certificate under {@code profile}: it speaks TLS 1.3 (whose
     * clients all verify ECDSA P-256), or it offers an ECDHE_ECDSA suite the profile enables.
     */
    boolean canUseEcdsa(CipherProfile profile) {
        if (offersTls13 && profile.protocols().contains("TLSv1.3")) {
            return true;
        }
        return profile.enablesEcdsaSuiteAmong(offeredSuites);
    }
}
