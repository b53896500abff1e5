package org.locomov.transport;

/**
 * The user event a stopping {@link TcpListener} fires into every open connection: finish what is in
 * flight (answer what is being committed), then close. A protocol handler that has nothing in flight
 * closes at once; one that does not handle it is closed when the drain time ends.
 */
public enum Drain {
    INSTANCE
}
