package org.locomov.core.firmware;

import java.util.Locale;

/** Where a firmware update job is. */
public enum FirmwareJobStatus {
    /** Made; waits for its device to be connected with a transport that takes updates. */
    QUEUED,
    /** Handed to the device; bytes are moving. */
    RUNNING,
    /** The device has the image (final). */
    DONE,
    /** The update did not complete (final); the job's error says why. */
    FAILED;

    /** Lower case, as stored and shown by the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == DONE || this == FAILED;
    }
}
