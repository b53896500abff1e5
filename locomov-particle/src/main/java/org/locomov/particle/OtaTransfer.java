package org.locomov.particle;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareJobs;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.particle.coap.CoapMessage;
import org.locomov.particle.protocol.SparkMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One firmware update over the protocol's OTA, one chunk at a time as the original server does it with a
 * Core: UpdateBegin, wait for UpdateReady, then each chunk (zero-padded to the chunk size, its CRC-32 in a
 * Uri-Query) waits for the device's 2.04; a 4.00 (bad CRC) sends the chunk again, at most
 * {@value #MAX_TRIES} times; a ChunkMissed sends the named chunk again; UpdateDone ends it. Progress and the
 * outcome go to {@link FirmwareJobs#report}.
 *
 * <p>Per connection, event loop only.
 */
final class OtaTransfer {

    private static final Logger log = LoggerFactory.getLogger(OtaTransfer.class);
    static final int MAX_TRIES = 3;
    private static final int REPORT_EVERY_CHUNKS = 16;

    private final ParticleConnection connection;
    private final FirmwareOffer offer;
    private final int chunkBytes;
    private final FirmwareJobs jobs;
    private final String listener;
    private byte[] image;
    private int tries;
    private boolean finished;

    OtaTransfer(ParticleConnection connection, FirmwareOffer offer, int chunkBytes, FirmwareJobs jobs, String listener) {
        this.connection = connection;
        this.offer = offer;
        this.chunkBytes = chunkBytes;
        this.jobs = jobs;
        this.listener = listener;
    }

    /** Reads the image, then sends UpdateBegin; completes once it is sent. */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> begun = new CompletableFuture<>();
        connection.onLoopLater(jobs.image(offer.firmwareId()), (bytes, failure) -> {
            if (failure != null || bytes == null) {
                fail("the image could not be read: " + (failure == null ? "none" : failure.getMessage()));
                begun.completeExceptionally(failure != null ? failure : new IllegalStateException("no image"));
                return;
            }
            image = bytes;
            report(FirmwareJobStatus.RUNNING, 0, null);
            log.info("{} sending firmware {} ({} bytes) to device {}", listener, offer.firmwareId(), image.length,
                    offer.deviceId());
            connection.onLoopLater(connection.ask((id, token) -> SparkMessages.updateBegin(id, token, chunkBytes, image.length)),
                    (ready, notReady) -> {
                        if (notReady != null || ready.code() != CoapMessage.CHANGED) {
                            fail("the device did not get ready: " + (notReady != null ? notReady.getMessage()
                                    : CoapMessage.codeText(ready.code())));
                        } else {
                            send(0);
                        }
                    });
            begun.complete(null);
        });
        return begun;
    }

    private int chunks() {
        return (image.length + chunkBytes - 1) / chunkBytes;
    }

    private byte[] chunk(int index) {
        int from = index * chunkBytes;
        return Arrays.copyOf(Arrays.copyOfRange(image, from, Math.min(image.length, from + chunkBytes)), chunkBytes);
    }

    private void send(int index) {
        if (finished) {
            return;
        }
        if (index >= chunks()) {
            done();
            return;
        }
        byte[] chunk = chunk(index);
        CRC32 crc = new CRC32();
        crc.update(chunk);
        connection.onLoopLater(connection.ask((id, token) -> SparkMessages.chunk(id, token, crc.getValue(), chunk)),
                (answer, failure) -> {
                    if (failure != null) {
                        fail("chunk " + index + " was not answered: " + failure.getMessage());
                    } else if (answer.code() == CoapMessage.CHANGED) {
                        tries = 0;
                        int sent = index + 1;
                        if (sent % REPORT_EVERY_CHUNKS == 0 && sent < chunks()) {
                            report(FirmwareJobStatus.RUNNING, Math.min((long) sent * chunkBytes, image.length), null);
                        }
                        send(sent);
                    } else if (++tries < MAX_TRIES) {
                        log.info("{} device {} refused chunk {} ({}), sending it again", listener, offer.deviceId(),
                                index, CoapMessage.codeText(answer.code()));
                        send(index);
                    } else {
                        fail("chunk " + index + " refused " + MAX_TRIES + " times");
                    }
                });
    }

    /** The device says it lacks the chunk whose 2-byte index {@code payload} holds: sent again on its own. */
    void chunkMissed(byte[] payload) {
        if (image == null || payload.length < 2 || finished) {
            return;
        }
        int index = ByteBuffer.wrap(payload).getShort() & 0xFFFF;
        if (index < chunks()) {
            byte[] chunk = chunk(index);
            CRC32 crc = new CRC32();
            crc.update(chunk);
            connection.ask((id, token) -> SparkMessages.chunk(id, token, crc.getValue(), chunk));
        }
    }

    private void done() {
        connection.onLoopLater(connection.ask(SparkMessages::updateDone), (answer, failure) -> {
            if (failure != null) {
                fail("UpdateDone was not answered: " + failure.getMessage());
                return;
            }
            finished = true;
            connection.updateFinished(this);
            log.info("{} device {} has firmware {} ({} bytes); it restarts now", listener, offer.deviceId(),
                    offer.firmwareId(), image.length);
            report(FirmwareJobStatus.DONE, image.length, null);
        });
    }

    void connectionClosed() {
        fail("the connection closed before the update completed");
    }

    private void fail(String reason) {
        if (finished) {
            return;
        }
        finished = true;
        connection.updateFinished(this);
        log.info("{} firmware update {} of device {} failed: {}", listener, offer.jobId(), offer.deviceId(), reason);
        report(FirmwareJobStatus.FAILED, 0, reason);
    }

    private void report(FirmwareJobStatus status, long bytes, String error) {
        jobs.report(offer.deviceId(), offer.jobId(), status, bytes, error).exceptionally(e -> {
            log.info("{} could not record the progress of update {}: {}", listener, offer.jobId(), e.getMessage());
            return null;
        });
    }
}
