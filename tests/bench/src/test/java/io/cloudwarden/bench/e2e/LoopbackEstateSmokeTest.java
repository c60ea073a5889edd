package io.cloudwarden.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.local.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the estate server's plain-HTTP front ({@link LoopbackHttpServer}) honest (not a timed test): a real
 * {@code cloudwarden scan --cloud aws --cloud gcp} of the six types the estate serves in both clouds reads every shard of
 * a 30-resource estate through it (S3 REST XML, EC2 and IAM query POSTs, KMS JSON POSTs, Cloud Asset Inventory pages),
 * and the HTTP/1.1 framing the SDKs and curl may
 * send (keep-alive, chunked bodies, {@code Expect: 100-continue}, HEAD, {@code Connection: close}) is answered as
 * HTTP/1.1 requires.
 */
class LoopbackEstateSmokeTest {
    private static final int N = 30;

    @TempDir
    static Path dir;
    private static WireEstateServer server;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        server = new WireEstateServer(N);
        port = server.start(0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void scanOfEveryAwsAndGcpTypeReadsTheWholeEstateThroughIt() throws IOException {
        Path props = dir.resolve("estate.properties");
        Files.writeString(props, String.join("\n", "cloudwarden.aws.endpoint=http://127.0.0.1:" + port,
                "cloudwarden.aws.accounts=" + WireEstateServer.ACCOUNT, "cloudwarden.aws.regions=us-east-1",
                "cloudwarden.aws.region=us-east-1", "cloudwarden.aws.accessKeyId=AKIATEST000000000000",
                "cloudwarden.aws.secretAccessKey=test-only-not-a-secret",
                "cloudwarden.gcp.endpoint=http://127.0.0.1:" + port, "cloudwarden.gcp.accounts=" + CaiEstate.PROJECT,
                ""));
        Path snapshot = dir.resolve("snapshot.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "scan", "--config", props.toString(),
                "--cloud", "aws", "--cloud", "gcp", "--type", "storage.bucket", "--type", "network.firewall", "--type",
                "compute.instance", "--type", "kms.key", "--type", "identity.user", "--type", "identity.key",
                "--state-dir", dir.resolve("state").toString(),
                "--out", snapshot.toString());

        assertThat(code).as("scan exit code; output:%n%s%n%s", out, err).isZero();
        JsonNode snap = new ObjectMapper().readTree(snapshot.toFile());
        assertThat(snap.path("errors")).as("unread shards").isEmpty();
        // (the instances' telemetry and patch reads the estate does not serve are best-effort: answered 400/404 and
        // tolerated by the collectors, as in e2e.sh; a configuration read it does not serve would be answered 501)
        assertThat(server.calls().keySet()).as("requests the estate did not serve")
                .noneMatch(op -> op.contains("not served"));

        Map<String, Integer> perType = new TreeMap<>();
        Set<String> buckets = new TreeSet<>();
        int publicBuckets = 0;
        for (JsonNode r : snap.path("resources")) {
            perType.merge(r.path("cloud").asText() + " " + r.path("type").asText(), 1, Integer::sum);
            if (r.path("cloud").asText().equals("aws") && r.path("type").asText().equals("storage.bucket")) {
                buckets.add(r.path("id").asText());
                if (r.path("attributes").path("publicAccess").asBoolean(false)) {
                    publicBuckets++;
                }
            }
        }
        assertThat(perType.keySet()).containsExactlyInAnyOrder("aws storage.bucket", "aws network.firewall",
                "aws compute.instance", "aws kms.key", "aws identity.user", "aws identity.key", "gcp storage.bucket",
                "gcp network.firewall", "gcp compute.instance", "gcp kms.key", "gcp identity.user",
                "gcp identity.key");
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < N; i++) {
            expected.add("arn:aws:s3:::" + WireEstateServer.name(i));
        }
        assertThat(buckets).isEqualTo(expected);
        assertThat(publicBuckets).as("buckets 0, 10 and 20 are public").isEqualTo(3);
        assertThat(server.calls()).containsEntry("s3:GetBucketAcl", (long) N)
                .containsEntry("s3:GetBucketPolicyStatus", 3L);
    }

    @Test
    void keepAliveAnswersEachRequestOfAConnectionInTurnWithItsLength() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream o = s.getOutputStream();
            o.write(("GET /bench-000001?versioning HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /bench-000001 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /bench-000003?tagging HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            String[] answers = all.split("(?=HTTP/1\\.1 )");
            assertThat(answers).hasSize(3);
            assertThat(answers[0]).startsWith("HTTP/1.1 200 OK\r\n").contains("<VersioningConfiguration");
            assertThat(body(answers[0]).getBytes(StandardCharsets.UTF_8)).hasSize(contentLength(answers[0]));
            assertThat(answers[1]).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("x-amz-bucket-region: eu-west-1")
                    .endsWith("\r\n\r\n");
            assertThat(answers[2]).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n")
                    .contains("<Key>team</Key>");
            assertThat(body(answers[2]).getBytes(StandardCharsets.UTF_8)).hasSize(contentLength(answers[2]));
        }
    }

    @Test
    void aChunkedBodyAfterExpectContinueIsReadWhole() throws IOException {
        String form = "Action=GetCallerIdentity&Version=2011-06-15";
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream o = s.getOutputStream();
            InputStream in = s.getInputStream();
            o.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            assertThat(readLine(in)).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(readLine(in)).isEmpty();
            String first = form.substring(0, 10);
            String rest = form.substring(10);
            o.write((Integer.toHexString(first.length()) + "\r\n" + first + "\r\n" + Integer.toHexString(rest.length())
                    + ";ext=1\r\n" + rest + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("<Account>" + WireEstateServer.ACCOUNT);
        }
    }

    @Test
    void aMalformedRequestLineIsRefusedAndTheConnectionClosed() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close");
        }
    }

    @Test
    void aMalformedContentLengthIsRefusedAndTheConnectionClosed() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close");
        }
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    private static int contentLength(String answer) {
        for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + answer);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
