package org.locomov.bench;

/**
 * Figures of a run beyond the phase table, for report.md and report.json; a phase that did not run leaves
 * its figures null. Confined to the bench thread.
 */
final class BenchFigures {

    /** What the idle phase measured. */
    record Idle(int connections, double bytesPerConnection, double activeP99Ms, double activeP99MsWithoutIdle,
                long serverRssBeforeKib, long serverRssAfterKib) {
    }

    /** What the disk phase measured. */
    record Disk(long readings, long tableBytes, long indexBytes) {
        double bytesPerReading() {
            return readings == 0 ? Double.NaN : (tableBytes + indexBytes) / (double) readings;
        }
    }

    private Idle idle;
    private Disk disk;

    Idle idle() {
        return idle;
    }

    void idle(Idle measured) {
        this.idle = measured;
    }

    Disk disk() {
        return disk;
    }

    void disk(Disk measured) {
        this.disk = measured;
    }
}
