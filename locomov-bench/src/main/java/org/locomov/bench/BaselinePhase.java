package org.locomov.bench;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PostgreSQL's own batched-insert rate with locomov's statement ({@link PostgresBaseline}): the reference for persistent ingest. */
final class BaselinePhase implements BenchPhase {

    private static final Logger log = LoggerFactory.getLogger(BaselinePhase.class);

    @Override
    public String key() {
        return "baseline";
    }

    @Override
    public List<PhaseResult> run(BenchContext context) throws Exception {
        BenchSettings settings = context.settings();
        log.info("phase {}: {} rows per batch, {} warm-up, {} measured", BenchReport.BASELINE,
                settings.baselineBatch(), BenchRun.human(settings.warmUp()), BenchRun.human(settings.duration()));
        ResourceWindow window = new ResourceWindow(BenchRun.POSTGRESQL, context.processes(null, null));
        PostgresBaseline.Result result = new PostgresBaseline(context.database().dataSource(),
                LoadSettings.DEFAULT_FIRST_DEVICE_ID, settings.devices(), settings.baselineBatch())
                .run(settings.warmUp(), settings.duration(), window);
        return List.of(new PhaseResult(BenchReport.BASELINE, result.rowsPerSecond(), "rows/s",
                PhaseResult.Latency.of(result.commitLatency()), null, BenchRun.POSTGRESQL,
                window.usage(), false, result.rows(), 0, Map.of(),
                result.batches() + " batches; p50/p99 per batch"));
    }
}
