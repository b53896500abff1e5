package org.locomov.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.Cc3200Slots;
import org.locomov.tls.DeviceCredentialFiles;
import org.locomov.tls.KeyType;
import org.locomov.tls.testing.TestCertificates;
import org.locomov.credentials.DeviceCredentialsIssuer;

/**
 * {@code openssl s_client} as a CC3200: the kit's DER key, certificate and root, TLS 1.2 offering only
 * {@code ECDHE-RSA-AES256-SHA} (or the chip's other suite, {@code AES256-SHA}), mutual TLS with the MQTT listener.
 */
class OpensslCc3200Test {

    private static final long DEVICE = 61;

    @TempDir
    Path work;

    private Database database;
    private MqttListenerUnderTest listener;
    private Path kit;

    @BeforeAll
    static void requireOpenssl() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed; skipping");
    }

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.fresh();
        listener = new MqttListenerUnderTest(database, work);
        listener.device(DEVICE, KeyType.RSA);
        DeviceCredentialsIssuer.Issued issued = listener.issuer.issue(DEVICE, KeyType.RSA).orElseThrow();
        kit = work.resolve("kit");
        DeviceCredentialFiles.writeCc3200(kit, issued.credentials(), TestCertificates.shared().caCertificate(),
                Cc3200Slots.NUMBERED);
    }

    @AfterEach
    void stop() {
        listener.close();
        database.close();
    }

    @Test
    void derKitCompletesTheHandshakeOfferingOnlyEcdheRsaAes256Sha() throws Exception {
        String output = sClient("ECDHE-RSA-AES256-SHA");

        assertThat(output).contains("Cipher is ECDHE-RSA-AES256-SHA").contains("Verify return code: 0 (ok)");
    }

    @Test
    void derKitCompletesTheHandshakeWithTheChipsRsaKeyExchangeSuiteToo() throws Exception {
        String output = sClient("AES256-SHA");

        assertThat(output).contains("Cipher is AES256-SHA").contains("Verify return code: 0 (ok)");
    }

    private String sClient(String cipher) throws Exception {
        Path cert = kit.resolve(Cc3200Slots.DIRECTORY);
        Path rootPem = work.resolve("root.pem");
        if (!Files.exists(rootPem)) {
            run(List.of("openssl", "x509", "-inform", "DER", "-in", cert.resolve("128.der").toString(),
                    "-out", rootPem.toString()));
        }
        return run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + listener.port(), "-tls1_2",
                "-cipher", cipher, "-verify_return_error",
                "-cert", cert.resolve("127.der").toString(), "-certform", "DER",
                "-key", cert.resolve("126.der").toString(), "-keyform", "DER",
                "-CAfile", rootPem.toString()));
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, text).isZero();
        return text;
    }
}
