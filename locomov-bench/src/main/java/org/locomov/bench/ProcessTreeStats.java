package org.locomov.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time and peak memory of a process and its descendants, read from Linux's {@code /proc}: what
 * a server under test cost over a measured window, whether it is one JVM or nginx's master and workers.
 *
 * <p>CPU is {@code utime + stime} of every live process in the tree plus {@code cutime + cstime} (the
 * time of children already reaped), so a short-lived child is still counted once it exits. Peak memory
 * is the sum of each live process's {@code VmHWM}; it can be reset with {@link #resetPeakMemory()}
 * (Linux 4.0+, writing {@code 5} to {@code clear_refs}) so that each phase reports its own peak.
 *
 * <p>Thread-safe: holds only final fields; every call reads {@code /proc} afresh.
 */
public final class ProcessTreeStats {

    /** Linux's USER_HZ: the unit of the times in {@code /proc/<pid>/stat}, 100 on every mainstream architecture. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;
    private static final int UTIME_FIELD = 14;

    private final long rootPid;
    private final boolean withDescendants;

    private ProcessTreeStats(long rootPid, boolean withDescendants) {
        this.rootPid = rootPid;
        this.withDescendants = withDescendants;
    }

    /** A process and everything it started. */
    public static ProcessTreeStats of(ProcessHandle root) {
        return new ProcessTreeStats(root.pid(), true);
    }

    /** A process and everything it started, by pid (say a daemon's, from its pid file). */
    public static ProcessTreeStats ofPid(long rootPid) {
        return new ProcessTreeStats(rootPid, true);
    }

    /** One process alone, without the children it started (the bench JVM, whose children are the servers). */
    public static ProcessTreeStats processOnly(ProcessHandle process) {
        return new ProcessTreeStats(process.pid(), false);
    }

    public long rootPid() {
        return rootPid;
    }

    /** CPU seconds used so far by the tree (dead children once reaped included). */
    public double cpuSeconds() {
        long ticks = 0;
        for (long pid : treePids()) {
            ticks += cpuTicks(pid);
        }
        return ticks / CLOCK_TICKS_PER_SECOND;
    }

    /** Sum of the peak resident memory of the live processes in the tree, in KiB. */
    public long peakResidentKib() {
        long kib = 0;
        for (long pid : treePids()) {
            kib += statusField(pid, "VmHWM:").orElse(0L);
        }
        return kib;
    }

    /** Sum of the current resident memory of the live processes in the tree, in KiB. */
    public long residentKib() {
        long kib = 0;
        for (long pid : treePids()) {
            kib += statusField(pid, "VmRSS:").orElse(0L);
        }
        return kib;
    }

    /** Starts a new peak-memory measurement; false when the kernel refused (peaks then cover the whole life). */
    public boolean resetPeakMemory() {
        boolean allReset = true;
        for (long pid : treePids()) {
            try {
                Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            } catch (IOException e) {
                allReset = false;
            }
        }
        return allReset;
    }

    private List<Long> treePids() {
        List<Long> pids = new ArrayList<>();
        pids.add(rootPid);
        if (!withDescendants) {
            return pids;
        }
        ProcessHandle.of(rootPid).ifPresent(root -> root.descendants().forEach(child -> pids.add(child.pid())));
        return pids;
    }

    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: split after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            int offset = 3;  // fields[0] is field 3 (state)
            long ticks = 0;
            for (int field = UTIME_FIELD; field < UTIME_FIELD + 4; field++) {  // utime stime cutime cstime
                ticks += Long.parseLong(fields[field - offset]);
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return 0;  // the process exited between listing and reading: its parent counts it once reaped
        }
    }

    private static Optional<Long> statusField(long pid, String name) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(line -> line.startsWith(name))
                    .map(line -> Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
