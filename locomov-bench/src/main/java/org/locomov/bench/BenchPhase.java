package org.locomov.bench;

import java.util.List;

/**
 * One part of a bench run (PostgreSQL's baseline, locomov persistent, nginx, idle devices, disk...). A run
 * is a list of these ({@link BenchRun}); a new transport's bench adds its own (say an MQTT phase with a
 * mosquitto peer) without touching the others. A phase that throws is reported as failed and the run goes
 * on with the next one; a phase whose peer is missing is skipped with the reason.
 */
interface BenchPhase {

    /** The short name used by {@code --phases} (e.g. {@code persistent}). */
    String key();

    /** The external programs this phase needs (nginx, mosquitto...), checked before the run starts. */
    default List<Peer> peers() {
        return List.of();
    }

    /** Runs the phase and returns its table lines (usually one); figures beyond them go to {@code context.figures()}. */
    List<PhaseResult> run(BenchContext context) throws Exception;
}
