package org.locomov.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A plaintext stand-in for the mov protocol behind nginx's TLS: answers {@code Thank you.\n} to every
 * packet on a kept-open connection. A CC3220S packet ends its JSON object with '}' then NUL, and a
 * device sends its next packet only after the ack, so "}\0" marks the end of each packet.
 */
final class PacketAckBackend implements AutoCloseable {

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    PacketAckBackend() throws InterruptedException {
        server = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new AckEachPacket());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Threads: one per connection, on its event loop. */
    private static final class AckEachPacket extends ChannelInboundHandlerAdapter {
        private static final byte[] ACK = "Thank you.\n".getBytes(StandardCharsets.US_ASCII);
        private byte previous;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf bytes = (ByteBuf) msg;
                while (bytes.isReadable()) {
                    byte next = bytes.readByte();
                    if (previous == '}' && next == 0) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(ACK));
                    }
                    previous = next;
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
