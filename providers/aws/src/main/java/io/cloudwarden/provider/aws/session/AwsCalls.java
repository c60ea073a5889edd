package io.cloudwarden.provider.aws.session;

import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs SDK calls and turns their failures into {@link ProviderException}s naming the IAM action, the native error
 * code and whether a retry may help. The SDK has already retried throttling and 5xx (adaptive mode) by the time an
 * exception reaches here, so anything that escapes is final for this shard.
 */
public final class AwsCalls {
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded",
            "TooManyRequestsException", "SlowDown", "RequestThrottled", "RequestThrottledException");

    private AwsCalls() {
    }

    /** Runs {@code call}; SDK failures become a ProviderException for {@code operation} (e.g. {@code ec2:DescribeSecurityGroups}). */
    public static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(operation, e);
        }
    }

    public static void run(String operation, Runnable call) {
        call(operation, () -> {
            call.run();
            return null;
        });
    }

    /**
     * Runs {@code call}, mapping the listed "not found" error codes (or HTTP 404) to empty; other failures as in
     * {@link #call}.
     */
    public static <T> Optional<T> callOptional(String operation, Set<String> notFoundCodes, Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (AwsServiceException e) {
            if (notFoundCodes.contains(errorCode(e)) || (notFoundCodes.isEmpty() && e.statusCode() == 404)) {
                return Optional.empty();
            }
            throw translate(operation, e);
        } catch (SdkException e) {
            throw translate(operation, e);
        }
    }

    /** The native error code of an AWS error, else {@code HTTP <status>}. */
    public static String errorCode(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                && !e.awsErrorDetails().errorCode().isBlank()) {
            return e.awsErrorDetails().errorCode();
        }
        return "HTTP " + e.statusCode();
    }

    public static ProviderException translate(String operation, SdkException e) {
        if (e instanceof AwsServiceException ase) {
            String code = errorCode(ase);
            boolean retryable = THROTTLING.contains(code) || ase.statusCode() >= 500 || ase.isThrottlingException();
            String msg = ase.awsErrorDetails() != null && ase.awsErrorDetails().errorMessage() != null
                    ? ase.awsErrorDetails().errorMessage() : "HTTP " + ase.statusCode();
            return new ProviderException(Cloud.AWS, operation, code, retryable,
                    operation + " failed: " + code + " (" + msg + ")", e);
        }
        if (e instanceof SdkClientException) {
            // Unreachable endpoint (I/O) or a body the SDK could not unmarshall.
            // Network failures (refused, reset, timed out, unknown host) vs bodies that do not parse (a Jackson or
            // XML parse error is an IOException too, so the cause types are named explicitly).
            boolean io = hasCause(e, java.net.SocketException.class)
                    || hasCause(e, java.net.SocketTimeoutException.class)
                    || hasCause(e, java.net.UnknownHostException.class)
                    || hasCause(e, javax.net.ssl.SSLException.class);
            String first = firstLine(e);
            if (first.startsWith("Unable to load credentials")) {
                // The default chain found no credentials: say so in one line (the chain's full story is long).
                return new ProviderException(Cloud.AWS, operation, "NoCredentials", false, operation
                        + " failed: NoCredentials (no AWS credentials found: set AWS_ACCESS_KEY_ID/"
                        + "AWS_SECRET_ACCESS_KEY, a profile, or a role; see providers/aws/README.md)", e);
            }
            // A response cut off mid-way or garbled on the wire (the SDK names every I/O failure of the HTTP exchange
            // "Unable to execute HTTP request"): transient like a dropped connection, so retryable.
            boolean cutOff = !io && (hasCause(e, CompleteBodyHttpClient.CutOffResponseException.class)
                    || first.startsWith("Unable to execute HTTP request"));
            String code = io ? "Unreachable" : cutOff ? "ResponseCutOff" : "MalformedResponse";
            return new ProviderException(Cloud.AWS, operation, code, io || cutOff,
                    operation + " failed: " + code + " (" + e.getClass().getSimpleName() + ": " + first + ")",
                    e);
        }
        return new ProviderException(Cloud.AWS, operation, e.getClass().getSimpleName(), false,
                operation + " failed: " + firstLine(e), e);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
