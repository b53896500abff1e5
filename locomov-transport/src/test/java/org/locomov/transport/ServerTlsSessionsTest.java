package org.locomov.transport;

import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.testing.EchoServer;
import org.locomov.tls.testing.OpensslClient;
import org.locomov.tls.testing.TestCertificates;
import org.locomov.transport.testing.TestServerTls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native providers keep no server-side session cache (decision 1521): a client gets no session id to resume
 * by, and one with a session ticket still resumes. Real openssl s_client on 127.0.0.1.
 */
class ServerTlsSessionsTest {

    @TempDir
    Path temp;

    @BeforeAll
    static void nativeProvider() {
        OpensslClient.assumeInstalled();
        assumeTrue(ServerTls.defaultProvider() == SslProvider.OPENSSL, "the session cache choice is the native providers'");
    }

    @Test
    void aCc3220sHandshakeGetsNoSessionIdToResumeBy() throws Exception {
        try (EchoServer server = new EchoServer(TestServerTls.create(CipherProfile.CC32XX)::newHandler)) {
            String output = cc3220s(server, "-no_ticket");

            assertThat(output).contains("New, ", "Protocol  : TLSv1.2", "Cipher is AES256-SHA", "echo: bye");
            // With a cache the server would hand out a 32-byte id here; without one, an empty id: nothing to resume.
            assertThat(output).containsPattern("(?m)^\\s*Session-ID: *$");
        }
    }

    @Test
    void aClientWithASessionTicketStillResumes() throws Exception {
        Path session = temp.resolve("ticket.pem");
        try (EchoServer server = new EchoServer(TestServerTls.create(CipherProfile.CC32XX)::newHandler)) {
            cc3220s(server, "-sess_out", session.toString());
            String second = cc3220s(server, "-sess_in", session.toString());

            assertThat(second).contains("Reused, ", "Protocol  : TLSv1.2", "Cipher is AES256-SHA", "echo: bye");
        }
    }

    /** One CC3220S-shaped connection (TLS 1.2, AES256-SHA) that sends {@code bye}; openssl's output. */
    private static String cc3220s(EchoServer server, String... options) throws Exception {
        List<String> all = new ArrayList<>(List.of("-tls1_2", "-cipher", "AES256-SHA"));
        all.addAll(List.of(options));
        return OpensslClient.sClient(server.port(), TestCertificates.shared().caCertificateFile(), "bye\n",
                all.toArray(String[]::new)).output();
    }
}
