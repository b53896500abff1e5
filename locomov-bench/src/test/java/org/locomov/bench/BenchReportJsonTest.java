package org.locomov.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** report.json has every key issue 11 names, under the issue's names, and leaves out what a run did not measure. */
class BenchReportJsonTest {

    private static final BenchReport.Machine MACHINE = new BenchReport.Machine(2, "AMD EPYC", "Linux 6.1", "25",
            "17.6", "1.22.1", "2026-12-01T13:00:00Z", "1.00 0.50 0.25");
    private static final List<String> PHASE_FIELDS = List.of("name", "rate", "unit", "p50Ms", "p99Ms",
            "serverCpuCores", "serverPeakRssMiB");

    @Test
    void aFullRunHasEveryKeyOfTheIssue() throws Exception {
        BenchFigures figures = new BenchFigures();
        figures.idle(new BenchFigures.Idle(18_000, 7_600, 12.5, 8.0, 300_000, 433_000));
        figures.disk(new BenchFigures.Disk(200_000, 20_000_000, 8_000_000));
        List<PhaseResult> phases = List.of(
                phase(BenchReport.BASELINE, 40_000, "rows/s", BenchRun.POSTGRESQL, false),
                phase(BenchReport.PERSISTENT, 20_000, "acks/s", BenchRun.LOCOMOV, true),
                phase(BenchReport.CONNECT_PER_PACKET, 800, "acks/s", BenchRun.LOCOMOV, true),
                phase(BenchReport.MQTT_LOCOMOV, 25_000, "PUBACKs/s", BenchRun.LOCOMOV, true),
                phase(BenchReport.MQTT_MOSQUITTO, 50_000, "PUBACKs/s", BenchRun.MOSQUITTO, true),
                phase(BenchReport.COAP_LOCOMOV, 3_000, "2.01/s", BenchRun.LOCOMOV, true),
                phase(BenchReport.COAP_CALIFORNIUM, 6_000, "2.01/s", BenchRun.CALIFORNIUM, true),
                phase(BenchReport.NGINX, 1_000, "handshakes/s", BenchRun.NGINX, true));

        JsonNode json = parse(new BenchReport(MACHINE, MACHINE, "settings", "", phases, List.of(), figures, false));

        assertThat(json.path("machine").path("cores").asInt()).isEqualTo(2);
        assertThat(json.path("machine").path("loadAverageAtStart").asText()).isEqualTo("1.00 0.50 0.25");
        assertThat(json.path("phases")).hasSize(phases.size());
        for (JsonNode phase : json.path("phases")) {
            assertThat(fieldNames(phase)).as(phase.path("name").asText()).containsAll(PHASE_FIELDS);
        }
        JsonNode persistent = json.path("phases").get(1);
        assertThat(persistent.path("name").asText()).isEqualTo(BenchReport.PERSISTENT);
        assertThat(persistent.path("rate").asDouble()).isEqualTo(20_000);
        assertThat(persistent.path("unit").asText()).isEqualTo("acks/s");
        assertThat(persistent.path("p50Ms").asDouble()).isEqualTo(2.0);
        assertThat(persistent.path("p99Ms").asDouble()).isEqualTo(9.0);
        assertThat(persistent.path("serverCpuCores").asDouble()).isEqualTo(0.9);
        assertThat(persistent.path("serverPeakRssMiB").asDouble()).isEqualTo(300.0);
        assertThat(json.path("phases").get(0).path("serverPeakRssMiB").isNull())
                .as("the baseline has no server peak that means anything").isTrue();

        JsonNode ratios = json.path("ratios");
        assertThat(ratios.path("persistentVsPostgres").asDouble()).isEqualTo(0.5);
        assertThat(ratios.path("connectVsNginx").asDouble()).isEqualTo(0.8);
        assertThat(ratios.path("mqttVsMosquitto").asDouble()).isEqualTo(0.5);
        assertThat(ratios.path("coapVsCalifornium").asDouble()).isEqualTo(0.5);
        assertThat(json.path("serverCpuMicrosPerReading").asDouble()).isEqualTo(45.0);   // 0.9 cores / 20,000 per s
        assertThat(json.path("postgresCpuMicrosPerRow").asDouble()).isEqualTo(12.5);     // 0.5 cores / 40,000 per s
        JsonNode idle = json.path("idle");
        assertThat(idle.path("connections").asInt()).isEqualTo(18_000);
        assertThat(idle.path("bytesPerConnection").asDouble()).isEqualTo(7_600);
        assertThat(idle.path("activeP99Ms").asDouble()).isEqualTo(12.5);
        assertThat(idle.path("activeP99MsWithoutIdle").asDouble()).isEqualTo(8.0);
        assertThat(json.path("diskBytesPerReading").asDouble()).isEqualTo(140.0);
    }

    @Test
    void phasesThatDidNotRunAreLeftOut() throws Exception {
        List<PhaseResult> phases = List.of(phase(BenchReport.BASELINE, 40_000, "rows/s", BenchRun.POSTGRESQL, false),
                phase(BenchReport.COAP_CALIFORNIUM, 6_000, "2.01/s", BenchRun.CALIFORNIUM, true));

        JsonNode json = parse(new BenchReport(MACHINE, MACHINE, "settings", "", phases,
                List.of("phase nginx skipped: nginx with the stream module: /usr/sbin/nginx is missing"),
                new BenchFigures(), false));

        assertThat(json.path("phases")).hasSize(2);
        assertThat(fieldNames(json.path("ratios"))).isEmpty();
        assertThat(fieldNames(json)).doesNotContain("serverCpuMicrosPerReading", "idle", "diskBytesPerReading")
                .contains("postgresCpuMicrosPerRow", "notes");
        assertThat(json.path("notes").get(0).asText()).startsWith("phase nginx skipped");
    }

    @Test
    void theMarkdownHasTheCoapRatioLine() {
        List<PhaseResult> phases = List.of(phase(BenchReport.COAP_LOCOMOV, 3_000, "2.01/s", BenchRun.LOCOMOV, true),
                phase(BenchReport.COAP_CALIFORNIUM, 6_000, "2.01/s", BenchRun.CALIFORNIUM, true));

        String markdown = new BenchReport(MACHINE, MACHINE, "settings", "", phases, List.of(), new BenchFigures(), false)
                .markdown();

        assertThat(markdown).contains("CoAP ÷ bare Californium (2.01/s, stored ÷ answered): **50 %** (target ≥ 70 %: NOT met)");
    }

    /** p50 2 ms, p99 9 ms; the server uses 0.9 cores (0.5 for PostgreSQL as the baseline's own) and peaks at 300 MiB. */
    private static PhaseResult phase(String name, double rate, String unit, String server, boolean showMemory) {
        Map<String, Double> cores = server.equals(BenchRun.POSTGRESQL)
                ? Map.of(BenchRun.POSTGRESQL, 0.5, BenchRun.GENERATOR, 0.1)
                : Map.of(server, 0.9, BenchRun.POSTGRESQL, 0.3, BenchRun.GENERATOR, 0.6);
        return new PhaseResult(name, rate, unit,
                new PhaseResult.Latency(Duration.ofMillis(2), Duration.ofMillis(9)), null, server,
                new ResourceWindow.ResourceUsage(cores, 1.9, 300 * 1024, true), showMemory, (long) rate * 20, 0,
                Map.of(), "checked");
    }

    private static JsonNode parse(BenchReport report) throws Exception {
        return new ObjectMapper().readTree(report.json());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
