package org.locomov.credentials.acme;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Answers one HTTP request on the HTTP-01 responder, then closes: the key authorization for a known token,
 * 404 for anything else, 405 for methods other than GET and HEAD, 400 for requests the codec could not read.
 *
 * <p>One instance per connection, used on its event loop only.
 */
final class Http01Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(Http01Handler.class);
    /** ACME tokens are base64url (RFC 8555 §8.3), at least 128 bits. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private final Function<String, String> keyAuthorizationForToken;

    Http01Handler(Function<String, String> keyAuthorizationForToken) {
        this.keyAuthorizationForToken = keyAuthorizationForToken;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "unreadable request: " + request.decoderResult().cause());
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + request.method());
            return;
        }
        String path = request.uri();
        String token = path.startsWith(Http01Responder.PATH_PREFIX) ? path.substring(Http01Responder.PATH_PREFIX.length()) : "";
        String keyAuthorization = TOKEN.matcher(token).matches() ? keyAuthorizationForToken.apply(token) : null;
        if (keyAuthorization == null) {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "no pending challenge at " + abbreviated(path));
            return;
        }
        log.info("HTTP-01: answered token {} for {}", token, ctx.channel().remoteAddress());
        byte[] body = keyAuthorization.getBytes(StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP-01 responder: closed {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        // Scanners probe every port 80: refusals are routine, so DEBUG, with peer and reason.
        log.debug("HTTP-01 responder: {} to {}: {}", status.code(), ctx.channel().remoteAddress(), reason);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String abbreviated(String path) {
        return path.length() <= 80 ? path : path.substring(0, 77) + "...";
    }
}
