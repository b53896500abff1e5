/**
 * The transport kit: what every device listener needs, built once. Connection limits
 * ({@link org.locomov.transport.ConnectionLimiter}), connection and handshake events with their log lines
 * and metrics, the submit → hold → resume backpressure loop onto {@link org.locomov.core.Ingest}, the JSON
 * reading decoder (object or array, unknown fields kept), server TLS, and the contract a listener module
 * fulfils to join the server's listener list.
 *
 * <p>Threads: Netty handlers marked sharable serve every connection of a listener and hold only
 * thread-safe state; the others belong to one connection and run on its event loop. Work that must leave
 * the event loop (the database, the device plane) returns a future, and its result is brought back to the
 * connection's event loop before it touches connection state: that is the one way off the event loop.
 * Parameters and return values are non-null unless documented as nullable.
 */
package org.locomov.transport;
