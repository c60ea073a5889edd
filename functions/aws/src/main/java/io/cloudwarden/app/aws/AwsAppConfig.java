package io.cloudwarden.app.aws;

import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The Lambda app's configuration: the core's flat {@code cloudwarden.*} keys from the Quarkus configuration
 * ({@code application.properties}, system properties, test profiles) overlaid with {@code CLOUDWARDEN_*} environment
 * variables (see {@link CoreConfig#fromEnvironment}), plus the two settings only this binding reads.
 *
 * <p>Environment variables cannot carry a hyphen or camel case, and {@link CoreConfig} maps
 * {@code CLOUDWARDEN_AWS_QUEUE_URL} to {@code cloudwarden.aws.queue.url}: both spellings of each key are accepted.
 */
public record AwsAppConfig(CoreConfig core) {
    public static final String QUEUE_URL = "cloudwarden.aws.queue-url";
    public static final String QUEUE_URL_ENV_FORM = "cloudwarden.aws.queue.url";
    public static final String REMEDIATION_ROLE = "cloudwarden.aws.remediationRoleArn";
    public static final String REMEDIATION_ROLE_ENV_FORM = "cloudwarden.aws.remediation.role.arn";

    /** Every {@code cloudwarden.*} property Quarkus knows, then the environment. */
    public static AwsAppConfig from(Config quarkus, Map<String, String> env) {
        Map<String, String> base = new HashMap<>();
        for (String name : quarkus.getPropertyNames()) {
            if (name.startsWith(CoreConfig.PREFIX)) {
                quarkus.getOptionalValue(name, String.class).ifPresent(v -> base.put(name, v));
            }
        }
        return new AwsAppConfig(CoreConfig.fromEnvironment(base, env));
    }

    /**
     * The SQS work queue remediation requests go to; empty = remediate in process.
     *
     * @throws ConfigException when the value is not an https/http URL
     */
    public Optional<URI> queueUrl() {
        Optional<String> raw = core.get(QUEUE_URL).or(() -> core.get(QUEUE_URL_ENV_FORM));
        return raw.map(v -> {
            try {
                URI uri = URI.create(v);
                if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null
                        || uri.getPath() == null || uri.getPath().length() < 2) {
                    throw new IllegalArgumentException();
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(QUEUE_URL, "an SQS queue URL such as "
                        + "https://sqs.us-east-1.amazonaws.com/111122223333/cloudwarden-work", v);
            }
        });
    }

    /** Cloudwarden's own remediation role: CloudTrail events it caused are ignored (loop guard). */
    public Optional<String> remediationRoleArn() {
        Optional<String> arn = core.get(REMEDIATION_ROLE).or(() -> core.get(REMEDIATION_ROLE_ENV_FORM));
        arn.ifPresent(a -> {
            if (!a.startsWith("arn:") || !a.contains(":role/")) {
                throw new ConfigException(REMEDIATION_ROLE, "an IAM role ARN such as "
                        + "arn:aws:iam::111122223333:role/cloudwarden-remediate", a);
            }
        });
        return arn;
    }
}
