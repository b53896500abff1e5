package org.locomov.particle;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;
import org.locomov.particle.ParticleRefusals.Reason;
import org.locomov.particle.coap.CoapCodec;
import org.locomov.particle.coap.CoapMessage;
import org.locomov.particle.coap.MalformedMessageException;
import org.locomov.particle.crypto.CipherChain;
import org.locomov.particle.crypto.SessionMaterial;
import org.locomov.particle.crypto.UndecryptableException;
import org.locomov.particle.protocol.SparkFraming;
import org.locomov.transport.Peers;

/**
 * Frames ⇄ CoAP messages: each direction's AES-128-CBC chain (the IV of a message is the first block of
 * that direction's previous ciphertext), then the CoAP codec. A frame that does not decrypt or parse closes
 * the connection with a refusal: the chain cannot recover from a lost message.
 *
 * <p>Per connection, event loop only (the chains are stateful).
 */
final class CipherCodec extends MessageToMessageCodec<ByteBuf, CoapMessage> {

    private final CipherChain fromDevice;
    private final CipherChain toDevice;
    private final ParticleRefusals refusals;
    private final String device;
    private boolean refused;

    CipherCodec(SessionMaterial material, ParticleRefusals refusals, String device) {
        this.fromDevice = material.chain();
        this.toDevice = material.chain();
        this.refusals = refusals;
        this.device = device;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, CoapMessage message, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(SparkFraming.wrap(toDevice.encrypt(CoapCodec.encode(message)))));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (refused) {
            return;
        }
        try {
            out.add(CoapCodec.decode(fromDevice.decrypt(ByteBufUtil.getBytes(frame))));
        } catch (UndecryptableException e) {
            refuse(ctx, Reason.UNDECRYPTABLE_MESSAGE, e.getMessage());
        } catch (MalformedMessageException e) {
            refuse(ctx, Reason.MALFORMED_MESSAGE, e.getMessage());
        }
    }

    private void refuse(ChannelHandlerContext ctx, Reason reason, String detail) {
        refused = true;
        refusals.refuse(Peers.describe(ctx.channel().remoteAddress()), device, reason, detail);
        ctx.close();
    }
}
