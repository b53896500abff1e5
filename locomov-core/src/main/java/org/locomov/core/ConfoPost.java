package org.locomov.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What a newly provisioned device posts to the confo listener, already checked by its decoder.
 *
 * @param deviceName the name the phone app gave the device
 * @param ssid       the Wi-Fi network the device was set up on
 * @param hash       the device's hash, its identity to the app ({@code pub.hash})
 * @param email      the app user's e-mail, lower-cased
 * @param deviceTime the device's clock when it posted; nullable when it sent none
 */
public record ConfoPost(String deviceName, String ssid, long hash, String email, Instant deviceTime) {

    public ConfoPost {
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(ssid, "ssid");
        Objects.requireNonNull(email, "email");
    }
}
