package org.locomov.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.locomov.core.DecodeResult;
import org.locomov.core.RefusalKind;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.mqtt.DeviceMessages.CommandAnswer;
import org.locomov.mqtt.DeviceMessages.FirmwareReport;

class DeviceMessagesTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void commandAnswerKeepsItsPayloadAsJson() {
        assertThat(DeviceMessages.commandAnswer(json("{\"id\":7,\"status\":\"error\",\"payload\":{\"code\":[1,2]}}")))
                .isEqualTo(DecodeResult.decoded(new CommandAnswer(7, false, "{\"code\":[1,2]}")));
        assertThat(DeviceMessages.commandAnswer(json("{\"id\":7,\"status\":\"ok\"}")))
                .isEqualTo(DecodeResult.decoded(new CommandAnswer(7, true, null)));
    }

    @Test
    void badCommandAnswersAreRefusedWithAReason() {
        assertThat(refusal(DeviceMessages.commandAnswer(json("{\"status\":\"ok\"}")))).isEqualTo(RefusalKind.MISSING_FIELD);
        assertThat(refusal(DeviceMessages.commandAnswer(json("{\"id\":7,\"status\":\"maybe\"}")))).isEqualTo(RefusalKind.WRONG_TYPE);
        assertThat(refusal(DeviceMessages.commandAnswer(json("[1]")))).isEqualTo(RefusalKind.MALFORMED);
        assertThat(refusal(DeviceMessages.commandAnswer(json("{\"id\":")))).isEqualTo(RefusalKind.MALFORMED);
    }

    @Test
    void firmwareReportsMapToJobStatuses() {
        assertThat(DeviceMessages.firmwareReport(json("{\"job\":3,\"status\":\"downloading\",\"bytes\":512}")))
                .isEqualTo(DecodeResult.decoded(new FirmwareReport(3, FirmwareJobStatus.RUNNING, 512, null)));
        assertThat(DeviceMessages.firmwareReport(json("{\"job\":3,\"status\":\"failed\",\"bytes\":0}")))
                .isEqualTo(DecodeResult.decoded(new FirmwareReport(3, FirmwareJobStatus.FAILED, 0,
                        "the device reported failure")));
        assertThat(refusal(DeviceMessages.firmwareReport(json("{\"job\":3,\"status\":\"half\"}")))).isEqualTo(RefusalKind.WRONG_TYPE);
        assertThat(refusal(DeviceMessages.firmwareReport(json("{\"job\":3,\"status\":\"done\",\"bytes\":-1}")))).isEqualTo(RefusalKind.WRONG_TYPE);
    }

    private static RefusalKind refusal(DecodeResult<?> result) {
        return ((DecodeResult.Refused<?>) result).refusal().kind();
    }
}
