package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsAppConfigTest {
    private static AwsAppConfig config(Map<String, String> properties, Map<String, String> env) {
        return new AwsAppConfig(CoreConfig.fromEnvironment(properties, env));
    }

    @Test
    void theQueueUrlComesFromThePropertyOrFromTheEnvironmentVariableLambdaSets() {
        String url = "https://sqs.eu-west-1.amazonaws.com/111122223333/cloudwarden-work";

        assertThat(config(Map.of(AwsAppConfig.QUEUE_URL, url), Map.of()).queueUrl()).contains(URI.create(url));
        assertThat(config(Map.of(), Map.of("CLOUDWARDEN_AWS_QUEUE_URL", url)).queueUrl()).contains(URI.create(url));
        assertThat(config(Map.of(), Map.of()).queueUrl()).isEmpty();
    }

    @Test
    void aQueueUrlThatIsNotAUrlNamesTheKeyAndAnExample() {
        assertThatThrownBy(() -> config(Map.of(), Map.of("CLOUDWARDEN_AWS_QUEUE_URL", "cloudwarden-work")).queueUrl())
                .isInstanceOf(ConfigException.class)
                .hasMessage("cloudwarden.aws.queue-url: expected an SQS queue URL such as "
                        + "https://sqs.us-east-1.amazonaws.com/111122223333/cloudwarden-work but was 'cloudwarden-work'");
    }

    @Test
    void theRemediationRoleComesFromEitherSpellingAndMustBeARoleArn() {
        String arn = "arn:aws:iam::111122223333:role/cloudwarden-remediate";
        assertThat(config(Map.of(AwsAppConfig.REMEDIATION_ROLE, arn), Map.of()).remediationRoleArn()).contains(arn);
        assertThat(config(Map.of(), Map.of("CLOUDWARDEN_AWS_REMEDIATION_ROLE_ARN", arn)).remediationRoleArn())
                .contains(arn);

        assertThatThrownBy(() -> config(Map.of(AwsAppConfig.REMEDIATION_ROLE, "cloudwarden-remediate"), Map.of())
                .remediationRoleArn()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cloudwarden.aws.remediationRoleArn: expected an IAM role ARN");
    }

    /** The deployed application.properties read as Quarkus reads it, with the Lambda's environment variables. */
    private static AwsAppConfig deployed(Map<String, String> env) throws java.io.IOException {
        org.eclipse.microprofile.config.Config quarkus = new io.smallrye.config.SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new io.smallrye.config.PropertiesConfigSource(
                        AwsAppConfigTest.class.getResource("/application.properties"), 250))
                .withSources(new io.smallrye.config.EnvConfigSource(env, 300))
                .build();
        return AwsAppConfig.from(quarkus, env);
    }

    @Test
    void settingsWhoseKeysAnEnvironmentVariableCannotSpellAreBoundToConventionalVariableNames() throws Exception {
        AwsAppConfig c = deployed(Map.of(
                "CLOUDWARDEN_AWS_ASSUME_ROLE", "cloudwarden-scan",
                "CLOUDWARDEN_AWS_REMEDIATION_ROLE_ARN", "arn:aws:iam::111122223333:role/cloudwarden-remediate",
                "CLOUDWARDEN_GUARDRAILS_MAX_CHANGES", "3",
                "CLOUDWARDEN_GUARDRAILS_PLAN_TTL", "PT4H",
                "CLOUDWARDEN_STATE", "s3://cloudwarden-state/prod"));

        assertThat(c.core().provider(io.cloudwarden.model.Cloud.AWS).setting("assumeRole")).contains("cloudwarden-scan");
        assertThat(c.remediationRoleArn()).contains("arn:aws:iam::111122223333:role/cloudwarden-remediate");
        assertThat(c.core().guardrails().maxChangesPerRun()).isEqualTo(3);
        assertThat(c.core().guardrails().planTtl()).isEqualTo(java.time.Duration.ofHours(4));
        assertThat(c.core().stateLocation()).isEqualTo("s3://cloudwarden-state/prod");
    }

    @Test
    void unsetVariablesLeaveTheDefaults() throws Exception {
        AwsAppConfig c = deployed(Map.of());

        assertThat(c.core().provider(io.cloudwarden.model.Cloud.AWS).setting("assumeRole")).isEmpty();
        assertThat(c.remediationRoleArn()).isEmpty();
        assertThat(c.core().guardrails()).isEqualTo(io.cloudwarden.engine.remediation.Guardrails.defaults());
    }

    @Test
    void environmentVariablesWinOverProperties() {
        AwsAppConfig c = config(Map.of("cloudwarden.apply", "false"), Map.of("CLOUDWARDEN_APPLY", "true"));

        assertThat(c.core().guardrails().dryRun()).isFalse();
    }

    @Test
    void theLoopGuardIsWiredIntoTheAwsProvidersEventParser() {
        AwsAppConfig c = config(Map.of(AwsAppConfig.REMEDIATION_ROLE,
                "arn:aws:iam::111122223333:role/cloudwarden-remediate"), Map.of());
        var own = io.cloudwarden.model.ModelJson.mapper().createObjectNode();
        own.put("source", "aws.ec2").put("detail-type", "AWS API Call via CloudTrail").put("account", "111122223333");
        own.putObject("detail").put("eventSource", "ec2.amazonaws.com")
                .put("eventName", "RevokeSecurityGroupIngress").put("eventID", "e-1")
                .putObject("userIdentity").put("type", "AssumedRole")
                .put("arn", "arn:aws:sts::111122223333:assumed-role/cloudwarden-remediate/s")
                .putObject("sessionContext").putObject("sessionIssuer")
                .put("arn", "arn:aws:iam::111122223333:role/cloudwarden-remediate");
        ((com.fasterxml.jackson.databind.node.ObjectNode) own.get("detail")).putObject("requestParameters")
                .put("groupId", "sg-1");

        var parser = AwsRuntime.registry(c).eventParsers(io.cloudwarden.model.Cloud.AWS).get(0);
        var parsed = parser.parse(own);

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("loop guard");
        assertThat(AwsRuntime.registry(config(Map.of(), Map.of())).eventParsers(io.cloudwarden.model.Cloud.AWS)
                .get(0).parse(own).events()).hasSize(1);
    }
}
