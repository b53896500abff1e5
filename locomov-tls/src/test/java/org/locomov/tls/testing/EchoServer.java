package org.locomov.tls.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ServerCertificate;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A tiny TLS line-echo server on 127.0.0.1 for tests: the listener pipeline in miniature
 * (the TLS handler the test supplies first, e.g. a listener's per-client-hello handler). Replies {@code echo: LINE} to
 * each line and closes after {@code bye}; answers plaintext with {@code Error: TLS required} as the mov
 * listener does. Records what the server saw.
 */
public final class EchoServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel serverChannel;
    /** Written by the event loop, read by the test thread. */
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    public final List<SslHandshakeCompletionEvent> handshakes = new CopyOnWriteArrayList<>();

    /** An echo server whose TLS serves {@code certificate} with the suites of {@code profile} for its key type. */
    public static EchoServer serving(ServerCertificate certificate, CipherProfile profile)
            throws InterruptedException, SSLException {
        SslContext context = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .protocols(profile.protocols())
                .ciphers(profile.cipherSuites(certificate.keyType()))
                .build();
        return new EchoServer(() -> context.newHandler(ByteBufAllocator.DEFAULT));
    }

    /** @param tlsHandler a new TLS handler for each connection */
    public EchoServer(Supplier<ChannelHandler> tlsHandler) throws InterruptedException {
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("tls", tlsHandler.get())                   // e.g. RSA or EC per client hello
                                .addLast("lines", new LineBasedFrameDecoder(1024))  // framing with a size limit
                                .addLast("echo", new Echo());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Echo extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            String text = line.toString(StandardCharsets.UTF_8);
            var written = ctx.writeAndFlush(Unpooled.copiedBuffer("echo: " + text + "\n", StandardCharsets.UTF_8));
            if (text.equals("bye")) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent completion) {
                handshakes.add(completion);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
            if (cause instanceof NotSslRecordException) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("Error: TLS required\n", StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }
    }
}
