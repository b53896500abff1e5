package org.locomov.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Would a device that holds only one root certificate, and does not build certificate paths (CC32xx chips),
 * accept a served chain? It does when every certificate is signed by the next, all are valid now, and the
 * chain ends at exactly that root: its last certificate is the root itself or is signed by it. A chain
 * larger than the device's TLS buffer is a warning, not a refusal, since the limit is the operator's.
 */
public final class DeviceTrustCheck {

    /** The default limit for {@code --max-chain-bytes}: what a CC3220S's default TLS buffers comfortably take. */
    public static final int DEFAULT_MAX_CHAIN_BYTES = 4096;

    /** The answer: accepted or not, why not, and warnings either way. */
    public record Verdict(boolean accepted, List<String> problems, List<String> warnings) {
        public Verdict {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }
    }

    private DeviceTrustCheck() {
    }

    public static Verdict check(ServedChain served, X509Certificate root, int maxChainBytes, Instant now) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<X509Certificate> chain = served.chain();
        String order = PemFiles.chainOrderProblem(chain);
        if (order != null) {
            problems.add("the chain is out of order: " + order);
        }
        for (int depth = 0; depth < chain.size(); depth++) {
            X509Certificate certificate = chain.get(depth);
            if (now.isAfter(certificate.getNotAfter().toInstant())) {
                problems.add("certificate " + depth + " (" + PemFiles.subject(certificate) + ") expired at "
                        + certificate.getNotAfter().toInstant());
            } else if (now.isBefore(certificate.getNotBefore().toInstant())) {
                problems.add("certificate " + depth + " (" + PemFiles.subject(certificate) + ") is not valid before "
                        + certificate.getNotBefore().toInstant());
            }
        }
        X509Certificate last = served.last();
        if (!last.equals(root) && !signedBy(last, root)) {
            problems.add("the chain ends at " + PemFiles.subject(last) + ", issued by "
                    + last.getIssuerX500Principal().getName() + ", not at the device's root "
                    + PemFiles.subject(root) + "; a device that does not build paths refuses it"
                    + (last.getIssuerX500Principal().equals(root.getSubjectX500Principal())
                    ? " (same issuer name, but the root's key did not sign it: another root of that name)" : ""));
        }
        if (now.isAfter(root.getNotAfter().toInstant())) {
            problems.add("the device's root " + PemFiles.subject(root) + " itself expired at " + root.getNotAfter().toInstant());
        }
        int bytes = served.bytesOnTheWire();
        if (bytes > maxChainBytes) {
            warnings.add("the chain takes " + bytes + " bytes on the wire, more than --max-chain-bytes " + maxChainBytes
                    + "; a device with small TLS buffers may fail the handshake");
        }
        return new Verdict(problems.isEmpty(), problems, warnings);
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
