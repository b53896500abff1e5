package org.locomov.mov;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.locomov.core.ConfoPost;
import org.locomov.core.Confirmations;
import org.locomov.core.DecodeResult;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The confo listener's step after framing: decode a newly provisioned device's confirmation, apply the
 * cloud-confirmation decision (DESIGN.md §2) in one transaction through {@link Confirmations}, and
 * reply {@code Thank you.} once it is committed. Every confirmation is logged with its outcome; a problem
 * (the device's creator is tied to an e-mail no longer registered) is logged as a warning.
 *
 * <p>The transaction blocks, so it runs on {@code databaseExecutor}, never on the event loop; the
 * listener's connection limit bounds how many wait for it (one per connection).
 *
 * <p>Stateless and shared by every connection of the listener; thread-safe because each call works only
 * on its own post and future.
 */
public final class ConfoProcessor implements PacketProcessor {

    private static final Logger log = LoggerFactory.getLogger(ConfoProcessor.class);

    private final ConfoPostDecoder decoder = new ConfoPostDecoder();
    private final Confirmations confirmations;
    private final Executor databaseExecutor;

    /**
     * @param databaseExecutor runs the blocking transactions; owned by the caller, who shuts it down after
     *                         the listener has stopped
     */
    public ConfoProcessor(Confirmations confirmations, Executor databaseExecutor) {
        this.confirmations = Objects.requireNonNull(confirmations, "confirmations");
        this.databaseExecutor = Objects.requireNonNull(databaseExecutor, "databaseExecutor");
    }

    @Override
    public CompletableFuture<Reply> process(JsonFrame packet, PacketContext context) {
        return switch (decoder.decode(packet.bytes())) {
            case DecodeResult.Refused<ConfoPost>(Refusal refusal) -> CompletableFuture.completedFuture(Reply.refused(refusal));
            case DecodeResult.Decoded<ConfoPost>(ConfoPost post) -> save(post, context);
        };
    }

    private CompletableFuture<Reply> save(ConfoPost post, PacketContext context) {
        try {
            return CompletableFuture.supplyAsync(() -> confirmations.confirm(post), databaseExecutor)
                    .thenApply(result -> acknowledge(post, result, context))
                    .exceptionally(failure -> refusalFor(failure, post, context));
        } catch (RejectedExecutionException stopping) {
            return CompletableFuture.completedFuture(
                    Reply.refused(Refusal.of(RefusalKind.SHUTTING_DOWN, "server is shutting down")));
        }
    }

    private static Reply acknowledge(ConfoPost post, Confirmations.Outcome outcome, PacketContext context) {
        if (outcome.problem()) {
            log.warn("{} confirmation from {}: device '{}' (hash {}) on '{}' by unregistered {}: {}",
                    context.listener(), context.peerText(), post.deviceName(), post.hash(), post.ssid(), post.email(),
                    outcome.description());
        } else {
            log.info("{} confirmation from {}: device '{}' (hash {}) on '{}' by {}: {}",
                    context.listener(), context.peerText(), post.deviceName(), post.hash(), post.ssid(), post.email(),
                    outcome.description());
        }
        return Reply.THANK_YOU;
    }

    private static Reply refusalFor(Throwable failure, ConfoPost post, PacketContext context) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StorageUnavailableException storage) {
            log.warn("{} could not save the confirmation of hash {} from {}: {}", context.listener(), post.hash(),
                    context.peerText(), storage.getMessage());
            return Reply.refused(Refusal.of(RefusalKind.STORAGE_UNAVAILABLE, "storage unavailable, try again later"));
        }
        return Reply.refused(IngestFailures.refusalFor(cause, null));
    }
}
