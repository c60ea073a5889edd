package io.cloudwarden.app.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.cloudwarden.model.ModelJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Answers SQS {@code SendMessage} (JSON 1.0 protocol, {@code X-Amz-Target: AmazonSQS.SendMessage}) as SQS does:
 * with the MD5 digests of the received body and message attributes (the SDK checks both) and a fresh message id.
 */
public final class SqsSendMessage implements ResponseTransformerV2 {
    public static final String NAME = "sqs-send-message";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        try {
            JsonNode request = ModelJson.mapper().readTree(serveEvent.getRequest().getBodyAsString());
            var out = ModelJson.mapper().createObjectNode();
            out.put("MD5OfMessageBody", md5(request.path("MessageBody").asText().getBytes(StandardCharsets.UTF_8)));
            if (request.has("MessageAttributes") && !request.get("MessageAttributes").isEmpty()) {
                out.put("MD5OfMessageAttributes", md5(attributes(request.get("MessageAttributes"))));
            }
            out.put("MessageId", UUID.randomUUID().toString());
            return Response.Builder.like(response).but()
                    .headers(new HttpHeaders(new HttpHeader("Content-Type", "application/x-amz-json-1.0")))
                    .body(ModelJson.mapper().writeValueAsBytes(out)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SQS's documented encoding: per attribute (sorted by name) name, data type, transport type, value. */
    static byte[] attributes(JsonNode attributes) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        Iterator<String> names = attributes.fieldNames();
        names.forEachRemaining(n -> sorted.put(n, attributes.get(n)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sorted.forEach((name, v) -> {
            lengthPrefixed(bytes, name.getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(bytes, v.path("DataType").asText().getBytes(StandardCharsets.UTF_8));
            if (v.has("BinaryValue")) {
                bytes.write(2);
                lengthPrefixed(bytes, java.util.Base64.getDecoder().decode(v.get("BinaryValue").asText()));
            } else {
                bytes.write(1);
                lengthPrefixed(bytes, v.path("StringValue").asText().getBytes(StandardCharsets.UTF_8));
            }
        });
        return bytes.toByteArray();
    }

    private static void lengthPrefixed(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
