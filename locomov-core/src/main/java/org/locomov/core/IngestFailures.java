package org.locomov.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure to store a packet becomes the refusal sent to the device. Each
 * {@link org.locomov.core.IngestException} has its reply; anything else is a bug or an outage this
 * code did not foresee, logged with its stack trace and answered as a server error.
 */
public final class IngestFailures {

    private static final Logger log = LoggerFactory.getLogger(IngestFailures.class);

    private IngestFailures() {
    }

    /**
     * The refusal for {@code failure}, as it came out of a future (wrapped or not).
     *
     * @param deviceId the device the packet came from; nullable when not known
     */
    public static Refusal refusalFor(Throwable failure, Long deviceId) {
        Throwable cause = unwrap(failure);
        Refusal refusal = switch (cause) {
            case StorageUnavailableException e ->
                    Refusal.of(RefusalKind.STORAGE_UNAVAILABLE, "storage unavailable, try again later");
            case ReadingRefusedException e -> Refusal.of(RefusalKind.REFUSED_BY_DATABASE, e.getMessage());
            case ShuttingDownException e -> Refusal.of(RefusalKind.SHUTTING_DOWN, "server is shutting down");
            default -> {
                log.warn("unexpected failure while handling a packet{}", deviceId == null ? "" : " from device " + deviceId,
                        cause);
                yield Refusal.of(RefusalKind.SERVER_ERROR, "server error, try again later");
            }
        };
        return deviceId == null ? refusal : refusal.forDevice(deviceId);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
