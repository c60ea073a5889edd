package io.cloudwarden.provider.aws.storage.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.AwsType;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.events.CloudTrailEventParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code storage.bucket} on AWS: S3 buckets. */
public final class StorageBucket implements AwsType {
    private static final String S3 = "s3.amazonaws.com";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.STORAGE_BUCKET, "AWS::S3::Bucket", Scope.GLOBAL,
                Set.of(Capability.LIST, Capability.FETCH), BucketCollector.PERMISSIONS, new BucketCollector(),
                new BucketNormalizer());
    }

    @Override
    public List<Call> cloudTrailCalls() {
        List<Call> calls = new ArrayList<>(Call.changes(S3, "PutBucketPolicy", "DeleteBucketPolicy", "PutBucketAcl",
                "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutBucketEncryption",
                "DeleteBucketEncryption", "PutBucketVersioning", "PutBucketLogging", "DeleteBucketLogging",
                "PutBucketTagging", "DeleteBucketTagging", "CreateBucket"));
        calls.add(Call.deletion(S3, "DeleteBucket"));
        return calls;
    }

    @Override
    public List<String> idsOf(CallContext call) {
        return List.of(BucketCollector.arn(CloudTrailEventParser.requiredText(call.request(), "bucketName",
                "/detail/requestParameters/bucketName")));
    }

    @Override
    public Optional<String> idOfConfigItem(JsonNode item, String account, String region) {
        return Optional.of(BucketCollector.arn(Json.text(item, "resourceName")
                .orElse(Json.text(item, "resourceId").orElse(""))));
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new BlockPublicAccess(), new EnableEncryption(),
                new Remediators.Tag(ResourceTypes.STORAGE_BUCKET, List.of("s3:PutBucketTagging", "s3:GetBucketTagging")));
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_versioning",
                "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_logging", "aws_s3_bucket_policy",
                "aws_s3_bucket_acl");
    }

    /** hashicorp/aws docs, r/s3_bucket "Import": "import S3 bucket using the bucket" (the bucket name). */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("aws_s3_bucket",
                observed.id().substring(observed.id().lastIndexOf(':') + 1));
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of(
                "/publicAccess", "aws_s3_bucket_public_access_block / aws_s3_bucket_policy.policy / aws_s3_bucket_acl",
                "/encryption", "aws_s3_bucket_server_side_encryption_configuration.rule"
                        + ".apply_server_side_encryption_by_default",
                "/versioning", "aws_s3_bucket_versioning.versioning_configuration.status",
                "/logging", "aws_s3_bucket_logging.target_bucket",
                "/minTlsVersion", "aws_s3_bucket_policy.policy (s3:TlsVersion condition)");
    }
}
