package org.locomov.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Busy CPU time of the whole machine from the first line of {@code /proc/stat}: shows whether a phase
 * was limited by the cores every process here shares (generator, server, PostgreSQL, nginx).
 *
 * <p>Stateless and thread-safe.
 */
public final class MachineCpu {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0;
    /** user nice system idle iowait irq softirq steal, after the "cpu" label. */
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;
    private static final int COUNTED_FIELDS = 8;

    private MachineCpu() {
    }

    /** CPU seconds spent not idle, summed over all cores, since boot; 0 where /proc is unavailable. */
    public static double busySeconds() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            String[] fields = lines.findFirst().orElse("cpu").trim().split("\\s+");
            long busy = 0;
            for (int i = 0; i < COUNTED_FIELDS && i + 1 < fields.length; i++) {
                if (i != IDLE && i != IOWAIT) {
                    busy += Long.parseLong(fields[i + 1]);
                }
            }
            return busy / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
