package org.locomov.core;

/** The limit on a device's name ({@code pub.name}), shared by everything that accepts one. */
public final class DeviceNames {

    /** Longest device name kept, in characters. */
    public static final int MAX_LENGTH = 200;

    private DeviceNames() {
    }
}
