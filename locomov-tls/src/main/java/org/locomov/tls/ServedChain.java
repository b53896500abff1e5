package org.locomov.tls;

import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A certificate chain as a client receives it, described for an operator checking it against a device:
 * per certificate its depth, subject, issuer, names, expiry and size, and the size of the whole TLS 1.2
 * Certificate message (what a small device must buffer).
 */
public record ServedChain(List<X509Certificate> chain) {

    /** Handshake header (type, 3-byte length) and the 3-byte length of the certificate list. */
    private static final int MESSAGE_OVERHEAD_BYTES = 4 + 3;
    /** Each certificate is preceded by its 3-byte length. */
    private static final int PER_CERTIFICATE_OVERHEAD_BYTES = 3;

    /** One certificate of the chain; depth 0 is the leaf. */
    public record Entry(int depth, String subject, String issuer, List<String> subjectAltNames, Instant notAfter,
                        int derBytes) {
    }

    public ServedChain {
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a served chain holds at least the leaf");
        }
    }

    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (int depth = 0; depth < chain.size(); depth++) {
            X509Certificate certificate = chain.get(depth);
            entries.add(new Entry(depth, certificate.getSubjectX500Principal().getName(),
                    certificate.getIssuerX500Principal().getName(), subjectAltNames(certificate),
                    certificate.getNotAfter().toInstant(), der(certificate).length));
        }
        return entries;
    }

    /** Size of the TLS 1.2 Certificate handshake message carrying this chain. */
    public int bytesOnTheWire() {
        int bytes = MESSAGE_OVERHEAD_BYTES;
        for (X509Certificate certificate : chain) {
            bytes += PER_CERTIFICATE_OVERHEAD_BYTES + der(certificate).length;
        }
        return bytes;
    }

    /** The last certificate sent: the root when the chain includes it, else the one the root signed. */
    public X509Certificate last() {
        return chain.getLast();
    }

    /** Several lines, indented, one block per certificate; for {@code locomov cert status}. */
    public String render(String indent) {
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries()) {
            text.append(indent).append("[").append(entry.depth()).append("] ").append(entry.subject()).append('\n')
                    .append(indent).append("    issuer:    ").append(entry.issuer()).append('\n');
            if (!entry.subjectAltNames().isEmpty()) {
                text.append(indent).append("    names:     ").append(String.join(", ", entry.subjectAltNames())).append('\n');
            }
            text.append(indent).append("    not after: ").append(entry.notAfter()).append('\n')
                    .append(indent).append("    DER bytes: ").append(entry.derBytes()).append('\n');
        }
        return text.append(indent).append("depth ").append(chain.size()).append(", ").append(bytesOnTheWire())
                .append(" bytes on the wire (TLS 1.2 Certificate message)\n").toString();
    }

    static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate cannot be encoded again", e);
        }
    }

    private static List<String> subjectAltNames(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
        if (names == null) {
            return List.of();
        }
        return names.stream().map(name -> switch ((Integer) name.get(0)) {
            case 2 -> "DNS:" + name.get(1);
            case 7 -> "IP:" + name.get(1);
            default -> "type " + name.get(0) + ":" + name.get(1);
        }).toList();
    }
}
