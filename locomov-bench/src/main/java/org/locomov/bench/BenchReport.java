package org.locomov.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bench's result as Markdown (readable as plain text too): the machine, the settings, one table line
 * per phase, the two ratios issue 2 sets targets for, and any errors by reason.
 */
final class BenchReport {

    static final String BASELINE = "PostgreSQL batched insert";
    static final String PERSISTENT = "locomov persistent";
    static final String CONNECT_PER_PACKET = "locomov connect-per-packet";
    static final String NGINX = "nginx TLS terminate, connect-per-packet";
    static final String MQTT_LOCOMOV = "locomov MQTT QoS 1";
    static final String MQTT_MOSQUITTO = "Mosquitto MQTT QoS 1 (stores nothing)";

    /** locomov's MQTT QoS 1 rate, storing every message, against Mosquitto's, which stores nothing (issue 8). */
    static final double MQTT_MOSQUITTO_TARGET = 0.50;
    /** locomov's MQTT QoS 1 rate against PostgreSQL's own batched-insert rate (issue 8). */
    static final double MQTT_BASELINE_TARGET = 0.60;

    /** Persistent mode must commit at least this share of PostgreSQL's own batched-insert rate. */
    static final double PERSISTENT_TARGET = 0.50;
    /** Connect-per-packet must reach at least this share of nginx's handshake rate. */
    static final double CONNECT_PER_PACKET_TARGET = 0.80;

    private final String machine;
    private final String settings;
    private final List<PhaseResult> phases;

    BenchReport(String machine, String settings, List<PhaseResult> phases) {
        this.machine = machine;
        this.settings = settings;
        this.phases = List.copyOf(phases);
    }

    String markdown() {
        StringBuilder text = new StringBuilder();
        text.append(machine).append('\n').append(settings).append("\n\n");
        text.append("| phase | rate | p50 | p99 | connect→ack p50 / p99 | server CPU (cores) | server peak RSS | "
                + "PostgreSQL CPU | generator CPU | machine CPU | errors | check |\n");
        text.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (PhaseResult phase : phases) {
            var usage = phase.usage();
            text.append("| ").append(phase.name())
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f %s", phase.rate(), phase.unit()))
                    .append(" | ").append(millis(phase.latency().p50()))
                    .append(" | ").append(millis(phase.latency().p99()))
                    .append(" | ").append(phase.connectToAck() == null ? "—"
                            : millis(phase.connectToAck().p50()) + " / " + millis(phase.connectToAck().p99()))
                    .append(" | ").append(cores(usage.cores(phase.server())))
                    .append(" | ").append(phase.showMemory() ? memory(usage) : "—")
                    .append(" | ").append(cores(usage.cores(BenchRun.POSTGRESQL)))
                    .append(" | ").append(cores(usage.cores(BenchRun.GENERATOR)))
                    .append(" | ").append(cores(usage.machineCores()))
                    .append(" | ").append(phase.errors())
                    .append(" | ").append(phase.check())
                    .append(" |\n");
        }
        text.append('\n');
        ratio(text, PERSISTENT, BASELINE, PERSISTENT_TARGET,
                "persistent ÷ PostgreSQL baseline (committed readings/s ÷ rows/s)");
        ratio(text, CONNECT_PER_PACKET, NGINX, CONNECT_PER_PACKET_TARGET,
                "connect-per-packet ÷ nginx (acks/s ÷ handshakes/s)");
        ratio(text, MQTT_LOCOMOV, MQTT_MOSQUITTO, MQTT_MOSQUITTO_TARGET,
                "MQTT ÷ Mosquitto (QoS 1 PUBACKs/s, stored ÷ routed)");
        ratio(text, MQTT_LOCOMOV, BASELINE, MQTT_BASELINE_TARGET,
                "MQTT ÷ PostgreSQL baseline (committed PUBACKs/s ÷ rows/s)");
        for (PhaseResult phase : phases) {
            if (!phase.errorsByReason().isEmpty()) {
                text.append("\nErrors in ").append(phase.name()).append(":\n");
                phase.errorsByReason().forEach((reason, count) ->
                        text.append("- ").append(count).append(" × ").append(reason).append('\n'));
            }
        }
        return text.toString();
    }

    /** The phases and the ratios as JSON, for tools (rates per second, latencies in milliseconds). */
    String json() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("machine", machine);
            json.writeStringField("settings", settings);
            json.writeArrayFieldStart("phases");
            for (PhaseResult phase : phases) {
                json.writeStartObject();
                json.writeStringField("name", phase.name());
                json.writeNumberField("rate", Math.round(phase.rate()));
                json.writeStringField("unit", phase.unit());
                json.writeNumberField("p50Ms", phase.latency().p50() == null ? Double.NaN
                        : phase.latency().p50().toNanos() / 1e6);
                json.writeNumberField("p99Ms", phase.latency().p99() == null ? Double.NaN
                        : phase.latency().p99().toNanos() / 1e6);
                json.writeNumberField("acks", phase.acks());
                json.writeNumberField("errors", phase.errors());
                json.writeStringField("check", phase.check());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("ratios");
            ratioField(json, "persistentToBaseline", PERSISTENT, BASELINE, PERSISTENT_TARGET);
            ratioField(json, "connectPerPacketToNginx", CONNECT_PER_PACKET, NGINX, CONNECT_PER_PACKET_TARGET);
            ratioField(json, "mqttToMosquitto", MQTT_LOCOMOV, MQTT_MOSQUITTO, MQTT_MOSQUITTO_TARGET);
            ratioField(json, "mqttToBaseline", MQTT_LOCOMOV, BASELINE, MQTT_BASELINE_TARGET);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return text.toString();
    }

    private void ratioField(JsonGenerator json, String name, String numerator, String denominator, double target)
            throws IOException {
        Optional<PhaseResult> top = find(numerator);
        Optional<PhaseResult> bottom = find(denominator);
        if (top.isEmpty() || bottom.isEmpty() || bottom.get().rate() <= 0) {
            return;
        }
        json.writeObjectFieldStart(name);
        json.writeNumberField("value", top.get().rate() / bottom.get().rate());
        json.writeNumberField("target", target);
        json.writeEndObject();
    }

    private void ratio(StringBuilder text, String numerator, String denominator, double target, String label) {
        Optional<PhaseResult> top = find(numerator);
        Optional<PhaseResult> bottom = find(denominator);
        if (top.isEmpty() || bottom.isEmpty() || bottom.get().rate() <= 0) {
            text.append("- ").append(label).append(": not measured in this run\n");
            return;
        }
        double value = top.get().rate() / bottom.get().rate();
        text.append(String.format(Locale.ROOT, "- %s: **%.0f %%** (target ≥ %.0f %%: %s)%n",
                label, value * 100, target * 100, value >= target ? "met" : "NOT met"));
    }

    private Optional<PhaseResult> find(String name) {
        return phases.stream().filter(phase -> phase.name().equals(name)).findFirst();
    }

    private static String millis(Duration latency) {
        return latency == null ? "—" : String.format(Locale.ROOT, "%.2f ms", latency.toNanos() / 1e6);
    }

    private static String cores(double cores) {
        return Double.isNaN(cores) ? "—" : String.format(Locale.ROOT, "%.2f", cores);
    }

    private static String memory(ResourceWindow.ResourceUsage usage) {
        return String.format(Locale.ROOT, "%,d MiB%s", usage.serverPeakKib() / 1024,
                usage.peakIsPhaseOnly() ? "" : " (lifetime)");
    }
}
