package io.cloudwarden.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.time.Instant;

/** Small builders for realistic resources in tests. */
public final class Resources {
    private Resources() {
    }

    public static Resource awsBucket(String name, boolean publicAccess) {
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.put(Attributes.StorageBucket.PUBLIC_ACCESS, publicAccess);
        a.putObject("encryption").put("enabled", true).put("keyType", "provider-managed");
        a.put("versioning", true);
        a.putNull(Attributes.StorageBucket.MIN_TLS_VERSION);
        a.put("logging", false);
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type(ResourceTypes.STORAGE_BUCKET).id("arn:aws:s3:::" + name).name(name)
                .nativeType("AWS::S3::Bucket").attributes(a).observedAt(Instant.parse("2026-11-23T10:00:00Z"))
                .build();
    }
}
