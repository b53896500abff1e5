package org.locomov.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples the CPU time of the processes in a phase (the server under test, PostgreSQL, the generator)
 * and of the whole machine when the measured window opens and closes, and the server's peak memory over
 * the window.
 *
 * <p>Threads: {@link #measurementStarted} and {@link #measurementEnded} run on the generator's clock
 * thread; {@link #usage} is read by the bench thread after {@link LoadGenerator#run} has returned, which
 * joined the clock thread's work, so the plain fields are visible. Also driven directly (one thread) by
 * the PostgreSQL baseline.
 */
final class ResourceWindow implements LoadGenerator.WindowObserver {

    /** The process whose memory is reported; its CPU is one of {@code processes}. */
    private final String serverName;
    private final Map<String, ProcessTreeStats> processes;
    private final Map<String, Double> cpuAtStart = new LinkedHashMap<>();
    private final Map<String, Double> coresUsed = new LinkedHashMap<>();
    private double machineAtStart;
    private double machineCores;
    private long startNanos;
    private long serverPeakKib;
    private boolean peakIsPhaseOnly;

    /** @param processes by report name, in report order; {@code serverName} must be one of them */
    ResourceWindow(String serverName, Map<String, ProcessTreeStats> processes) {
        this.serverName = serverName;
        this.processes = new LinkedHashMap<>(processes);
        if (!processes.containsKey(serverName)) {
            throw new IllegalArgumentException("no process named " + serverName);
        }
    }

    @Override
    public void measurementStarted() {
        peakIsPhaseOnly = processes.get(serverName).resetPeakMemory();
        startNanos = System.nanoTime();
        machineAtStart = MachineCpu.busySeconds();
        processes.forEach((name, stats) -> cpuAtStart.put(name, stats.cpuSeconds()));
    }

    @Override
    public void measurementEnded() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        processes.forEach((name, stats) ->
                coresUsed.put(name, (stats.cpuSeconds() - cpuAtStart.get(name)) / seconds));
        machineCores = (MachineCpu.busySeconds() - machineAtStart) / seconds;
        serverPeakKib = processes.get(serverName).peakResidentKib();
    }

    /** What was used over the window. */
    ResourceUsage usage() {
        if (coresUsed.isEmpty()) {
            throw new IllegalStateException("the measured window was never closed");
        }
        return new ResourceUsage(Map.copyOf(coresUsed), machineCores, serverPeakKib, peakIsPhaseOnly);
    }

    /**
     * @param coresByProcess  CPU seconds per wall second over the window, per process (tree) name
     * @param machineCores    the same for the whole machine
     * @param serverPeakKib   the server's peak resident memory
     * @param peakIsPhaseOnly false when the kernel would not reset the peak, so it covers the server's whole life
     */
    record ResourceUsage(Map<String, Double> coresByProcess, double machineCores, long serverPeakKib,
                         boolean peakIsPhaseOnly) {

        double cores(String process) {
            return coresByProcess.getOrDefault(process, Double.NaN);
        }
    }
}
