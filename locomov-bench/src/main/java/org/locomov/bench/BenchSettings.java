package org.locomov.bench;

import java.time.Duration;

/**
 * The options every phase reads, from {@link BenchRun}'s command line.
 *
 * @param devices         simulated devices, each with one exchange in flight
 * @param warmUp          load before each measured window
 * @param duration        each phase's measured window
 * @param baselineBatch   rows per INSERT in the PostgreSQL baseline
 * @param ioThreads       generator event loops, or null for one per core
 * @param idleConnections idle TLS connections the idle phase holds
 */
record BenchSettings(int devices, Duration warmUp, Duration duration, int baselineBatch, Integer ioThreads,
                     int idleConnections) {
}
