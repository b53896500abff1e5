package org.locomov.particle.keys;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The server public key in the forms a device is given it: the bare 294-byte SubjectPublicKeyInfo DER a
 * Core holds, PEM, or — with a server address — the 512-byte block {@code particle keys server} writes to
 * the device: the DER, 0xFF up to offset 384, the address as type-length-value there (type 0 and 4 bytes
 * for an IPv4 address, type 1 and the length for a name), and the port as 2 bytes big-endian at 450.
 */
public final class ServerKeyFile {

    public static final int BLOCK_BYTES = 512;
    public static final int ADDRESS_OFFSET = 384;
    public static final int PORT_OFFSET = 450;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ServerKeyFile() {
    }

    public static byte[] der(PublicKey key) {
        return key.getEncoded();
    }

    public static byte[] pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return ("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The key with the server address (and port, when not {@code null}) where a device reads them.
     *
     * @throws IllegalArgumentException when the host name does not fit before the port
     */
    public static byte[] withAddress(PublicKey key, String host, Integer port) {
        byte[] der = der(key);
        byte[] block = new byte[BLOCK_BYTES];
        Arrays.fill(block, (byte) 0xFF);
        System.arraycopy(der, 0, block, 0, der.length);
        byte[] address;
        int type;
        if (IPV4.matcher(host).matches()) {
            try {
                address = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + host, e);
            }
            type = 0;
        } else {
            address = host.getBytes(StandardCharsets.US_ASCII);
            type = 1;
        }
        if (ADDRESS_OFFSET + 2 + address.length > PORT_OFFSET) {
            throw new IllegalArgumentException("--host is longer than " + (PORT_OFFSET - ADDRESS_OFFSET - 2)
                    + " characters, the room a device has for it");
        }
        block[ADDRESS_OFFSET] = (byte) type;
        block[ADDRESS_OFFSET + 1] = (byte) address.length;
        System.arraycopy(address, 0, block, ADDRESS_OFFSET + 2, address.length);
        if (port != null) {
            block[PORT_OFFSET] = (byte) (port >> 8);
            block[PORT_OFFSET + 1] = (byte) (int) port;
        }
        return block;
    }
}
