package org.locomov.coap;

import java.net.InetSocketAddress;
import java.util.Objects;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.identity.PskLookup;

/**
 * Scandium's PSK store, answered by the device plane: the PSK identity a device presents is looked up with
 * {@link DeviceIdentity#byPskIdentity} (asynchronously: the handshake waits, Scandium's threads do not), and the
 * device id found rides along as the result's custom argument, so requests know their device
 * ({@link DeviceOfRequest}). An unknown identity, or a database that cannot answer, fails the handshake; the
 * {@link HandshakeLog} line says which.
 *
 * <p>Thread-safe: the result handler is set once before the connector starts; lookups complete on the device
 * plane's threads.
 */
final class DevicePskStore implements AdvancedPskStore {

    private final DeviceIdentity identity;
    private final HandshakeLog handshakes;
    private volatile HandshakeResultHandler resultHandler;

    DevicePskStore(DeviceIdentity identity, HandshakeLog handshakes) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.handshakes = Objects.requireNonNull(handshakes, "handshakes");
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return true;
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName,
            PskPublicInformation pskIdentity, String hmacAlgorithm, SecretKey otherSecret, byte[] seed,
            boolean useExtendedMasterSecret) {
        identity.byPskIdentity(pskIdentity.getPublicInfoAsString()).whenComplete((lookup, failure) -> {
            PskSecretResult result;
            if (lookup instanceof PskLookup.Found found) {
                byte[] key = found.key();
                result = new PskSecretResult(cid, pskIdentity, SecretUtil.create(key, PskSecretResult.ALGORITHM_PSK),
                        found.deviceId());
                java.util.Arrays.fill(key, (byte) 0);
            } else {
                String reason = failure != null ? "the PSK could not be looked up: " + failure.getMessage()
                        : ((PskLookup.Refused) lookup).refusal().reason();
                handshakes.note(cid, "PSK identity '" + pskIdentity.getPublicInfoAsString() + "': " + reason);
                result = new PskSecretResult(cid, pskIdentity, null);
            }
            resultHandler.apply(result);
        });
        return null;
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        return null;
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        this.resultHandler = resultHandler;
    }
}
