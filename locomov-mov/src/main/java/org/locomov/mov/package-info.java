/**
 * The mov listener: TLS over TCP, one JSON packet after another, one reply line for each
 * ({@code Thank you.} after commit, {@code Error: <reason>} when refused). {@link org.locomov.mov.MovServer}
 * is the bootstrap, {@link org.locomov.mov.MovChannelInitializer} the pipeline, and a
 * {@link org.locomov.mov.PacketProcessor} what is done with each packet ({@link org.locomov.mov.ReadingProcessor}
 * for mov; the confo listener brings its own).
 *
 * <p>Handlers marked sharable are stateless or hold only thread-safe state and serve every
 * connection of a listener; the others are created per connection and run on its event loop only.
 * Parameters and return values are non-null unless documented as nullable.
 */
package org.locomov.mov;
