package org.locomov.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run keeps what it measured whatever one phase does: a phase whose peer is missing from this machine is
 * skipped with the reason (and, without root or with {@code --no-install}, nothing is installed), a phase that
 * throws is reported as failed, and the phases around both still run and are in the report.
 */
class PhaseRunnerTest {

    @TempDir
    Path dir;

    /** A peer looked up in a directory that does not hold it, as nginx is on a machine without it. */
    private Peer missingPeer() {
        Path binary = dir.resolve("sbin/nginx");
        return new Peer("nginx with the stream module", List.of("nginx", "libnginx-mod-stream"),
                () -> Files.isExecutable(binary) ? Optional.empty() : Optional.of(binary + " is missing"));
    }

    @Test
    void aFailingPhaseAndASkippedPhaseLoseNothingElse() {
        List<String> ran = new ArrayList<>();
        AtomicInteger restarts = new AtomicInteger();
        List<BenchPhase> phases = List.of(
                new Fake("baseline", List.of(), ran, false),
                new Fake("persistent", List.of(), ran, true),
                new Fake("nginx", List.of(missingPeer()), ran, false),
                new Fake("disk", List.of(), ran, false));

        PhaseRunner.Outcome outcome = PhaseRunner.checkPeers(phases, new PeerCheck(true, false, dir))
                .run(null, restarts::incrementAndGet);

        assertThat(ran).containsExactly("baseline", "persistent", "disk");
        assertThat(outcome.results()).extracting(PhaseResult::name).containsExactly("baseline", "disk");
        assertThat(outcome.failed()).isTrue();
        assertThat(restarts).as("the server is restarted after the failure").hasValue(1);
        assertThat(outcome.notes()).containsExactly(
                "phase persistent FAILED: IllegalStateException: the server went away",
                "phase nginx skipped: nginx with the stream module: " + dir.resolve("sbin/nginx") + " is missing; "
                        + "run as root to let the bench install nginx libnginx-mod-stream with apt-get");

        BenchReport.Machine machine = new BenchReport.Machine(2, "cpu", "kernel", "jdk", "pg", "nginx (not found)",
                "now", "0 0 0");
        BenchReport report = new BenchReport(machine, machine, "settings", "", outcome.results(), outcome.notes(),
                new BenchFigures(), outcome.failed());
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.markdown()).contains("| baseline |", "| disk |", "- phase persistent FAILED",
                "- phase nginx skipped");
        assertThat(report.json()).contains("\"name\" : \"baseline\"", "\"name\" : \"disk\"", "phase nginx skipped");
    }

    @Test
    void noInstallSkipsWithoutTryingApt() {
        List<String> ran = new ArrayList<>();

        PhaseRunner.Outcome outcome = PhaseRunner.checkPeers(
                        List.of(new Fake("mqtt", List.of(missingPeer()), ran, false)), new PeerCheck(false, true, dir))
                .run(null, () -> { });

        assertThat(ran).isEmpty();
        assertThat(outcome.failed()).isFalse();
        assertThat(outcome.notes()).singleElement().asString().endsWith("is missing; not installing (--no-install)");
        assertThat(dir.resolve("apt-get.log")).doesNotExist();
    }

    @Test
    void peersAreCheckedBeforeAnyPhaseRuns() {
        List<String> events = new ArrayList<>();
        Peer watched = new Peer("watched", List.of(), () -> {
            events.add("peer checked");
            return Optional.empty();
        });

        PhaseRunner runner = PhaseRunner.checkPeers(List.of(new Fake("first", List.of(), events, false),
                new Fake("second", List.of(watched), events, false)), new PeerCheck(false, false, dir));
        events.add("checked");
        runner.run(null, () -> { });

        assertThat(events).containsExactly("peer checked", "checked", "first", "second");
    }

    @Test
    void theCaliforniumPeerIsAlwaysThere() {
        assertThat(new PeerCheck(false, false, dir).unavailable(CaliforniumPhase.CALIFORNIUM)).isEmpty();
    }

    /** A phase that records that it ran and either returns one line or throws. */
    private record Fake(String key, List<Peer> peers, List<String> ran, boolean fails) implements BenchPhase {
        @Override
        public List<PhaseResult> run(BenchContext context) {
            ran.add(key);
            if (fails) {
                throw new IllegalStateException("the server went away");
            }
            return List.of(new PhaseResult(key, 1, "acks/s", new PhaseResult.Latency(Duration.ZERO, Duration.ZERO),
                    null, BenchRun.LOCOMOV, new ResourceWindow.ResourceUsage(Map.of(BenchRun.LOCOMOV, 0.1), 0.2, 1024,
                    true), true, 1, 0, Map.of(), "ok"));
        }
    }
}
