package org.locomov.core;

import java.util.Objects;
import org.locomov.core.command.Commands;
import org.locomov.core.event.DeviceEvents;
import org.locomov.core.firmware.FirmwareJobs;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.core.session.DeviceSessions;

/**
 * Everything a device transport hands what it receives to, and asks about devices: the parts of the
 * device plane (DESIGN.md §2), one instance of each per node, shared by every listener.
 *
 * @param ingest        readings, acknowledged after commit
 * @param directory     whether a device id a packet names may send (mov, where only the packet names it)
 * @param identity      what a client certificate, token or PSK identity proves
 * @param sessions      connected devices, and where commands and updates go
 * @param commands      devices' answers to commands
 * @param events        device events
 * @param firmware      firmware update jobs' progress and images
 * @param confirmations cloud confirmations of newly provisioned devices (confo)
 */
public record DevicePlane(Ingest ingest, DeviceDirectory directory, DeviceIdentity identity, DeviceSessions sessions,
        Commands commands, DeviceEvents events, FirmwareJobs firmware, Confirmations confirmations) {

    public DevicePlane {
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(confirmations, "confirmations");
    }
}
