package org.locomov.transport.testing;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.Identity;
import org.locomov.core.identity.PskLookup;

/**
 * A {@link DeviceIdentity} that recognises nobody, for listeners under test that ask for no credentials
 * (mov without client certificates). Every answer is a refusal; it trusts no CA.
 */
public final class NoDeviceIdentity implements DeviceIdentity {

    private static final Refusal NOBODY = Refusal.of(RefusalKind.BAD_CREDENTIALS, "no credentials are accepted here");

    @Override
    public CompletableFuture<Identity> byCertificate(List<X509Certificate> chain) {
        return CompletableFuture.completedFuture(new Identity.Refused(NOBODY));
    }

    @Override
    public CompletableFuture<Identity> byToken(long deviceId, String token) {
        return CompletableFuture.completedFuture(new Identity.Refused(NOBODY));
    }

    @Override
    public CompletableFuture<Identity> byToken(String token) {
        return CompletableFuture.completedFuture(new Identity.Refused(NOBODY));
    }

    @Override
    public CompletableFuture<PskLookup> byPskIdentity(String pskIdentity) {
        return CompletableFuture.completedFuture(new PskLookup.Refused(NOBODY));
    }

    @Override
    public List<X509Certificate> trustAnchors() {
        return List.of();
    }

    @Override
    public void onTrustAnchorsChanged(Runnable listener) {
    }
}
