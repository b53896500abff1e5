package org.locomov.credentials.acme;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP-01 responder: a tiny plain-HTTP server (port 80 by default, only while ACME is on) that answers
 * {@code GET /.well-known/acme-challenge/<token>} with the key authorization of a pending challenge and
 * everything else with 404. Requests are size-limited, connections limited in number and idle time.
 *
 * <p>Thread-safety: answers are added and withdrawn by the ordering thread and read by the responder's
 * one event loop, through a concurrent map.
 */
public final class Http01Responder implements ChallengeResponder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Http01Responder.class);

    static final String PATH_PREFIX = "/.well-known/acme-challenge/";
    private static final int MAX_CONNECTIONS = 64;
    private static final int MAX_INITIAL_LINE_BYTES = 1024;
    private static final int MAX_HEADER_BYTES = 8192;
    private static final int MAX_BODY_BYTES = 1024;
    private static final int IDLE_SECONDS = 10;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    /** token → key authorization; written by the ordering thread, read by the event loop. */
    private final Map<String, String> answers;

    private Http01Responder(EventLoopGroup group, Channel serverChannel, Map<String, String> answers) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.answers = answers;
    }

    /**
     * Binds {@code bindAddress:port} (0 = any free port) and starts answering.
     *
     * @throws IllegalStateException naming the address when it cannot bind (port 80 needs privileges)
     */
    public static Http01Responder start(String bindAddress, int port) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                Thread.ofPlatform().name("locomov-acme-http01").daemon().factory(), NioIoHandler.newFactory());
        AtomicInteger open = new AtomicInteger();
        Map<String, String> answers = new ConcurrentHashMap<>();
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.closeFuture().addListener(closed -> open.decrementAndGet());
                            if (open.incrementAndGet() > MAX_CONNECTIONS) {
                                log.debug("HTTP-01 responder: refused {}: more than {} connections", ch.remoteAddress(),
                                        MAX_CONNECTIONS);
                                ch.close();
                                return;
                            }
                            ch.pipeline()
                                    .addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS))
                                    .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, MAX_BODY_BYTES))
                                    .addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES))
                                    .addLast("answer", new Http01Handler(answers::get));
                        }
                    })
                    .bind(bindAddress, port).syncUninterruptibly().channel();
            Http01Responder responder = new Http01Responder(group, channel, answers);
            log.info("ACME HTTP-01 responder listening on http://{}:{}{}", bindAddress, responder.port(), PATH_PREFIX);
            return responder;
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("the ACME HTTP-01 responder cannot listen on " + bindAddress + ":" + port
                    + " (--acme-http-port; ports below 1024 need privileges): " + e.getMessage(), e);
        }
    }

    /** The bound port (the real one when 0 was asked for). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public ChallengeType type() {
        return ChallengeType.HTTP_01;
    }

    @Override
    public Answer answer(String domain, Challenge challenge) {
        Http01Challenge http = (Http01Challenge) challenge;
        return answer(http.getToken(), domain, http.getAuthorization());
    }

    /** Serves {@code keyAuthorization} at the token's path until the answer is closed. */
    Answer answer(String token, String domain, String keyAuthorization) {
        answers.put(token, keyAuthorization);
        log.debug("HTTP-01: answering token {} for {}", token, domain);
        return () -> answers.remove(token);
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
