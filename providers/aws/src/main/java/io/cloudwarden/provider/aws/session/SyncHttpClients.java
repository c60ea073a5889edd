package io.cloudwarden.provider.aws.session;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The sync HTTP client under every AWS client of a session, chosen by {@code settings.httpClient}
 * (providers/aws/README.md, "HTTP client", has the measured figures behind the default):
 * <ul>
 *   <li>{@code url-connection} (default): the JDK's {@code HttpURLConnection}; no extra jar;</li>
 *   <li>{@code apache}: Apache HttpClient 4 ({@code software.amazon.awssdk:apache-client});</li>
 *   <li>{@code apache5}: Apache HttpClient 5 ({@code software.amazon.awssdk:apache5-client}).</li>
 * </ul>
 * Not the AWS CRT's client: it was slower per call, too big for the Lambda zip, and its connection manager aborted
 * the JVM now and then under fast loopback traffic (a fatal assertion of the native library, awslabs/aws-crt-java
 * issue 1013; providers/aws/README.md). The two others are optional dependencies of this module: an application that offers one declares its jar. Each
 * builder sits in a class of its own, so a client's classes are loaded only when it is chosen. All pool
 * {@link AwsSession#KEEP_ALIVE_CONNECTIONS} connections per host and get the same connect and read timeouts.
 */
final class SyncHttpClients {
    static final String SETTING = "httpClient";
    static final String URL_CONNECTION = "url-connection";
    static final List<String> NAMES = List.of(URL_CONNECTION, "apache", "apache5");

    private SyncHttpClients() {
    }

    /** The client named {@code name} (one of {@link #NAMES}); an unknown name or a missing jar is a clear error. */
    static SdkHttpClient build(String name, Duration connectTimeout, Duration readTimeout) {
        String artifact = switch (name) {
            case URL_CONNECTION -> "url-connection-client";
            case "apache" -> "apache-client";
            case "apache5" -> "apache5-client";
            default -> throw new IllegalArgumentException("settings." + SETTING + ": expected one of " + NAMES
                    + " but was '" + name + "'");
        };
        try {
            return switch (name) {
                case "apache" -> Apache4.build(connectTimeout, readTimeout);
                case "apache5" -> Apache5.build(connectTimeout, readTimeout);
                default -> UrlConnection.build(connectTimeout, readTimeout);
            };
        } catch (NoClassDefFoundError e) {
            throw new IllegalArgumentException("settings." + SETTING + ": '" + name + "' needs the jar "
                    + "software.amazon.awssdk:" + artifact + " (and its dependencies) on the class path, which this "
                    + "application does not include", e);
        }
    }

    private static final class UrlConnection {
        static SdkHttpClient build(Duration connectTimeout, Duration readTimeout) {
            return UrlConnectionHttpClient.builder().connectionTimeout(connectTimeout).socketTimeout(readTimeout)
                    .build();
        }
    }

    private static final class Apache4 {
        static SdkHttpClient build(Duration connectTimeout, Duration readTimeout) {
            return ApacheHttpClient.builder().maxConnections(AwsSession.KEEP_ALIVE_CONNECTIONS)
                    .connectionTimeout(connectTimeout).socketTimeout(readTimeout).build();
        }
    }

    private static final class Apache5 {
        static SdkHttpClient build(Duration connectTimeout, Duration readTimeout) {
            return Apache5HttpClient.builder().maxConnections(AwsSession.KEEP_ALIVE_CONNECTIONS)
                    .connectionTimeout(connectTimeout).socketTimeout(readTimeout).build();
        }
    }
}
