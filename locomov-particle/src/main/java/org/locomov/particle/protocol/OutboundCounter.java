package org.locomov.particle.protocol;

/**
 * Message ids and tokens of the messages one side starts on a connection: ids count up from a start
 * (random for the server, derived from the salt for the device), tokens are one byte counting up. ACKs
 * reuse the peer's id and take neither.
 *
 * <p>Not thread-safe: one per connection, used on its event loop.
 */
public final class OutboundCounter {

    private int nextMessageId;
    private int nextToken;

    public OutboundCounter(int firstMessageId, int firstToken) {
        this.nextMessageId = firstMessageId & 0xFFFF;
        this.nextToken = firstToken & 0xFF;
    }

    public int nextMessageId() {
        int id = nextMessageId;
        nextMessageId = (nextMessageId + 1) & 0xFFFF;
        return id;
    }

    public int nextToken() {
        int token = nextToken;
        nextToken = (nextToken + 1) & 0xFF;
        return token;
    }
}
