package io.cloudwarden.bench.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Serves a generated estate on 127.0.0.1 in each API's wire format, so a real {@code cloudwarden scan --endpoint-url}
 * reads it exactly as it reads the cloud: N resources of each AWS type (S3 here; EC2, IAM and KMS in
 * {@link AwsEstate}; STS GetCallerIdentity), of each GCP type (Cloud Asset Inventory, {@link CaiEstate}) and of each
 * Azure type (Resource Graph, ARM, Microsoft Graph, {@link AzureEstate}; over HTTPS, see {@link #startTls}). S3:
 * ListBuckets with {@code max-buckets}/{@code continuation-token} paging and {@code BucketRegion} per
 * bucket, GetBucketLocation, and the eight kinds of per-bucket configuration reads (public access block, policy status,
 * policy, ACL, encryption, versioning, logging, tagging) with S3's own "not configured" errors.
 *
 * <p>The estate is deterministic: bucket {@code i} is public (no public access block, a public policy) when
 * {@code i % 10 == 0} (10 %), unencrypted when {@code i % 7 == 3}, untagged when {@code i % 5 == 4}, versioned when
 * {@code i % 3 == 0}, created between 2015 and 2026 (old buckets), spread over four regions.
 *
 * <p>Every request is counted per operation on the server side; {@code GET /__bench/calls} answers the counts
 * ({@code operation count} lines, then {@code total N}) and {@code POST /__bench/reset} zeroes them. Usage:
 * {@code java -cp benchmarks.jar io.cloudwarden.bench.e2e.WireEstateServer N [port] [--tls KEYSTORE.p12 [PASSWORD]]
 * [--latency-ms MS] [--jdk-http]} ({@code --latency-ms}: every answer waits that long first, see
 * {@link #WireEstateServer(int, long)}; {@code --jdk-http}: plain HTTP from the JDK's server instead of
 * {@link LoopbackHttpServer}, see {@link #start(int, boolean)});
 * prints {@code listening http://127.0.0.1:PORT} once ready, and with {@code --tls} (a PKCS12 key store holding the
 * server's key and certificate, password {@code changeit} unless given) also {@code listening-tls
 * https://127.0.0.1:PORT}: the same estate on a second, HTTPS port (the Azure SDK sends bearer tokens over HTTPS
 * only).
 */
public final class WireEstateServer {
    static final String ACCOUNT = "111122223333";
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "us-west-2", "ap-south-1"};
    private static final String OWNER = "<Owner><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID>"
            + "<DisplayName>bench</DisplayName></Owner>";
    private static final String XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    /** The region the regional AWS types (security groups, instances, KMS keys) are served in: the one scanned. */
    static final String AWS_REGION = "us-east-1";

    private final int buckets;
    private final AwsEstate aws;
    private final CaiEstate gcp;
    private final AzureEstate azure;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final long latencyMs;
    // More handler threads than cores: the scanner keeps many connections open at once and a handler blocks only on
    // socket writes (and, with a latency, on its sleep: then one thread per connection the client may open). Used by
    // the JDK's servers only (the HTTPS listener, and plain HTTP with --jdk-http): LoopbackHttpServer answers on each
    // connection's own thread.
    private final ExecutorService handlers;
    private HttpServer server;
    private LoopbackHttpServer loopback;
    private HttpsServer tls;

    public WireEstateServer(int n) {
        this(n, 0);
    }

    /**
     * With {@code latencyMs > 0} every answer (but {@code /__bench/}) waits that long before it is served, as a
     * round trip to a cloud region would: a scan then waits on the network as against the cloud, instead of being
     * bound by the CPU of loopback.
     */
    public WireEstateServer(int n, long latencyMs) {
        this.buckets = n;
        this.latencyMs = latencyMs;
        this.handlers = Executors.newFixedThreadPool(latencyMs > 0 ? 512 : 16, r -> {
            Thread t = new Thread(r, "wire-estate");
            t.setDaemon(false);
            return t;
        });
        // Ages ("created 400 days ago") count from the start of today, so every run of a day plants the same findings.
        java.time.Instant today = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        this.aws = new AwsEstate(n, AWS_REGION, today);
        this.gcp = new CaiEstate(n, today);
        this.azure = new AzureEstate(n, today);
    }

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(args));
        Path keyStore = null;
        String password = "changeit";
        long latency = 0;
        int lat = a.indexOf("--latency-ms");
        if (lat >= 0) {
            if (lat + 1 >= a.size() || !a.get(lat + 1).matches("\\d+")) {
                System.err.println("--latency-ms: expected a whole number of milliseconds");
                System.exit(2);
            }
            latency = Long.parseLong(a.get(lat + 1));
            a.subList(lat, lat + 2).clear();
        }
        boolean jdkServer = a.remove("--jdk-http");
        int at = a.indexOf("--tls");
        if (at >= 0) {
            if (at + 1 >= a.size()) {
                System.err.println("--tls: expected the path of a PKCS12 key store");
                System.exit(2);
            }
            keyStore = Path.of(a.get(at + 1));
            if (at + 2 < a.size() && !a.get(at + 2).matches("\\d+")) {
                password = a.remove(at + 2);
            }
            a.subList(at, at + 2).clear();
        }
        if (a.isEmpty()) {
            System.err.println("usage: WireEstateServer N [port] [--tls KEYSTORE.p12 [PASSWORD]] [--latency-ms MS]"
                    + " [--jdk-http]");
            System.exit(2);
        }
        int n = Integer.parseInt(a.get(0));
        int port = a.size() > 1 ? Integer.parseInt(a.get(1)) : 0;
        WireEstateServer s = new WireEstateServer(n, latency);
        int bound = s.start(port, jdkServer);
        if (keyStore != null) {
            System.out.println("listening-tls https://127.0.0.1:" + s.startTls(0, keyStore, password.toCharArray()));
        }
        System.out.println("listening http://127.0.0.1:" + bound);
        System.out.flush();
    }

    /** Serves plain HTTP on {@code port} (0: any free one) with {@link LoopbackHttpServer}; returns the bound port. */
    public int start(int port) throws IOException {
        return start(port, false);
    }

    /**
     * Serves plain HTTP on {@code port}: with {@link LoopbackHttpServer} (one thread per connection, the default), or
     * with the JDK's {@code HttpServer} when {@code jdkServer} (the front the benchmark used until 2026-12-05, kept to
     * compare: {@code --jdk-http}). Returns the bound port.
     */
    public int start(int port, boolean jdkServer) throws IOException {
        if (!jdkServer) {
            loopback = LoopbackHttpServer.start(port, this::handle);
            return loopback.port();
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
        return server.getAddress().getPort();
    }

    /**
     * Serves the same estate over HTTPS on a second port with the key and certificate of a PKCS12 key store (the
     * client must trust that certificate, e.g. {@code -Djavax.net.ssl.trustStore}). Returns the bound port.
     */
    public int startTls(int port, Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        tls.setHttpsConfigurator(new HttpsConfigurator(context));
        tls.createContext("/", this::handle);
        tls.setExecutor(handlers);
        tls.start();
        return tls.getAddress().getPort();
    }

    public void stop() {
        if (loopback != null) {
            loopback.stop();
        }
        if (server != null) {
            server.stop(0);
        }
        if (tls != null) {
            tls.stop(0);
        }
        handlers.shutdownNow();
    }

    /** Requests answered so far, every operation together. */
    public long requestCount() {
        long n = 0;
        for (LongAdder a : calls.values()) {
            n += a.sum();
        }
        return n;
    }

    /** Counts per operation, sorted by name. */
    public Map<String, Long> calls() {
        Map<String, Long> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    private void count(String op) {
        calls.computeIfAbsent(op, k -> new LongAdder()).increment();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            serve(ex);
        } catch (RuntimeException e) {
            // The JDK server drops the connection on an exception; say why on stderr so the benchmark is debuggable.
            System.err.println("estate server: " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + e);
            e.printStackTrace();
            throw e;
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/__bench/")) {
                bench(ex, path);
                return;
            }
            if (latencyMs > 0) {
                try {
                    Thread.sleep(latencyMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            if (AzureEstate.serves(path)) {
                send(ex, azure.serve(method, path, q, body, this::count));
                return;
            }
            if (method.equals("GET") && path.startsWith("/compute/v1/projects/")
                    && (path.endsWith("/aggregated/instanceGroupManagers") || path.endsWith("/aggregated/autoscalers"))) {
                // GCP's compute.group reads the Compute API, not Cloud Asset Inventory: the estate has no managed
                // instance groups, and says so in the aggregated lists' own shape (no scope listed).
                String what = path.substring(path.lastIndexOf('/') + 1);
                count("compute:" + what + ".aggregatedList");
                send(ex, 200, "application/json", "{\"kind\":\"compute#" + (what.equals("autoscalers")
                        ? "autoscalerAggregatedList" : "instanceGroupManagerAggregatedList") + "\",\"id\":\""
                        + path.substring("/compute/v1/".length()) + "\",\"items\":{}}");
                return;
            }
            if (method.equals("GET") && path.startsWith("/v1/projects/") && path.endsWith("/assets")) {
                String project = path.substring("/v1/projects/".length(), path.length() - "/assets".length());
                Reply r = gcp.listAssets(project, q);
                count(r == null ? "cloudasset:ListAssets (no such project)" : "cloudasset:ListAssets");
                if (r == null) {
                    send(ex, 403, "application/json", "{\"error\":{\"code\":403,\"message\":\"project " + project
                            + " is not in the benchmark estate\",\"status\":\"PERMISSION_DENIED\"}}");
                } else {
                    send(ex, r);
                }
                return;
            }
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (method.equals("POST") && path.equals("/") && target != null) {
                String op = target.substring(target.indexOf('.') + 1);
                Reply r = aws.kms(op, new String(body, StandardCharsets.UTF_8));
                count(r == null ? "unknown:" + target : "kms:" + op);
                if (r == null) {
                    send(ex, 400, "application/x-amz-json-1.1", "{\"__type\":\"UnknownOperationException\"}");
                } else {
                    send(ex, r);
                }
                return;
            }
            if (method.equals("POST") && path.equals("/")) {
                Map<String, String> form = query(new String(body, StandardCharsets.UTF_8));
                String action = form.getOrDefault("Action", "?");
                Reply r = aws.query(action, form);
                if (r != null) {
                    count((action.startsWith("Describe") ? "ec2:" : "iam:") + action);
                    send(ex, r);
                    return;
                }
                if ("GetCallerIdentity".equals(form.get("Action"))) {
                    count("sts:GetCallerIdentity");
                    send(ex, 200, "text/xml", XML + "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/"
                            + "2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::" + ACCOUNT + ":user/bench</Arn>"
                            + "<UserId>AIDABENCH</UserId><Account>" + ACCOUNT + "</Account></GetCallerIdentityResult>"
                            + "<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata>"
                            + "</GetCallerIdentityResponse>");
                    return;
                }
                count("unknown:" + form.getOrDefault("Action", "?"));
                error(ex, 400, "InvalidAction", "not served by the benchmark estate");
                return;
            }
            if (path.equals("/") && method.equals("GET")) {
                count("s3:ListBuckets");
                listBuckets(ex, q);
                return;
            }
            String name = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
            int i = index(name);
            if (i < 0 || i >= buckets) {
                count("s3:" + method + " (no such bucket)");
                error(ex, 404, "NoSuchBucket", "The specified bucket does not exist");
                return;
            }
            if (method.equals("HEAD")) {
                count("s3:HeadBucket");
                ex.getResponseHeaders().add("x-amz-bucket-region", region(i));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            bucketConfig(ex, method, q, i, name);
        }
    }

    private void bench(HttpExchange ex, String path) throws IOException {
        if (path.equals("/__bench/calls")) {
            StringBuilder b = new StringBuilder();
            long total = 0;
            for (var e : calls().entrySet()) {
                b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
                total += e.getValue();
            }
            b.append("total ").append(total).append('\n');
            send(ex, 200, "text/plain", b.toString());
        } else if (path.equals("/__bench/reset")) {
            calls.clear();
            send(ex, 200, "text/plain", "ok\n");
        } else {
            send(ex, 404, "text/plain", "unknown\n");
        }
    }

    private void listBuckets(HttpExchange ex, Map<String, String> q) throws IOException {
        int max = q.containsKey("max-buckets") ? Integer.parseInt(q.get("max-buckets")) : 10_000;
        int from = q.containsKey("continuation-token")
                ? Integer.parseInt(new String(Base64.getDecoder().decode(q.get("continuation-token")),
                        StandardCharsets.UTF_8)) : 0;
        int to = Math.min(buckets, from + max);
        StringBuilder b = new StringBuilder(XML).append("<ListAllMyBucketsResult").append(NS).append('>')
                .append(OWNER).append("<Buckets>");
        for (int i = from; i < to; i++) {
            b.append("<Bucket><Name>").append(name(i)).append("</Name><CreationDate>").append(created(i))
                    .append("</CreationDate><BucketRegion>").append(region(i)).append("</BucketRegion></Bucket>");
        }
        b.append("</Buckets>");
        if (to < buckets) {
            b.append("<ContinuationToken>").append(Base64.getEncoder().encodeToString(
                    Integer.toString(to).getBytes(StandardCharsets.UTF_8))).append("</ContinuationToken>");
        }
        b.append("</ListAllMyBucketsResult>");
        send(ex, 200, "application/xml", b.toString());
    }

    private void bucketConfig(HttpExchange ex, String method, Map<String, String> q, int i, String name)
            throws IOException {
        boolean pub = i % 10 == 0;
        if (!method.equals("GET")) {
            count("s3:" + method + " (refused)");
            error(ex, 403, "AccessDenied", "the benchmark estate is read-only");
            return;
        }
        if (q.containsKey("location")) {
            count("s3:GetBucketLocation");
            String r = region(i);
            send(ex, 200, "application/xml", XML + "<LocationConstraint" + NS + ">"
                    + (r.equals("us-east-1") ? "" : r) + "</LocationConstraint>");
        } else if (q.containsKey("publicAccessBlock")) {
            count("s3:GetPublicAccessBlock");
            if (pub) {
                error(ex, 404, "NoSuchPublicAccessBlockConfiguration",
                        "The public access block configuration was not found");
            } else {
                send(ex, 200, "application/xml", XML + "<PublicAccessBlockConfiguration" + NS + "><BlockPublicAcls>true"
                        + "</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true"
                        + "</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"
                        + "</PublicAccessBlockConfiguration>");
            }
        } else if (q.containsKey("policyStatus")) {
            count("s3:GetBucketPolicyStatus");
            if (pub) {
                send(ex, 200, "application/xml", XML + "<PolicyStatus" + NS + "><IsPublic>true</IsPublic></PolicyStatus>");
            } else {
                error(ex, 404, "NoSuchBucketPolicy", "The bucket policy does not exist");
            }
        } else if (q.containsKey("policy")) {
            count("s3:GetBucketPolicy");
            if (pub) {
                send(ex, 200, "application/json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublicRead\","
                        + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
                        + "\"arn:aws:s3:::" + name + "/*\"}]}");
            } else {
                error(ex, 404, "NoSuchBucketPolicy", "The bucket policy does not exist");
            }
        } else if (q.containsKey("acl")) {
            count("s3:GetBucketAcl");
            send(ex, 200, "application/xml", XML + "<AccessControlPolicy" + NS + ">" + OWNER + "<AccessControlList>"
                    + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
                    + "<ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID><DisplayName>bench"
                    + "</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList>"
                    + "</AccessControlPolicy>");
        } else if (q.containsKey("encryption")) {
            count("s3:GetBucketEncryption");
            if (i % 7 == 3) {
                error(ex, 404, "ServerSideEncryptionConfigurationNotFoundError",
                        "The server side encryption configuration was not found");
            } else {
                send(ex, 200, "application/xml", XML + "<ServerSideEncryptionConfiguration" + NS + "><Rule>"
                        + "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                        + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>"
                        + "</ServerSideEncryptionConfiguration>");
            }
        } else if (q.containsKey("versioning")) {
            count("s3:GetBucketVersioning");
            send(ex, 200, "application/xml", i % 3 == 0
                    ? XML + "<VersioningConfiguration" + NS + "><Status>Enabled</Status></VersioningConfiguration>"
                    : XML + "<VersioningConfiguration" + NS + "/>");
        } else if (q.containsKey("logging")) {
            count("s3:GetBucketLogging");
            send(ex, 200, "application/xml", XML + "<BucketLoggingStatus" + NS + "/>");
        } else if (q.containsKey("tagging")) {
            count("s3:GetBucketTagging");
            if (i % 5 == 4) {
                error(ex, 404, "NoSuchTagSet", "The TagSet does not exist");
            } else {
                send(ex, 200, "application/xml", XML + "<Tagging" + NS + "><TagSet><Tag><Key>env</Key><Value>"
                        + (i % 2 == 0 ? "prod" : "dev") + "</Value></Tag><Tag><Key>team</Key><Value>t" + (i % 17)
                        + "</Value></Tag></TagSet></Tagging>");
            }
        } else {
            count("s3:GET " + String.join(",", q.keySet()) + " (not served)");
            error(ex, 501, "NotImplemented", "not served by the benchmark estate");
        }
    }

    /** The name of bucket {@code i} of the estate ({@code bench-000010} for 10). */
    public static String name(int i) {
        return String.format("bench-%06d", i);
    }

    static int index(String name) {
        if (!name.startsWith("bench-") || name.length() != 12) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(6));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String region(int i) {
        return REGIONS[i % REGIONS.length];
    }

    static String created(int i) {
        // 2015-01-01 plus up to ~11.9 years, deterministic per bucket: a share of old buckets.
        long days = (i * 2654435761L) % 4350;
        return Instant.parse("2015-01-01T00:00:00Z").plusSeconds(days * 86_400L + (i % 86_400)).toString()
                .replace("Z", ".000Z");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String p : raw.split("&")) {
            int eq = p.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        send(ex, status, "application/xml", XML + "<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>BENCH</RequestId><HostId>YmVuY2g=</HostId></Error>");
    }

    private static void send(HttpExchange ex, Reply r) throws IOException {
        send(ex, r.status(), r.contentType(), r.body());
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("x-amz-request-id", "BENCH");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }
}
