package org.locomov.credentials.acme;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP-01 responder over real HTTP on 127.0.0.1, with answers added as an order adds them. */
class Http01ResponderTest {

    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";

    private static Http01Responder responder;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        responder = Http01Responder.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        responder.close();
    }

    @Test
    void aPendingTokenIsAnsweredWithItsKeyAuthorizationAndWithdrawnAfterwards() throws Exception {
        ChallengeResponder.Answer answer = responder.answer(TOKEN, "example.org", TOKEN + ".thumbprint");

        HttpResponse<String> answered = get(Http01Responder.PATH_PREFIX + TOKEN);
        answer.close();
        HttpResponse<String> withdrawn = get(Http01Responder.PATH_PREFIX + TOKEN);

        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo(TOKEN + ".thumbprint");
        assertThat(withdrawn.statusCode()).isEqualTo(404);
    }

    @Test
    void everythingElseIsRefusedWithoutAnAnswer() throws Exception {
        responder.answer(TOKEN, "example.org", TOKEN + ".thumbprint");

        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/.well-known/acme-challenge/../../etc/passwd").statusCode()).isEqualTo(404);
        assertThat(get(Http01Responder.PATH_PREFIX + "unknownTokenOfSufficientLength").statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri(Http01Responder.PATH_PREFIX + TOKEN))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).isEmpty();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + responder.port() + path);
    }
}
