package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiV2Test {
    @Test
    void aBase64BodyIsDecodedAndHeadersQueryAndCookiesAreHandedOver() {
        ObjectNode e = (ObjectNode) Lambda.json(Recorded.envelope("http-v2-events-aws-base64.json"));
        e.put("rawQueryString", "dryRun=true&x=%2F");
        e.putArray("cookies").add("a=1").add("b=2");

        HttpRequest r = HttpApiV2.request(e);

        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/events/aws");
        assertThat(r.rawQuery()).isEqualTo("dryRun=true&x=%2F");
        assertThat(r.header("Authorization")).contains("Bearer test-http-token-0001");
        assertThat(r.header("cookie")).contains("a=1; b=2");
        assertThat(Lambda.json(r.bodyText()).path("detail").path("eventName").asText())
                .isEqualTo("AuthorizeSecurityGroupIngress");
    }

    @Test
    void payloadsThatAreNotV2RequestsNameTheField() {
        ObjectNode e = (ObjectNode) Lambda.json(Recorded.envelope("http-v2-events-aws-base64.json"));
        e.put("body", "not base64!");
        assertThatThrownBy(() -> HttpApiV2.request(e)).isInstanceOf(EventParseException.class)
                .hasMessage("body: isBase64Encoded is true but the body is not base64");

        ObjectNode noMethod = (ObjectNode) Lambda.json(Recorded.envelope("http-v2-health.json"));
        ((ObjectNode) noMethod.path("requestContext").path("http")).remove("method");
        assertThatThrownBy(() -> HttpApiV2.request(noMethod)).isInstanceOf(EventParseException.class)
                .hasMessage("requestContext.http.method: required field is missing");
    }

    @Test
    void jsonAndTextResponsesStayTextAndAnythingElseIsBase64() {
        JsonNode json = HttpApiV2.response(HttpResponse.json(201, Map.of("ok", true)));
        assertThat(json.path("statusCode").asInt()).isEqualTo(201);
        assertThat(json.path("body").asText()).isEqualTo("{\"ok\":true}");
        assertThat(json.path("isBase64Encoded").asBoolean()).isFalse();

        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        JsonNode binary = HttpApiV2.response(new HttpResponse(200, Map.of("content-type", "image/png"), png));
        assertThat(binary.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(binary.path("body").asText())).isEqualTo(png);

        JsonNode empty = HttpApiV2.response(new HttpResponse(204, Map.of(), new byte[0]));
        assertThat(empty.path("body").asText()).isEmpty();
        assertThat(empty.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(new String(HttpResponse.text(200, "é").body(), StandardCharsets.UTF_8)).isEqualTo("é");
    }
}
