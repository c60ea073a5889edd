package io.cloudwarden.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.TerraformImport;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.provider.aws.baseline.AwsBaselineMapper;
import org.junit.jupiter.api.Test;

/**
 * The import id of every AWS type, in the form of the hashicorp/aws provider's documentation (the "Import" section of
 * each resource page, website/docs/r/&lt;name&gt;.html.markdown), from a resource in the model's id form.
 */
class TerraformImportTest {
    final AwsBaselineMapper mapper = new AwsBaselineMapper();

    TerraformImport importOf(String type, String id) {
        return mapper.terraformImport(Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type(type).id(id).name("n").nativeType("x").attributes(ModelJson.mapper().createObjectNode())
                .build()).orElseThrow();
    }

    @Test
    void s3BucketByItsName() { // r/s3_bucket: "terraform import aws_s3_bucket.bucket bucket-name"
        assertThat(importOf("storage.bucket", "arn:aws:s3:::cw-legacy-acl"))
                .isEqualTo(new TerraformImport.Importable("aws_s3_bucket", "cw-legacy-acl"));
    }

    @Test
    void securityGroupByItsGroupId() { // r/security_group: "terraform import aws_security_group.elb_sg sg-903004f8"
        assertThat(importOf("network.firewall", "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d"))
                .isEqualTo(new TerraformImport.Importable("aws_security_group", "sg-0a1b2c3d"));
    }

    @Test
    void iamUserByItsNameWithoutThePath() { // r/iam_user: "terraform import aws_iam_user.lb loadbalancer"
        assertThat(importOf("identity.user", "arn:aws:iam::111122223333:user/automation/ci-deployer"))
                .isEqualTo(new TerraformImport.Importable("aws_iam_user", "ci-deployer"));
    }

    @Test
    void accessKeyByItsIdentifier() { // r/iam_access_key: "terraform import aws_iam_access_key.example AKIA1234567890"
        assertThat(importOf("identity.key", "AKIAIOSFODNN7EXAMPLE"))
                .isEqualTo(new TerraformImport.Importable("aws_iam_access_key", "AKIAIOSFODNN7EXAMPLE"));
    }

    @Test
    void kmsKeyByItsKeyIdNotItsArn() { // r/kms_key: "terraform import aws_kms_key.a 1234abcd-12ab-34cd-56ef-1234567890ab"
        assertThat(importOf("kms.key", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
                .isEqualTo(new TerraformImport.Importable("aws_kms_key", "1234abcd-12ab-34cd-56ef-1234567890ab"));
    }

    @Test
    void instanceByItsInstanceId() { // r/instance: "terraform import aws_instance.web i-12345678"
        assertThat(importOf("compute.instance", "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc1234def567890"))
                .isEqualTo(new TerraformImport.Importable("aws_instance", "i-0abc1234def567890"));
    }

    @Test
    void everyDeclaredTypeKnowsItsImport() {
        AwsProvider.TYPES.forEach(t -> assertThat(mapper.terraformImport(Resource.builder().cloud(Cloud.AWS)
                .account("1").region("r").type(t.descriptor().type()).id("arn:x/y").name("n").nativeType("x")
                .attributes(ModelJson.mapper().createObjectNode()).build())).as(t.descriptor().type()).isPresent());
    }

    @Test
    void changedArgumentsAreNamedByTheTypeThatDeclaresThem() {
        assertThat(mapper.terraformAttribute("storage.bucket", "/versioning"))
                .contains("aws_s3_bucket_versioning.versioning_configuration.status");
        assertThat(mapper.terraformAttribute("kms.key", "/rotationEnabled")).contains("aws_kms_key.enable_key_rotation");
        assertThat(mapper.terraformAttribute("network.firewall", "/rules/1/ranges/0")).get().asString()
                .startsWith("aws_security_group.ingress");
    }
}
