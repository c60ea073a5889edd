package io.cloudwarden.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.provider.aws.storage.bucket.BucketNormalizer;
import org.junit.jupiter.api.Test;

/** Edge cases of the pure bucket normalizer, on the collector's native JSON shape. */
class BucketNormalizerTest {
    private final ObjectMapper m = new ObjectMapper();

    private ObjectNode normalize(String nativeJson) throws Exception {
        return new BucketNormalizer().normalize(new NativeItem("arn:aws:s3:::b", "111122223333", "us-east-1",
                m.readTree(nativeJson))).attributes();
    }

    @Test
    void sseKmsWithTheAwsManagedKeyIsProviderManaged() throws Exception {
        assertThat(normalize("{\"Name\":\"b\",\"Encryption\":{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":"
                + "{\"SSEAlgorithm\":\"aws:kms\"}}]}}").get("encryption").toString())
                .isEqualTo("{\"enabled\":true,\"keyType\":\"provider-managed\"}");
        assertThat(normalize("{\"Name\":\"b\",\"Encryption\":{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":"
                + "{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"arn:aws:kms:us-east-1:111122223333:alias/aws/s3\"}}]}}")
                .get("encryption").get("keyType").asText()).isEqualTo("provider-managed");
    }

    @Test
    void requiringHttpsAloneMeansTheTls12FloorOfAwsEndpoints() throws Exception {
        String policy = "{\\\"Statement\\\":{\\\"Effect\\\":\\\"Deny\\\",\\\"Principal\\\":\\\"*\\\","
                + "\\\"Action\\\":\\\"s3:*\\\",\\\"Resource\\\":\\\"*\\\",\\\"Condition\\\":{\\\"Bool\\\":"
                + "{\\\"aws:SecureTransport\\\":\\\"false\\\"}}}}";
        assertThat(normalize("{\"Name\":\"b\",\"Policy\":\"" + policy + "\"}").get("minTlsVersion").asText())
                .isEqualTo("1.2");
    }

    @Test
    void blockPublicAccessNeutralisesPublicPoliciesAndAcls() throws Exception {
        String acl = "\"Acl\":{\"Grants\":[{\"Grantee\":{\"URI\":\"http://acs.amazonaws.com/groups/global/"
                + "AuthenticatedUsers\"},\"Permission\":\"READ\"}]}";
        assertThat(normalize("{\"Name\":\"b\"," + acl + "}").get("publicAccess").asBoolean()).isTrue();
        assertThat(normalize("{\"Name\":\"b\"," + acl + ",\"PublicAccessBlock\":{\"IgnorePublicAcls\":true}}")
                .get("publicAccess").asBoolean()).isFalse();
        assertThat(normalize("{\"Name\":\"b\",\"PolicyStatus\":{\"IsPublic\":true},"
                + "\"PublicAccessBlock\":{\"RestrictPublicBuckets\":true}}").get("publicAccess").asBoolean()).isFalse();
    }

    @Test
    void anUnparsablePolicyIsAClearError() {
        assertThatThrownBy(() -> normalize("{\"Name\":\"b\",\"Policy\":\"{not json\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket policy");
    }
}
