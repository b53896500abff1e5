package org.locomov.store;

/** {@link DeviceRepository#add} was given an id that is already registered; nothing was changed. */
public final class DeviceAlreadyExistsException extends IllegalArgumentException {

    private final long pubId;

    public DeviceAlreadyExistsException(long pubId) {
        super("device " + pubId + " already exists");
        this.pubId = pubId;
    }

    public long pubId() {
        return pubId;
    }
}
