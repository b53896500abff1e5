package org.locomov.store.plane;

import org.locomov.core.session.DeviceSession;

/** What waits in the database for a device's session: its queued commands, its queued update jobs. */
interface WaitingWork {

    /** Hands {@code session} what waits for its device and it can take now; runs on the plane's thread. */
    void handOver(DeviceSession session);
}
