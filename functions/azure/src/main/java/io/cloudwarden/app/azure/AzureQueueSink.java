package io.cloudwarden.app.azure;

import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueStorageException;
import com.azure.storage.queue.models.SendMessageResult;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.functions.RemediationSink;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.functions.fanout.ShardQueue;
import io.cloudwarden.model.Cloud;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Sends remediation requests to the Storage Queue the {@code queue} function is triggered by, one CloudEvent
 * ({@link CloudEventCodec#encode}) per message, base64-encoded by the SDK as the queue trigger expects by default
 * ({@code host.json} {@code extensions.queues.messageEncoding = base64}).
 *
 * <p>Configuration: {@code cloudwarden.azure.queue} (env {@code CLOUDWARDEN_AZURE_QUEUE}) names the queue. The
 * storage account is the one of an app setting named like a binding's {@code connection} —
 * {@code cloudwarden.azure.queue.connection}, default {@code AzureWebJobsStorage}, the same setting the queue trigger
 * reads: either a connection string, or (identity-based) {@code <name>__queueServiceUri} with the app's managed
 * identity through DefaultAzureCredential. {@code cloudwarden.azure.queue.endpoint} (a queue service URL) selects
 * the identity-based form explicitly. The connection string is read from the app setting when needed and never kept
 * in the core's configuration, so it cannot be printed with it.
 */
public final class AzureQueueSink implements RemediationSink, ShardQueue {
    public static final String QUEUE = "cloudwarden.azure.queue";
    public static final String CONNECTION = "cloudwarden.azure.queue.connection";
    public static final String ENDPOINT = "cloudwarden.azure.queue.endpoint";
    static final String OPERATION = "Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action";
    private static final Logger LOG = Logger.getLogger(AzureQueueSink.class);

    private final QueueClient queue;

    public AzureQueueSink(QueueClient queue) {
        this.queue = queue;
    }

    /**
     * The sink the configuration asks for, or empty when {@value #QUEUE} is not set (requests are then handled in
     * process). {@code settings} looks up app settings (environment) by name.
     */
    public static Optional<AzureQueueSink> fromConfig(CoreConfig config, Function<String, Optional<String>> settings) {
        Optional<String> name = config.get(QUEUE);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        QueueClientBuilder builder = new QueueClientBuilder().queueName(name.get())
                .messageEncoding(QueueMessageEncoding.BASE64)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(3)
                        .setBaseDelay(Duration.ofMillis(200)).setMaxDelay(Duration.ofSeconds(5))));
        Optional<String> endpoint = config.get(ENDPOINT);
        String setting = config.get(CONNECTION).orElse("AzureWebJobsStorage");
        if (endpoint.isPresent()) {
            builder.endpoint(endpoint.get()).credential(new DefaultAzureCredentialBuilder().build());
        } else if (settings.apply(setting).filter(s -> !s.isBlank()).isPresent()) {
            try {
                builder.connectionString(settings.apply(setting).get());
            } catch (IllegalArgumentException e) {
                // the SDK's message quotes the string; never repeat it
                throw new ConfigException(setting, "a storage connection string (AccountName=...;AccountKey=... or"
                        + " UseDevelopmentStorage=true)", "<not shown>");
            }
        } else if (settings.apply(setting + "__queueServiceUri").filter(s -> !s.isBlank()).isPresent()) {
            builder.endpoint(settings.apply(setting + "__queueServiceUri").get())
                    .credential(new DefaultAzureCredentialBuilder().build());
        } else {
            throw new ConfigException(QUEUE, "a storage account for queue '" + name.get() + "': set app setting "
                    + setting + " (connection string) or " + setting + "__queueServiceUri, or " + ENDPOINT);
        }
        return Optional.of(new AzureQueueSink(builder.buildClient()));
    }

    @Override
    public void submit(RemediationRequest request) {
        SendMessageResult sent = send(CloudEventCodec.encode(request), "remediation request " + request.plan().id());
        LOG.debugf("remediation request %s queued on %s as message %s", request.plan().id(),
                queue.getQueueName(), sent.getMessageId());
    }

    /** Queues one shard of a fanned-out run for the {@code queue} function. */
    @Override
    public void enqueue(ScanRequest request) {
        send(CloudEventCodec.encode(request), "shard " + request.shard() + " of run " + request.run());
    }

    private SendMessageResult send(byte[] cloudEvent, String what) {
        String text = new String(cloudEvent, StandardCharsets.UTF_8);
        try {
            return queue.sendMessage(text);
        } catch (QueueStorageException e) {
            int status = e.getStatusCode();
            String code = e.getErrorCode() == null ? String.valueOf(status) : e.getErrorCode().toString();
            throw new ProviderException(Cloud.AZURE, OPERATION, code, status == 429 || status >= 500,
                    "could not queue " + what + " on " + queue.getQueueName() + ": HTTP " + status + " " + code, e);
        } catch (RuntimeException e) {
            // connection refused, DNS, TLS: the SDK's retries are spent
            throw new ProviderException(Cloud.AZURE, OPERATION, "Unreachable", true,
                    "could not queue " + what + " on " + queue.getQueueName() + ": " + e.getClass().getSimpleName(),
                    e);
        }
    }

    public String queueName() {
        return queue.getQueueName();
    }
}
