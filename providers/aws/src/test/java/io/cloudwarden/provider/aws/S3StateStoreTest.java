package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conditional-write semantics of {@code S3StateStore} against S3's REST wire format on WireMock. */
class S3StateStoreTest extends RecordedApi {
    private StateStore store;

    @BeforeEach
    void store() {
        store = new AwsProvider().stateStore(URI.create("s3://cw-state/team-a"), config(Map.of())).orElseThrow();
    }

    private static String preconditionFailed() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PreconditionFailed</Code><Message>At least "
                + "one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition>"
                + "<RequestId>1M0K8V6Y2Q4W9E3R</RequestId><HostId>aG9zdC1pZA==</HostId></Error>";
    }

    @Test
    void ifAbsentSendsIfNoneMatchStarAndA412IsAPreconditionFailure() {
        wm.stubFor(put(urlPathEqualTo("/cw-state/team-a/snapshots/latest.json")).withHeader("If-None-Match", equalTo("*"))
                .willReturn(aResponse().withStatus(412).withHeader("Content-Type", "application/xml")
                        .withBody(preconditionFailed())));

        assertThatThrownBy(() -> store.put("snapshots/latest.json", "{}".getBytes(StandardCharsets.UTF_8),
                Precondition.IF_ABSENT)).isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("snapshots/latest.json");
    }

    @Test
    void ifMatchSendsTheEtagAndReturnsTheNewOne() {
        wm.stubFor(put(urlPathEqualTo("/cw-state/team-a/audit.jsonl"))
                .withHeader("If-Match", equalTo("\"9b2cf535f27731c974343645a3985328\""))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"")));

        String version = store.put("audit.jsonl", "line\n".getBytes(StandardCharsets.UTF_8),
                Precondition.ifMatch("\"9b2cf535f27731c974343645a3985328\""));

        assertThat(version).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
        wm.verify(putRequestedFor(urlPathEqualTo("/cw-state/team-a/audit.jsonl")).withHeader("If-None-Match", absent())
                .withRequestBody(equalTo("line\n")));
    }

    @Test
    void aConcurrentConditionalWriteConflictIsAPreconditionFailure() {
        wm.stubFor(put(urlPathEqualTo("/cw-state/team-a/audit.jsonl")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/xml").withBody("<Error><Code>ConditionalRequestConflict</Code>"
                        + "<Message>A conflicting operation occurred.</Message><RequestId>r</RequestId></Error>")));

        assertThatThrownBy(() -> store.put("audit.jsonl", new byte[0], Precondition.ifMatch("\"abc\"")))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void getReturnsBytesAndEtagOrEmptyWhenMissing() {
        wm.stubFor(get(urlPathEqualTo("/cw-state/team-a/plans/p-1.json")).willReturn(aResponse().withStatus(200)
                .withHeader("ETag", "\"0123abcd\"").withBody("{\"id\":\"p-1\"}")));
        wm.stubFor(get(urlPathEqualTo("/cw-state/team-a/plans/none.json")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/xml").withBody("<Error><Code>NoSuchKey</Code><Message>The "
                        + "specified key does not exist.</Message><Key>team-a/plans/none.json</Key></Error>")));

        var obj = store.get("plans/p-1.json").orElseThrow();
        assertThat(new String(obj.data(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"p-1\"}");
        assertThat(obj.version()).isEqualTo("\"0123abcd\"");
        assertThat(store.get("plans/none.json")).isEmpty();
        assertThat(store.describe()).isEqualTo("s3://cw-state/team-a");
    }

    @Test
    void aStreamedWriteSendsTheWritersBytesWithItsLengthAndTheSameConditions() {
        wm.stubFor(put(urlPathEqualTo("/cw-state/team-a/findings/history.json"))
                .withHeader("If-Match", equalTo("\"9b2cf535f27731c974343645a3985328\""))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"")));
        wm.stubFor(put(urlPathEqualTo("/cw-state/team-a/snapshots/latest.json")).withHeader("If-None-Match", equalTo("*"))
                .willReturn(aResponse().withStatus(412).withHeader("Content-Type", "application/xml")
                        .withBody(preconditionFailed())));
        String body = "{\"entries\":[" + "{\"n\":1},".repeat(20_000) + "{}]}";

        String version = store.putStream("findings/history.json", out -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            for (int off = 0; off < bytes.length; off += 4096) {
                out.write(bytes, off, Math.min(4096, bytes.length - off));
            }
        }, Precondition.ifMatch("\"9b2cf535f27731c974343645a3985328\""));

        assertThat(version).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
        wm.verify(putRequestedFor(urlPathEqualTo("/cw-state/team-a/findings/history.json"))
                .withHeader("Content-Length", equalTo(Integer.toString(body.length())))
                .withRequestBody(equalTo(body)));
        assertThatThrownBy(() -> store.putStream("snapshots/latest.json", out -> out.write('x'),
                Precondition.IF_ABSENT)).isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void aStreamedWriteWhoseWriterFailsSendsNothing() {
        assertThatThrownBy(() -> store.putStream("findings/history.json", out -> {
            out.write("{\"partial\":".getBytes(StandardCharsets.UTF_8));
            throw new java.io.IOException("the writer failed");
        }, Precondition.NONE)).isInstanceOf(io.cloudwarden.engine.spi.StateStoreException.class)
                .hasMessageContaining("findings/history.json").hasMessageContaining("the writer failed");
        wm.verify(0, putRequestedFor(urlPathEqualTo("/cw-state/team-a/findings/history.json")));
    }

    @Test
    void aStreamedReadGivesTheBodyWithTheEtagOfItsResponse() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/cw-state/team-a/findings/history.json")).willReturn(aResponse()
                .withStatus(200).withHeader("ETag", "\"0123abcd\"").withBody("{\"entries\":[]}")));
        wm.stubFor(get(urlPathEqualTo("/cw-state/team-a/plans/none.json")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/xml").withBody("<Error><Code>NoSuchKey</Code><Message>The "
                        + "specified key does not exist.</Message><Key>team-a/plans/none.json</Key></Error>")));

        try (var s = store.open("findings/history.json").orElseThrow()) {
            assertThat(s.version()).isEqualTo("\"0123abcd\"");
            assertThat(new String(s.data().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"entries\":[]}");
        }
        assertThat(store.open("plans/none.json")).isEmpty();
    }

    @Test
    void badLocationsAndKeysAreClearErrors() {
        assertThat(new AwsProvider().stateStore(URI.create("gs://bucket/x"), config(Map.of()))).isEmpty();
        assertThatThrownBy(() -> new AwsProvider().stateStore(URI.create("s3:///x"), config(Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket");
        assertThatThrownBy(() -> store.get("../other-team/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state key");
    }
}
