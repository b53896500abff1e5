package org.locomov.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ClientAuthMode;
import org.locomov.transport.CommonListenerSettings;
import org.locomov.transport.ListenerModule.ListenerPlan;
import org.locomov.transport.OptionProblems;
import picocli.CommandLine;

class MqttModuleTest {

    /** Collects problems as {@code serve} does. */
    private static final class Problems implements OptionProblems {
        final List<String> found = new ArrayList<>();

        @Override
        public void refuseIf(boolean wrong, String reason) {
            if (wrong) {
                found.add(reason);
            }
        }

        @Override
        public <T> T build(Supplier<T> constructor) {
            try {
                return constructor.get();
            } catch (IllegalArgumentException e) {
                found.add(e.getMessage());
                return null;
            }
        }

        @Override
        public <T> T build(String option, Supplier<T> parser) {
            try {
                return parser.get();
            } catch (IllegalArgumentException e) {
                found.add(option + ": " + e.getMessage());
                return null;
            }
        }
    }

    private static List<ListenerPlan> plan(Problems problems, String... args) {
        MqttModule module = new MqttModule();
        new CommandLine(module.options()).parseArgs(args);
        return module.plan(CommonListenerSettings.loopbackDefaults(), problems);
    }

    @Test
    void defaultsAreTheIssuesOnes() {
        Problems problems = new Problems();
        List<ListenerPlan> plans = plan(problems);

        assertThat(problems.found).isEmpty();
        MqttSettings settings = (MqttSettings) plans.getFirst().settings();
        assertThat(settings.port()).isEqualTo(8883);
        assertThat(settings.cipherProfile()).isEqualTo(CipherProfile.CC32XX);
        assertThat(settings.clientAuth()).isEqualTo(ClientAuthMode.OPTIONAL);
        assertThat(settings.receiveMaximum()).isEqualTo(64);
        assertThat(settings.maxPacketBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void everyWrongValueIsReportedNamingItsOption() {
        Problems problems = new Problems();
        assertThat(plan(problems, "--mqtt-client-auth", "sometimes")).isEmpty();
        assertThat(problems.found).singleElement().asString().startsWith("--mqtt-client-auth");

        Problems limits = new Problems();
        assertThat(plan(limits, "--mqtt-receive-maximum", "0")).isEmpty();
        assertThat(limits.found).singleElement().asString().startsWith("--mqtt-receive-maximum");

        Problems packets = new Problems();
        assertThat(plan(packets, "--mqtt-max-packet-bytes", "10")).isEmpty();
        assertThat(packets.found).singleElement().asString().startsWith("--mqtt-max-packet-bytes");
    }
}
