package io.cloudwarden.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.aws.kms.key.KeyNormalizer;
import org.junit.jupiter.api.Test;

/** The states in which the KMS rules must not judge a key are normalized from what DescribeKey and the collector say. */
class KmsKeyNormalizerTest {
    static JsonNode normalize(String json) throws Exception {
        return new KeyNormalizer().normalize(new NativeItem("arn:aws:kms:us-east-1:111122223333:key/k", "111122223333",
                "us-east-1", ModelJson.mapper().readTree(json))).attributes();
    }

    @Test
    void aKeyScheduledForDeletionIsPendingDeletion() throws Exception {
        JsonNode a = normalize("""
                {"KeyMetadata": {"KeyId": "k", "Enabled": false, "KeyState": "PendingDeletion",
                                 "DeletionDate": "2026-12-01T00:00:00Z"},
                 "KeyRotationStatus": {"KeyRotationEnabled": false, "Unsupported": "KMSInvalidStateException"},
                 "Tags": []}""");

        assertThat(a.path("pendingDeletion").asBoolean()).isTrue();
        assertThat(a.path("enabled").asBoolean()).isFalse();
    }

    @Test
    void aKeyAwsCannotRotateDoesNotSupportRotation() throws Exception {
        JsonNode a = normalize("""
                {"KeyMetadata": {"KeyId": "k", "Enabled": true, "KeyState": "Enabled", "KeySpec": "RSA_2048"},
                 "KeyRotationStatus": {"KeyRotationEnabled": false, "Unsupported": "UnsupportedOperationException"},
                 "Tags": []}""");

        assertThat(a.path("rotationSupported").asBoolean(true)).isFalse();
        assertThat(a.path("pendingDeletion").asBoolean(true)).isFalse();
    }
}
