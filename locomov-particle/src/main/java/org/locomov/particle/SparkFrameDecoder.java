package org.locomov.particle;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.locomov.particle.ParticleRefusals.Reason;
import org.locomov.transport.Peers;

/**
 * Cuts the stream after the handshake into frames (2-byte big-endian length, then the ciphertext) and
 * refuses, before buffering it, a frame longer than the limit or one that cannot be whole AES blocks.
 *
 * <p>Per connection, event loop only.
 */
final class SparkFrameDecoder extends ByteToMessageDecoder {

    private final int maxMessageBytes;
    private final ParticleRefusals refusals;
    private final String device;
    private boolean refused;

    SparkFrameDecoder(int maxMessageBytes, ParticleRefusals refusals, String device) {
        this.maxMessageBytes = maxMessageBytes;
        this.refusals = refusals;
        this.device = device;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 2) {
            return;
        }
        int length = in.getUnsignedShort(in.readerIndex());
        if (length > maxMessageBytes) {
            refuse(ctx, in, Reason.OVERSIZE_MESSAGE, "a message of " + length + " bytes, over the limit of " + maxMessageBytes);
            return;
        }
        if (length == 0 || length % 16 != 0) {
            refuse(ctx, in, Reason.UNDECRYPTABLE_MESSAGE, "a message of " + length + " bytes is not whole AES blocks");
            return;
        }
        if (in.readableBytes() < 2 + length) {
            return;
        }
        in.skipBytes(2);
        out.add(in.readRetainedSlice(length));
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, Reason reason, String detail) {
        refused = true;
        in.skipBytes(in.readableBytes());
        refusals.refuse(Peers.describe(ctx.channel().remoteAddress()), device, reason, detail);
        ctx.close();
    }
}
