package org.locomov.transport.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.testing.TestCertificates;
import org.locomov.transport.ServerTls;

/** {@link ServerTls} for test listeners, serving the shared test CA's RSA and EC certificates. */
public final class TestServerTls {

    /** Handshake timeout of the {@link ServerTls} made here: long enough for a loaded CI machine. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private TestServerTls() {
    }

    /** TLS for a test listener with {@code profile}. */
    public static ServerTls create(CipherProfile profile) {
        try {
            return ServerTls.create(TestCertificates.shared().rsaServer(), TestCertificates.shared().ecServer(), profile,
                    HANDSHAKE_TIMEOUT, "test-" + profile.configName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
