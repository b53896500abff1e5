package org.locomov.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.locomov.store.Database;
import org.locomov.store.StoreSettings;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.store.TlsRenewalRecord;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.PemFiles;
import org.locomov.tls.SealedKeyException;
import org.locomov.tls.ServerCertificate;
import org.locomov.credentials.acme.SharedTlsMaterial;

/**
 * The certificates {@code serve} would serve right now, read the way it reads them (development CA files, the
 * operator's PEM files, or the shared database for ACME), without starting anything, and what is known about
 * their renewal. For {@code locomov cert status} and {@code cert check}.
 *
 * @param certificates what new handshakes get
 * @param origin       one line: where they come from
 * @param renewal      per key type, one line about renewal
 */
record CertificatesInForce(CertificatePair certificates, String origin, Map<KeyType, String> renewal) {

    static CertificatesInForce read(TlsSource tls, StoreSettings store) throws IOException, SealedKeyException {
        return switch (tls) {
            case TlsSource.DevelopmentCa development -> development(development);
            case TlsSource.PemFiles pem -> {
                ServerCertificate rsa = PemFiles.loadServerCertificate(pem.certificateChain(), pem.privateKey());
                yield new CertificatesInForce(new CertificatePair(rsa, null), "PEM files " + pem.certificateChain()
                        + " (serve reloads them when they change)", Map.of(KeyType.RSA, "yours: replace the files before "
                        + rsa.notAfter() + "; serve picks them up within seconds"));
            }
            case TlsSource.Acme acme -> acme(acme, store);
        };
    }

    private static CertificatesInForce development(TlsSource.DevelopmentCa development) {
        ServerCertificates loaded = ServerCertificates.load(development);
        String renewal = "re-issued by the development CA at a start within " + DevelopmentCa.REISSUE_DAYS_BEFORE_EXPIRY
                + " days of expiry";
        return new CertificatesInForce(new CertificatePair(loaded.rsa(), loaded.ec()), loaded.description(),
                Map.of(KeyType.RSA, renewal, KeyType.EC, renewal));
    }

    private static CertificatesInForce acme(TlsSource.Acme acme, StoreSettings store) throws IOException, SealedKeyException {
        try (Database database = Database.open(store, new SimpleMeterRegistry())) {
            SharedTlsMaterial shared = new SharedTlsMaterial(new TlsMaterialRepository(database.dataSource()),
                    MasterKey.openOrCreate(acme.masterKeyFile(), false), SharedTlsMaterial.thisNode());
            Map<KeyType, ServerCertificate> issued = new EnumMap<>(KeyType.class);
            Map<KeyType, String> renewal = new EnumMap<>(KeyType.class);
            for (KeyType type : KeyType.values()) {
                shared.certificate(acme.settings().directory(), type).ifPresent(stored -> issued.put(type,
                        stored.certificate()));
                renewal.put(type, describe(shared.renewal(acme.settings().directory(), type)));
            }
            String origin = "ACME " + acme.settings().directory() + " for " + acme.settings().describeDomains()
                    + " (" + acme.settings().challenge() + ")";
            if (issued.containsKey(KeyType.RSA)) {
                return new CertificatesInForce(new CertificatePair(issued.get(KeyType.RSA), issued.get(KeyType.EC)),
                        origin, renewal);
            }
            CertificatesInForce fallback = development(acme.fallback());
            ServerCertificate ec = issued.getOrDefault(KeyType.EC, fallback.certificates().ecOrNull());
            return new CertificatesInForce(new CertificatePair(fallback.certificates().rsa(), ec),
                    origin + "; no RSA certificate issued yet, so the development CA's is served", renewal);
        }
    }

    private static String describe(Optional<TlsRenewalRecord> record) {
        if (record.isEmpty()) {
            return "no order tried yet";
        }
        TlsRenewalRecord r = record.get();
        StringBuilder line = new StringBuilder("last attempt ").append(r.lastAttemptAt()).append(" by ").append(r.updatedBy());
        if (r.failuresInRow() == 0) {
            line.append(", succeeded");
        } else {
            line.append(", ").append(r.failuresInRow()).append(" failure(s) in a row, last: ").append(r.lastError());
        }
        if (r.nextAttemptAt() != null) {
            line.append("; next ").append(r.failuresInRow() == 0 ? "renewal" : "attempt").append(" at ").append(r.nextAttemptAt());
        }
        return line.toString();
    }
}
