package org.locomov.credentials.acme;

import org.locomov.tls.PemFiles;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * acme4j sessions for one CA directory. With {@code --acme-ca-trust} the session's HTTPS client trusts only
 * the CAs in that file (a private ACME CA, or Pebble's test certificate); otherwise the JDK's trusted roots,
 * as for any HTTPS client.
 */
final class AcmeSessions {

    /** Connect and read timeout of every request to the CA. */
    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(30);

    private final URI directory;
    private final SSLContext trustOrNull;

    /** @throws IOException when {@code caTrustFileOrNull} cannot be read as PEM certificates */
    AcmeSessions(URI directory, Path caTrustFileOrNull) throws IOException {
        this.directory = directory;
        this.trustOrNull = caTrustFileOrNull == null ? null : trusting(PemFiles.readCertificates(caTrustFileOrNull));
    }

    /** A new session; acme4j fetches the directory on first use. */
    Session open() {
        Session session = trustOrNull == null
                ? new Session(directory)
                : new Session(directory, new TrustingProvider(trustOrNull));
        session.networkSettings().setTimeout(NETWORK_TIMEOUT);
        return session;
    }

    URI directory() {
        return directory;
    }

    private static SSLContext trusting(List<X509Certificate> cas) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("acme-ca-" + i, cas.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the --acme-ca-trust certificates: " + e.getMessage(), e);
        }
    }

    /** acme4j's provider for any RFC 8555 directory URL, with an HTTP client that trusts the given CAs. */
    private static final class TrustingProvider extends GenericAcmeProvider {
        private final SSLContext trust;

        TrustingProvider(SSLContext trust) {
            this.trust = trust;
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings networkSettings) {
            return HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(networkSettings.getTimeout())
                    .proxy(networkSettings.getProxySelector())
                    .sslContext(trust)
                    .build();
        }
    }
}
