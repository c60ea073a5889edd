package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

class KmsKeyCollectorTest extends RecordedApi {

    @Test
    void customerManagedKeysAcrossPagesWithRotation() {
        stubKmsEstate();

        List<Resource> keys = scan(descriptor(ResourceTypes.KMS_KEY), "us-east-1");

        // the AWS-managed key (KEY_B) is not a kms.key resource
        assertThat(keys).extracting(Resource::id).containsExactly(KEY_A, KEY_C);
        assertThat(keys.get(0).name()).isEqualTo("app data key");
        assertThat(keys.get(0).tags()).containsEntry("env", "prod");
        assertThat(keys.get(0).attributes().toString())
                .isEqualTo("{\"enabled\":true,\"rotationEnabled\":true,\"rotationPeriodDays\":180,"
                        + "\"pendingDeletion\":false,\"rotationSupported\":true}");
        assertThat(keys.get(1).attributes().toString())
                .isEqualTo("{\"enabled\":false,\"rotationEnabled\":false,\"rotationPeriodDays\":null,"
                        + "\"pendingDeletion\":false,\"rotationSupported\":true}");
    }

    @Test
    void accessDeniedInOneRegionIsAProviderExceptionForThatShard() {
        wm.stubFor(kms("ListKeys").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(fixture("kms/access-denied-eu.json"))));

        assertThatThrownBy(() -> scan(descriptor(ResourceTypes.KMS_KEY), "eu-west-1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.operation()).isEqualTo("kms:ListKeys");
                    assertThat(e.nativeCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void kmsThrottlingIsRetried() {
        stubKmsEstate();
        wm.stubFor(kms("DescribeKey").atPriority(1).inScenario("t").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(fixture("kms/throttling.json"))).willSetStateTo("ok"));

        assertThat(scan(descriptor(ResourceTypes.KMS_KEY), "us-east-1")).hasSize(2);
    }

    @Test
    void aMalformedJsonBodyIsAProviderException() {
        wm.stubFor(kms("ListKeys").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{\"Keys\":[{\"KeyArn\":")));

        assertThatThrownBy(() -> scan(descriptor(ResourceTypes.KMS_KEY), "us-east-1"))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.nativeCode()).isEqualTo("MalformedResponse"));
    }
}
