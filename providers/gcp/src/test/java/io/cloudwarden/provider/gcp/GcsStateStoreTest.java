package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StoredObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GCS state store against the Storage JSON API as WireMock serves it. */
class GcsStateStoreTest extends RecordedApi {
    static final String OBJECT = "/storage/v1/b/cw-state/o/cloudwarden(%2F|/)snapshots(%2F|/)latest\\.json";
    static final String UPLOAD = "/upload/storage/v1/b/cw-state/o";
    static final String SNAPSHOT = "{\"schema\":\"cloudwarden/snapshot/v1\",\"resources\":[],\"errors\":[]}";

    StateStore store;

    @BeforeEach
    void openStore() {
        store = new GcpProvider().stateStore(URI.create("gs://cw-state/cloudwarden"), config()).orElseThrow();
    }

    @Test
    void onlyGsLocationsAreServed() {
        assertThat(new GcpProvider().stateStore(URI.create("s3://bucket/prefix"), config())).isEmpty();
        assertThat(store.describe()).isEqualTo("gs://cw-state/cloudwarden");
    }

    @Test
    void getReadsTheBytesOfTheGenerationItSaw() {
        wm.stubFor(get(urlPathMatching(OBJECT)).withQueryParam("alt", absent())
                .willReturn(okJson(RecordedApi.recorded("gcs/object-latest.json"))));
        wm.stubFor(get(urlPathMatching("/download" + OBJECT)).withQueryParam("alt", equalTo("media"))
                .withQueryParam("generation", equalTo("1763891234567890"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("x-goog-generation", "1763891234567890").withBody(SNAPSHOT)));

        StoredObject o = store.get("snapshots/latest.json").orElseThrow();

        assertThat(new String(o.data(), StandardCharsets.UTF_8)).isEqualTo(SNAPSHOT);
        assertThat(o.version()).isEqualTo("1763891234567890");
        assertThat(o.key()).isEqualTo("snapshots/latest.json");
    }

    @Test
    void missingObjectIsEmpty() {
        wm.stubFor(get(urlPathMatching(OBJECT)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":404,\"message\":\"No such object: cw-state/cloudwarden/snapshots/"
                        + "latest.json\",\"errors\":[{\"message\":\"No such object\",\"domain\":\"global\","
                        + "\"reason\":\"notFound\"}]}}")));

        assertThat(store.get("snapshots/latest.json")).isEmpty();
    }

    @Test
    void ifAbsentSendsGenerationZeroAndReturnsTheNewGeneration() {
        wm.stubFor(post(urlPathEqualTo(UPLOAD)).withQueryParam("ifGenerationMatch", equalTo("0"))
                .willReturn(okJson(RecordedApi.recorded("gcs/object-latest-written.json"))));

        String version = store.put("snapshots/latest.json", SNAPSHOT.getBytes(StandardCharsets.UTF_8),
                Precondition.IF_ABSENT);

        assertThat(version).isEqualTo("1763891299000001");
        wm.verify(postRequestedFor(urlPathEqualTo(UPLOAD)).withQueryParam("ifGenerationMatch", equalTo("0"))
                .withRequestBody(containing("cloudwarden/snapshots/latest.json"))
                .withRequestBody(containing(SNAPSHOT)));
    }

    @Test
    void ifAbsentOnAnExistingObjectFailsThePrecondition() {
        wm.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(aResponse().withStatus(412)
                .withHeader("Content-Type", "application/json")
                .withBody(RecordedApi.recorded("gcs/precondition-failed.json"))));

        assertThatThrownBy(() -> store.put("snapshots/latest.json", new byte[] {1}, Precondition.IF_ABSENT))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("already exists");
    }

    @Test
    void ifMatchSendsTheGenerationAndA412MeansSomeoneElseWroteFirst() {
        wm.stubFor(post(urlPathEqualTo(UPLOAD)).withQueryParam("ifGenerationMatch", equalTo("1763891234567890"))
                .willReturn(okJson(RecordedApi.recorded("gcs/object-latest-written.json"))));
        wm.stubFor(post(urlPathEqualTo(UPLOAD)).withQueryParam("ifGenerationMatch", equalTo("1763891200000000"))
                .willReturn(aResponse().withStatus(412).withHeader("Content-Type", "application/json")
                        .withBody(RecordedApi.recorded("gcs/precondition-failed.json"))));

        assertThat(store.put("snapshots/latest.json", new byte[] {1},
                Precondition.ifMatch("1763891234567890"))).isEqualTo("1763891299000001");
        assertThatThrownBy(() -> store.put("snapshots/latest.json", new byte[] {1},
                Precondition.ifMatch("1763891200000000")))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("1763891200000000");
    }

    @Test
    void aStreamedReadReadsTheGenerationItSaw() throws Exception {
        wm.stubFor(get(urlPathMatching(OBJECT)).withQueryParam("alt", absent())
                .willReturn(okJson(RecordedApi.recorded("gcs/object-latest.json"))));
        wm.stubFor(get(urlPathMatching("/download" + OBJECT)).withQueryParam("alt", equalTo("media"))
                .withQueryParam("generation", equalTo("1763891234567890"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        // as stored (GCS does not compress an object stored uncompressed; WireMock would gzip)
                        .withHeader("Content-Encoding", "identity")
                        .withHeader("x-goog-generation", "1763891234567890").withBody(SNAPSHOT)));

        try (var s = store.open("snapshots/latest.json").orElseThrow()) {
            assertThat(s.version()).isEqualTo("1763891234567890");
            assertThat(new String(s.data().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(SNAPSHOT);
        }
    }

    @Test
    void aStreamedWriteUploadsTheWritersBytesUnderTheGenerationCondition() {
        String session = wm.baseUrl() + UPLOAD + "?uploadType=resumable&upload_id=cw-session-1";
        wm.stubFor(post(urlPathEqualTo(UPLOAD)).withQueryParam("uploadType", equalTo("resumable"))
                .withQueryParam("ifGenerationMatch", equalTo("1763891234567890"))
                .willReturn(aResponse().withStatus(200).withHeader("Location", session)));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlPathEqualTo(UPLOAD))
                .withQueryParam("upload_id", equalTo("cw-session-1"))
                .willReturn(okJson(RecordedApi.recorded("gcs/object-latest-written.json"))));
        wm.stubFor(post(urlPathEqualTo(UPLOAD)).withQueryParam("uploadType", equalTo("resumable"))
                .withQueryParam("ifGenerationMatch", equalTo("1763891200000000"))
                .willReturn(aResponse().withStatus(412).withHeader("Content-Type", "application/json")
                        .withBody(RecordedApi.recorded("gcs/precondition-failed.json"))));

        String body = "{\"n\":1,\"entries\":[]}"; // the recorded answer's 20 bytes: the SDK checks the size
        String version = store.putStream("snapshots/latest.json",
                out -> out.write(body.getBytes(StandardCharsets.UTF_8)), Precondition.ifMatch("1763891234567890"));

        assertThat(version).isEqualTo("1763891299000001");
        wm.verify(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlPathEqualTo(UPLOAD))
                .withQueryParam("upload_id", equalTo("cw-session-1")).withRequestBody(equalTo(body)));
        assertThatThrownBy(() -> store.putStream("snapshots/latest.json", out -> out.write(1),
                Precondition.ifMatch("1763891200000000"))).isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("1763891200000000");
    }

    @Test
    void listFollowsPagesAndReturnsSortedKeysWithoutThePrefix() {
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/cw-state/o")).withQueryParam("prefix",
                equalTo("cloudwarden/snapshots/")).withQueryParam("pageToken", absent())
                .willReturn(okJson(RecordedApi.recorded("gcs/list-page1.json"))));
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/cw-state/o")).withQueryParam("pageToken",
                equalTo("CiJjbG91ZHdhcmRlbi9zbmFwc2hvdHMvbGF0ZXN0Lmpzb24="))
                .willReturn(okJson(RecordedApi.recorded("gcs/list-page2.json"))));

        assertThat(store.list("snapshots/")).containsExactly("snapshots/2026-11-22T10-07-14Z.json",
                "snapshots/2026-11-23T10-07-14Z.json", "snapshots/latest.json");
    }

    @Test
    void keysMustBeRelative() {
        assertThatThrownBy(() -> store.get("../other/secret.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state key");
    }
}
