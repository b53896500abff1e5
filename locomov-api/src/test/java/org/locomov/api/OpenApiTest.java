package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenApiTest {

    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void documentListsExactlyTheRoutesTheServerServes() {
        HttpResponse<String> response = api.get("/api/v1/openapi.json", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = api.json(response);
        assertThat(document.path("openapi").asText()).startsWith("3.");

        Set<String> documented = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(
                method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        Set<String> served = new TreeSet<>();
        api.server.routes().stream()
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .forEach(endpoint -> served.add(endpoint.method.name() + " " + endpoint.path));

        assertThat(served).isNotEmpty();
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void everyAuthenticatedOperationDocumentsTheUnauthorizedAnswer() {
        JsonNode paths = api.json(api.get("/api/v1/openapi.json", null)).path("paths");

        paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            boolean open = operation.getValue().has("security") && operation.getValue().path("security").isEmpty();
            if (!open) {
                assertThat(operation.getValue().path("responses").has("401"))
                        .as(operation.getKey() + " " + path.getKey()).isTrue();
            }
        }));
    }
}
