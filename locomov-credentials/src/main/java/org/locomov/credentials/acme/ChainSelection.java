package org.locomov.credentials.acme;

import org.locomov.tls.CertificateFileException;
import org.locomov.tls.PemFiles;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which of the CA's chains to serve, and whether to append the root: devices that do not build paths need
 * the chain to lead to exactly the root they hold ({@code --acme-preferred-chain "<root CN>"}), and some
 * want the root itself sent ({@code --tls-include-root}). The root to append is looked up among
 * {@code --tls-root-ca} and the JDK's trusted roots: the one whose name and key issued the chain's last
 * certificate.
 *
 * <p>Immutable; used by the ordering thread.
 */
final class ChainSelection {

    private static final Logger log = LoggerFactory.getLogger(ChainSelection.class);

    private final String preferredRootOrNull;
    private final boolean includeRoot;
    private final List<X509Certificate> rootCandidates;

    ChainSelection(String preferredRootOrNull, boolean includeRoot, List<X509Certificate> rootCandidates) {
        this.preferredRootOrNull = preferredRootOrNull;
        this.includeRoot = includeRoot;
        this.rootCandidates = List.copyOf(rootCandidates);
    }

    /** From the settings: roots from {@code --tls-root-ca} first, then the JDK's. */
    static ChainSelection from(AcmeSettings settings) throws CertificateFileException {
        List<X509Certificate> roots = new ArrayList<>();
        if (settings.rootCaFile() != null) {
            roots.addAll(PemFiles.readCertificates(settings.rootCaFile()));
        }
        if (settings.includeRoot()) {
            roots.addAll(jdkTrustedRoots());
        }
        return new ChainSelection(settings.preferredChain(), settings.includeRoot(), roots);
    }

    /** The chain to serve, leaf first, from the issued certificate and its alternates. */
    List<X509Certificate> choose(Certificate issued) throws AcmeException {
        Certificate chosen = issued;
        if (preferredRootOrNull != null) {
            chosen = issued.findCertificate(preferredRootOrNull).orElse(null);
            if (chosen == null) {
                log.warn("ACME: no chain leads to the root CN={} (--acme-preferred-chain); the CA offers chains issued by {};"
                        + " serving its default chain", preferredRootOrNull, offeredIssuers(issued));
                chosen = issued;
            }
        }
        return withRootIfWanted(chosen.getCertificateChain());
    }

    List<X509Certificate> withRootIfWanted(List<X509Certificate> chain) {
        if (!includeRoot) {
            return chain;
        }
        X509Certificate last = chain.getLast();
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            return chain;    // the CA already sent its root
        }
        for (X509Certificate root : rootCandidates) {
            if (root.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signedBy(last, root)) {
                List<X509Certificate> withRoot = new ArrayList<>(chain);
                withRoot.add(root);
                return List.copyOf(withRoot);
            }
        }
        log.warn("ACME: --tls-include-root, but the root {} is neither in --tls-root-ca nor among the JDK's trusted roots;"
                + " serving the chain without it", last.getIssuerX500Principal().getName());
        return chain;
    }

    private static String offeredIssuers(Certificate issued) throws AcmeException {
        List<Certificate> all = new ArrayList<>(List.of(issued));
        all.addAll(issued.getAlternateCertificates());
        return all.stream().map(c -> c.getCertificateChain().getLast().getIssuerX500Principal().getName())
                .collect(Collectors.joining("; "));
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<X509Certificate> jdkTrustedRoots() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance)
                    .flatMap(manager -> Arrays.stream(((X509TrustManager) manager).getAcceptedIssuers()))
                    .toList();
        } catch (GeneralSecurityException e) {
            log.warn("cannot read the JDK's trusted roots: {}", e.getMessage());
            return List.of();
        }
    }
}
