package org.locomov.mov;

import java.util.concurrent.CompletableFuture;

/**
 * What a listener does with one framed JSON packet after TLS and framing: decode it, check it, store
 * it, and say what to reply. The mov listener's is {@link ReadingProcessor}; the confo listener is
 * the same {@link MovServer} with another processor.
 *
 * <p>Called on the connection's event loop, one packet at a time per connection: the next packet of
 * a connection is not read until the returned future has completed and its reply is written. The
 * method must not block; the future may complete on any thread. A reply of {@link Reply#THANK_YOU}
 * must mean the packet is committed. A future that completes exceptionally is answered as a server
 * error and the connection closed.
 */
@FunctionalInterface
public interface PacketProcessor {

    CompletableFuture<Reply> process(JsonFrame packet, PacketContext context);
}
