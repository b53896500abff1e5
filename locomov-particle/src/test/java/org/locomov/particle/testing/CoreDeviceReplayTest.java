package org.locomov.particle.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locomov.particle.crypto.DeviceHello;
import org.locomov.particle.crypto.ParticleHandshake;
import org.locomov.particle.testing.RecordedSession.Connection;
import org.locomov.particle.testing.RecordedSession.Frame;

/** The simulated Core must itself pass the recording: given the server's frames, it sends the device's. */
class CoreDeviceReplayTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final RecordedSession SESSION = RecordedSession.load();
    private static final String READING = "{\"voltage\":230.1,\"freq\":50.0}";

    @Test
    void theSimulatorSendsEveryRecordedDeviceFrameByteForByte() throws Exception {
        for (int index = 0; index < SESSION.connections().size(); index++) {
            Connection connection = SESSION.connections().get(index);
            CoreDevice device = CoreDevice.recorded(SESSION.deviceId(), SESSION.devicePrivateKey(),
                    SESSION.serverPublicKey(), index == 1);
            List<Frame> frames = connection.frames();

            byte[] handshake = device.answerNonce(frames.get(0).wire());
            // RSA padding is random: the handshake is checked by what it says, not by its bytes.
            DeviceHello hello = ParticleHandshake.open(handshake, connection.nonce(), SESSION.serverPrivateKey());
            assertThat(hello.deviceId()).isEqualTo(SESSION.deviceId());
            assertThat(handshake).hasSize(frames.get(1).wire().length);

            Deque<byte[]> sent = new ArrayDeque<>();
            sent.add(device.acceptReply(frames.get(2).wire()));
            for (Frame frame : connection.messages()) {
                if (frame.fromDevice()) {
                    if (sent.isEmpty()) {
                        sent.add(deviceInitiated(device, frame.what()));
                    }
                    assertThat(HEX.formatHex(sent.removeFirst())).as(frame.what()).isEqualTo(HEX.formatHex(frame.wire()));
                } else {
                    sent.addAll(device.onFrame(Arrays.copyOfRange(frame.wire(), 2, frame.wire().length)));
                }
            }
            assertThat(sent).as("frames the device sent beyond the recording").isEmpty();
            if (index == 0) {
                assertThat(device.calls()).containsExactly("led(on)", "add(2,3)");
                assertThat(device.serverTime()).isEqualTo(1796100903L);
                assertThat(device.updateDone()).isTrue();
                assertThat(device.image()).isEqualTo(SESSION.firmware());
            } else {
                assertThat(device.serverTime()).isEqualTo(1796100924L);
            }
            assertThat(device.sawServerHello()).isTrue();
        }
    }

    /** What the device program did of its own accord at that point of the recording. */
    private static byte[] deviceInitiated(CoreDevice device, String what) {
        if (what.startsWith("event `reading`")) {
            return device.publish("reading", READING, true);
        }
        if (what.startsWith("time request")) {
            return device.requestTime();
        }
        if (what.startsWith("ping")) {
            return device.ping();
        }
        throw new AssertionError("the device sent nothing where the recording has: " + what);
    }
}
