package org.locomov.tls;

import java.util.Objects;

/**
 * The file names a TI CC3200 is flashed with under {@code /cert}: its private key (DER, PKCS#1 for RSA), its
 * client certificate (DER) and the one root CA it trusts (DER). The SDK's examples name them after their
 * purpose ({@link #NAMED}); many firmwares use numbered slots instead ({@link #NUMBERED}: 126.der, 127.der,
 * 128.der), or slots of their own ({@link #parse}).
 *
 * @param key         file of the private key
 * @param certificate file of the client certificate
 * @param root        file of the root CA the server's chain ends at
 */
public record Cc3200Slots(String key, String certificate, String root) {

    /** The directory the files are written to, as on the device's file system. */
    public static final String DIRECTORY = "cert";
    public static final Cc3200Slots NAMED = new Cc3200Slots("private.der", "client.der", "ca.der");
    /** key 126.der, certificate 127.der, root 128.der. */
    public static final Cc3200Slots NUMBERED = new Cc3200Slots("126.der", "127.der", "128.der");

    public Cc3200Slots {
        for (String name : new String[] {key, certificate, root}) {
            Objects.requireNonNull(name, "slot");
            if (!name.matches("[A-Za-z0-9_.-]{1,40}") || name.startsWith(".")) {
                throw new IllegalArgumentException("a CC3200 slot must be a plain file name such as 127.der, was '"
                        + name + "'");
            }
        }
        if (key.equals(certificate) || key.equals(root) || certificate.equals(root)) {
            throw new IllegalArgumentException("the CC3200 key, certificate and root slots must differ");
        }
    }

    /**
     * {@code KEY,CERT,ROOT}: three slot numbers ({@code 126,127,128}) or file names; a bare number gets
     * {@code .der}.
     */
    public static Cc3200Slots parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("--cc3200-slots takes KEY,CERT,ROOT (e.g. 126,127,128), was '" + text + "'");
        }
        return new Cc3200Slots(name(parts[0]), name(parts[1]), name(parts[2]));
    }

    private static String name(String part) {
        String stripped = part.strip();
        return stripped.matches("\\d+") ? stripped + ".der" : stripped;
    }
}
