package org.locomov.bench;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a bench's phases in order so that one phase's trouble never costs the others: every phase's peers are
 * checked (and installed where allowed) before anything is measured, a phase whose peer is missing is skipped
 * with the reason, and a phase that throws is reported as failed, after which the server is restarted for the
 * next phase that needs it (a failure may have left it broken). Confined to the bench thread.
 */
final class PhaseRunner {

    private static final Logger log = LoggerFactory.getLogger(PhaseRunner.class);

    /** The table lines of the phases that ran, a note per skipped or failed phase, and whether one failed. */
    record Outcome(List<PhaseResult> results, List<String> notes, boolean failed) {
        Outcome {
            results = List.copyOf(results);
            notes = List.copyOf(notes);
        }
    }

    private final List<BenchPhase> phases;
    /** Phase → why it cannot run (its missing peers); absent when it can. By identity: a phase is not a value. */
    private final Map<BenchPhase, String> skipped = new IdentityHashMap<>();

    private PhaseRunner(List<BenchPhase> phases) {
        this.phases = List.copyOf(phases);
    }

    /** Checks the peers of every phase now, before the run measures anything (an install takes minutes). */
    static PhaseRunner checkPeers(List<BenchPhase> phases, PeerCheck peers) {
        PhaseRunner runner = new PhaseRunner(phases);
        for (BenchPhase phase : phases) {
            List<String> missing = phase.peers().stream()
                    .flatMap(peer -> peers.unavailable(peer).map(reason -> peer.name() + ": " + reason).stream())
                    .toList();
            if (!missing.isEmpty()) {
                runner.skipped.put(phase, String.join("; ", missing));
            }
        }
        return runner;
    }

    /**
     * Runs the phases that have their peers.
     *
     * @param afterFailure called after a phase failed, before the next one (stops the server, so the next
     *                     locomov phase starts a fresh one)
     */
    Outcome run(BenchContext context, Runnable afterFailure) {
        List<PhaseResult> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean failed = false;
        for (BenchPhase phase : phases) {
            String missing = skipped.get(phase);
            if (missing != null) {
                String note = "phase " + phase.key() + " skipped: " + missing;
                log.warn(note);
                notes.add(note);
                continue;
            }
            try {
                results.addAll(phase.run(context));
            } catch (Exception | AssertionError e) {
                failed = true;
                String note = "phase " + phase.key() + " FAILED: " + SimulatedDevice.describe(e);
                log.error(note, e);
                notes.add(note);
                afterFailure.run();
            }
        }
        return new Outcome(results, notes, failed);
    }
}
