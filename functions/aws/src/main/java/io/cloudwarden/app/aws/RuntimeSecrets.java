package io.cloudwarden.app.aws;

import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.chatops.SlackHandler;
import io.cloudwarden.functions.chatops.TeamsHandler;
import io.cloudwarden.functions.http.HttpGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Secrets read from AWS Secrets Manager at run time, so that they never pass through Terraform (state, plan) or the
 * Lambda environment: infra/aws passes only each secret's ARN ({@code CLOUDWARDEN_SLACK_SIGNING_SECRET_ARN},
 * {@code CLOUDWARDEN_TEAMS_SECRET_ARN}, {@code CLOUDWARDEN_HTTP_TOKEN_ARN}) and grants
 * {@code secretsmanager:GetSecretValue} on those ARNs only.
 *
 * <p>Each secret is read once per execution environment (on the runtime's first use) and cached with it: a rotated
 * secret takes effect in new execution environments (publish the function or update its configuration to recycle
 * them at once). A value given directly (e.g. {@code CLOUDWARDEN_SLACK_SIGNING_SECRET} in tests) wins over its ARN.
 * Requests go to Secrets Manager in the secret's own region ({@code cloudwarden.aws.endpoint} overrides the endpoint,
 * for tests), with the AWS provider's credentials settings, else the function's role.
 */
public final class RuntimeSecrets implements AutoCloseable {
    /** The settings that may be given as a Secrets Manager ARN ({@code <key>.arn}, env {@code <KEY>_ARN}). */
    public static final List<String> KEYS = List.of(SlackHandler.SECRET_KEY, TeamsHandler.SECRET_KEY,
            HttpGateway.TOKEN_KEY);

    private final ProviderConfig aws;
    private final Map<String, SecretsManagerClient> clients = new ConcurrentHashMap<>();
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public RuntimeSecrets(ProviderConfig aws) {
        this.aws = aws;
    }

    /** {@code core} with every {@link #KEYS key} that is given only as an ARN filled with the secret's value. */
    public CoreConfig resolve(CoreConfig core) {
        CoreConfig out = core;
        for (String key : KEYS) {
            Optional<String> arn = core.get(key + ".arn").or(() -> core.get(key + "-arn"));
            if (arn.isPresent() && core.get(key).isEmpty()) {
                out = out.with(key, value(key, arn.get().trim()));
            }
        }
        return out;
    }

    /** The secret string of {@code arn}, read once and cached. */
    String value(String key, String arn) {
        return cache.computeIfAbsent(arn, a -> read(key, a));
    }

    private String read(String key, String arn) {
        String[] parts = arn.split(":", 7);
        if (parts.length < 7 || !parts[0].equals("arn") || !parts[2].equals("secretsmanager")
                || parts[3].isBlank()) {
            throw new ConfigException(key + ".arn", "a Secrets Manager secret ARN such as "
                    + "arn:aws:secretsmanager:us-east-1:111122223333:secret:cloudwarden/slack-AbCdEf", arn);
        }
        try {
            String value = client(parts[3]).getSecretValue(r -> r.secretId(arn)).secretString();
            if (value == null || value.isEmpty()) {
                throw new ConfigException(key + ".arn", "the secret " + arn + " has no SecretString (a binary "
                        + "secret or an empty one); store the value as a plain string");
            }
            return value;
        } catch (SdkException e) {
            // The message names the ARN and the error code only: never the value.
            String code = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase
                    && ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorCode() : "unreachable";
            throw new ConfigException(key + ".arn", "cannot read the secret " + arn + " from Secrets Manager ("
                    + code + "): the function's role needs secretsmanager:GetSecretValue on it");
        }
    }

    private SecretsManagerClient client(String region) {
        return clients.computeIfAbsent(region, r -> {
            SecretsManagerClientBuilder b = SecretsManagerClient.builder().region(Region.of(r))
                    .credentialsProvider(credentials())
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                            .socketTimeout(Duration.ofSeconds(10)).build());
            aws.endpoint().ifPresent(b::endpointOverride);
            return b.build();
        });
    }

    private AwsCredentialsProvider credentials() {
        Optional<String> id = aws.setting("accessKeyId");
        Optional<String> secret = aws.setting("secretAccessKey");
        if (id.isEmpty() || secret.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        Optional<String> token = aws.setting("sessionToken");
        return StaticCredentialsProvider.create(token.isPresent()
                ? software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(id.get(), secret.get(),
                        token.get())
                : AwsBasicCredentials.create(id.get(), secret.get()));
    }

    @Override
    public void close() {
        clients.values().forEach(SecretsManagerClient::close);
    }
}
