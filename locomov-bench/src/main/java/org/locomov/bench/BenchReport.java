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
 * The bench's result as Markdown (readable as plain text too) and as JSON (report.json, to compare runs
 * across commits): the machine, the settings, one table line per phase, the ratios issues 2 and 11 set
 * targets for, CPU per reading, idle and disk figures, skipped or failed phases, errors by reason.
 */
final class BenchReport {

    static final String BASELINE = "PostgreSQL batched insert";
    static final String PERSISTENT = "locomov persistent";
    static final String CONNECT_PER_PACKET = "locomov connect-per-packet";
    static final String NGINX = "nginx TLS terminate, connect-per-packet";
    static final String MQTT_LOCOMOV = "locomov MQTT QoS 1";
    static final String MQTT_MOSQUITTO = "Mosquitto MQTT QoS 1 (stores nothing)";
    static final String COAP_LOCOMOV = "locomov CoAP/DTLS PSK";
    static final String COAP_CALIFORNIUM = "bare Californium CoAP/DTLS PSK (stores nothing)";

    /** locomov's committed CoAP requests/s against a bare Californium server's, which stores nothing (issue 9). */
    static final double COAP_CALIFORNIUM_TARGET = 0.70;

    /** locomov's MQTT QoS 1 rate, storing every message, against Mosquitto's, which stores nothing (issue 8). */
    static final double MQTT_MOSQUITTO_TARGET = 0.50;
    /** locomov's MQTT QoS 1 rate against PostgreSQL's own batched-insert rate (issue 8). */
    static final double MQTT_BASELINE_TARGET = 0.60;

    /** Issue 11: persistent mode must commit at least this share of PostgreSQL's batched-insert rate. */
    static final double PERSISTENT_TARGET = 0.60;
    /** Connect-per-packet must reach at least this share of nginx's handshake rate. */
    static final double CONNECT_PER_PACKET_TARGET = 0.80;
    static final double IDLE_BYTES_TARGET = 8 * 1024;
    static final double IDLE_LATENCY_FACTOR_TARGET = 2.0;
    static final double DISK_BYTES_TARGET = 150;

    /** The machine a run is on, and how loaded it was (others may build on it at the same time). */
    record Machine(int cores, String cpu, String kernel, String jdk, String postgres, String nginx, String time,
                   String loadAverage) {
    }

    private final Machine atStart;
    private final Machine atEnd;
    private final String settings;
    private final String label;
    private final List<PhaseResult> phases;
    private final List<String> notes;
    private final BenchFigures figures;
    private final boolean phaseFailed;

    BenchReport(Machine atStart, Machine atEnd, String settings, String label, List<PhaseResult> phases,
                List<String> notes, BenchFigures figures, boolean phaseFailed) {
        this.atStart = atStart;
        this.atEnd = atEnd;
        this.settings = settings;
        this.label = label;
        this.phases = List.copyOf(phases);
        this.notes = List.copyOf(notes);
        this.figures = figures;
        this.phaseFailed = phaseFailed;
    }

    /** 2 when acks outnumber stored rows, 1 when a phase failed, else 0 (skipped phases do not count). */
    int exitCode() {
        if (phases.stream().anyMatch(phase -> phase.check().startsWith("FAILED"))) {
            return 2;
        }
        return phaseFailed ? 1 : 0;
    }

    String markdown() {
        StringBuilder text = new StringBuilder();
        if (!label.isBlank()) {
            text.append("Run: ").append(label).append('\n');
        }
        text.append(String.format(Locale.ROOT,
                "Machine: %d cores (%s), %s, JDK %s, PostgreSQL %s (embedded, synchronous_commit on), %s; "
                        + "%s; load average %s at start, %s at end%n",
                atStart.cores(), atStart.cpu(), atStart.kernel(), atStart.jdk(), atStart.postgres(), atStart.nginx(),
                atStart.time(), atStart.loadAverage(), atEnd.loadAverage()));
        text.append(settings).append("\n\n");
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
        ratio(text, COAP_LOCOMOV, COAP_CALIFORNIUM, COAP_CALIFORNIUM_TARGET,
                "CoAP ÷ bare Californium (2.01/s, stored ÷ answered)");
        Optional<Double> server = serverMicrosPerReading();
        Optional<Double> postgres = postgresMicrosPerRow();
        if (server.isPresent() && postgres.isPresent()) {
            text.append(String.format(Locale.ROOT,
                    "- server CPU per committed reading (persistent) vs PostgreSQL CPU per row (baseline): "
                            + "**%.1f µs vs %.1f µs** (target ≤: %s)%n",
                    server.get(), postgres.get(), server.get() <= postgres.get() ? "met" : "NOT met"));
        }
        BenchFigures.Idle idle = figures.idle();
        if (idle != null) {
            text.append(String.format(Locale.ROOT,
                    "- idle: %,d TLS connections held, server resident memory %,d → %,d KiB: **%.1f KB per idle "
                            + "connection** (target ≤ 8 KB: %s); active p99 %.2f ms with them vs %.2f ms without "
                            + "(**×%.2f**, target ≤ ×2: %s)%n",
                    idle.connections(), idle.serverRssBeforeKib(), idle.serverRssAfterKib(),
                    idle.bytesPerConnection() / 1024, idle.bytesPerConnection() <= IDLE_BYTES_TARGET ? "met" : "NOT met",
                    idle.activeP99Ms(), idle.activeP99MsWithoutIdle(), idleLatencyFactor(idle),
                    idleLatencyFactor(idle) <= IDLE_LATENCY_FACTOR_TARGET ? "met" : "NOT met"));
        }
        BenchFigures.Disk disk = figures.disk();
        if (disk != null) {
            text.append(String.format(Locale.ROOT,
                    "- disk: %,d readings in %,d bytes of table + %,d of indexes after VACUUM: **%.1f bytes per "
                            + "reading** (target ≤ %.0f: %s)%n",
                    disk.readings(), disk.tableBytes(), disk.indexBytes(), disk.bytesPerReading(), DISK_BYTES_TARGET,
                    disk.bytesPerReading() <= DISK_BYTES_TARGET ? "met" : "NOT met"));
        }
        for (String note : notes) {
            text.append("- ").append(note).append('\n');
        }
        for (PhaseResult phase : phases) {
            if (!phase.errorsByReason().isEmpty()) {
                text.append("\nErrors in ").append(phase.name()).append(":\n");
                phase.errorsByReason().forEach((reason, count) ->
                        text.append("- ").append(count).append(" × ").append(reason).append('\n'));
            }
        }
        return text.toString();
    }

    /** The figures as one JSON object; absent phases and figures are left out. */
    String json() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            if (!label.isBlank()) {
                json.writeStringField("label", label);
            }
            json.writeObjectFieldStart("machine");
            json.writeNumberField("cores", atStart.cores());
            json.writeStringField("cpu", atStart.cpu());
            json.writeStringField("kernel", atStart.kernel());
            json.writeStringField("jdk", atStart.jdk());
            json.writeStringField("postgres", atStart.postgres());
            json.writeStringField("nginx", atStart.nginx());
            json.writeStringField("startedAt", atStart.time());
            json.writeStringField("loadAverageAtStart", atStart.loadAverage());
            json.writeStringField("loadAverageAtEnd", atEnd.loadAverage());
            json.writeEndObject();
            json.writeStringField("settings", settings);
            json.writeArrayFieldStart("phases");
            for (PhaseResult phase : phases) {
                var usage = phase.usage();
                json.writeStartObject();
                json.writeStringField("name", phase.name());
                number(json, "rate", phase.rate());
                json.writeStringField("unit", phase.unit());
                number(json, "p50Ms", millisValue(phase.latency().p50()));
                number(json, "p99Ms", millisValue(phase.latency().p99()));
                if (phase.connectToAck() != null) {
                    number(json, "connectToAckP50Ms", millisValue(phase.connectToAck().p50()));
                    number(json, "connectToAckP99Ms", millisValue(phase.connectToAck().p99()));
                }
                number(json, "serverCpuCores", usage.cores(phase.server()));
                // Always the key, so every phase has the same fields; null where a peak would mislead (the baseline).
                number(json, "serverPeakRssMiB", phase.showMemory() ? usage.serverPeakKib() / 1024.0 : Double.NaN);
                number(json, "postgresCpuCores", usage.cores(BenchRun.POSTGRESQL));
                number(json, "generatorCpuCores", usage.cores(BenchRun.GENERATOR));
                number(json, "machineCpuCores", usage.machineCores());
                json.writeNumberField("acks", phase.acks());
                json.writeNumberField("errors", phase.errors());
                json.writeStringField("check", phase.check());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("ratios");
            ratioValue(PERSISTENT, BASELINE).ifPresent(value -> number(json, "persistentVsPostgres", value));
            ratioValue(CONNECT_PER_PACKET, NGINX).ifPresent(value -> number(json, "connectVsNginx", value));
            ratioValue(MQTT_LOCOMOV, MQTT_MOSQUITTO).ifPresent(value -> number(json, "mqttVsMosquitto", value));
            ratioValue(MQTT_LOCOMOV, BASELINE).ifPresent(value -> number(json, "mqttVsPostgres", value));
            ratioValue(COAP_LOCOMOV, COAP_CALIFORNIUM).ifPresent(value -> number(json, "coapVsCalifornium", value));
            json.writeEndObject();
            serverMicrosPerReading().ifPresent(value -> number(json, "serverCpuMicrosPerReading", value));
            postgresMicrosPerRow().ifPresent(value -> number(json, "postgresCpuMicrosPerRow", value));
            BenchFigures.Idle idle = figures.idle();
            if (idle != null) {
                json.writeObjectFieldStart("idle");
                json.writeNumberField("connections", idle.connections());
                number(json, "bytesPerConnection", idle.bytesPerConnection());
                number(json, "activeP99Ms", idle.activeP99Ms());
                number(json, "activeP99MsWithoutIdle", idle.activeP99MsWithoutIdle());
                json.writeEndObject();
            }
            if (figures.disk() != null) {
                number(json, "diskBytesPerReading", figures.disk().bytesPerReading());
            }
            if (!notes.isEmpty()) {
                json.writeArrayFieldStart("notes");
                for (String note : notes) {
                    json.writeString(note);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text + "\n";
    }

    /** Writes a number, or null when it is not one (a phase without that process). */
    private static void number(JsonGenerator json, String field, double value) {
        try {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                json.writeNullField(field);
            } else {
                json.writeNumberField(field, Math.round(value * 1000) / 1000.0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double idleLatencyFactor(BenchFigures.Idle idle) {
        return idle.activeP99Ms() / idle.activeP99MsWithoutIdle();
    }

    private Optional<Double> serverMicrosPerReading() {
        return find(PERSISTENT).filter(phase -> phase.rate() > 0)
                .map(phase -> phase.usage().cores(BenchRun.LOCOMOV) * 1e6 / phase.rate())
                .filter(value -> !value.isNaN());
    }

    private Optional<Double> postgresMicrosPerRow() {
        return find(BASELINE).filter(phase -> phase.rate() > 0)
                .map(phase -> phase.usage().cores(BenchRun.POSTGRESQL) * 1e6 / phase.rate())
                .filter(value -> !value.isNaN());
    }

    private void ratio(StringBuilder text, String numerator, String denominator, double target, String label) {
        Optional<Double> value = ratioValue(numerator, denominator);
        if (value.isEmpty()) {
            text.append("- ").append(label).append(": not measured in this run\n");
            return;
        }
        text.append(String.format(Locale.ROOT, "- %s: **%.0f %%** (target ≥ %.0f %%: %s)%n",
                label, value.get() * 100, target * 100, value.get() >= target ? "met" : "NOT met"));
    }

    private Optional<Double> ratioValue(String numerator, String denominator) {
        Optional<PhaseResult> top = find(numerator);
        Optional<PhaseResult> bottom = find(denominator);
        if (top.isEmpty() || bottom.isEmpty() || bottom.get().rate() <= 0) {
            return Optional.empty();
        }
        return Optional.of(top.get().rate() / bottom.get().rate());
    }

    private Optional<PhaseResult> find(String name) {
        return phases.stream().filter(phase -> phase.name().equals(name)).findFirst();
    }

    private static double millisValue(Duration latency) {
        return latency == null ? Double.NaN : latency.toNanos() / 1e6;
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
