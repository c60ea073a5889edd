package io.cloudwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the CLI fails: an {@link Error} (out of memory) is an internal error, exit 4 in one line with no output that
 * reads as a clean result; a path that cannot be written is an input error naming it, exit 2; reading a state
 * directory writes nothing, so an archived one on read-only media can be checked and verified.
 */
class CliFailureModesTest {
    static final String SNAPSHOT = Path.of("../../examples/snapshot.json").toAbsolutePath().normalize().toString();

    @TempDir
    Path dir;

    Path readOnly;

    @AfterEach
    void writableAgain() throws Exception {
        if (readOnly != null) {
            ReadOnlyDirs.undo(readOnly);
        }
    }

    /** A real subprocess: {@code java -Xmx.. io.cloudwarden.local.Main args}, with its exit code and output. */
    record Proc(int code, String out, String err) {
        static Proc run(String heap, Path workDir, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    "io.cloudwarden.local.Main"));
            cmd.addAll(List.of(args));
            Path out = workDir.resolve("stdout.txt");
            Path err = workDir.resolve("stderr.txt");
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
            return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
        }
    }

    /** A valid snapshot of {@code buckets} buckets, each with {@code rawBytes} of native evidence (~ size on disk). */
    static Path bigSnapshot(Path file, int buckets, int rawBytes) throws IOException {
        String evidence = "x".repeat(rawBytes);
        try (OutputStream os = Files.newOutputStream(file);
                JsonGenerator g = ModelJson.mapper().getFactory().createGenerator(os)) {
            g.writeStartObject();
            g.writeStringField("schema", "cloudwarden/snapshot/v1");
            g.writeStringField("takenAt", "2026-12-01T00:00:00Z");
            g.writeArrayFieldStart("resources");
            for (int i = 0; i < buckets; i++) {
                g.writeStartObject();
                g.writeStringField("cloud", "aws");
                g.writeStringField("account", "111122223333");
                g.writeStringField("region", "us-east-1");
                g.writeStringField("type", "storage.bucket");
                g.writeStringField("id", "arn:aws:s3:::bucket-" + i);
                g.writeStringField("name", "bucket-" + i);
                g.writeStringField("nativeType", "AWS::S3::Bucket");
                g.writeObjectFieldStart("tags");
                g.writeEndObject();
                g.writeObjectFieldStart("attributes");
                g.writeBooleanField("publicAccess", i % 2 == 0);
                g.writeObjectFieldStart("encryption");
                g.writeBooleanField("enabled", true);
                g.writeStringField("keyType", "provider-managed");
                g.writeEndObject();
                g.writeBooleanField("versioning", false);
                g.writeNullField("minTlsVersion");
                g.writeBooleanField("logging", false);
                g.writeEndObject();
                g.writeObjectFieldStart("raw");
                g.writeStringField("evidence", evidence);
                g.writeEndObject();
                g.writeStringField("observedAt", "2026-12-01T00:00:00Z");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("errors");
            g.writeEndArray();
            g.writeEndObject();
        }
        return file;
    }

    @Test
    void outOfMemoryIsAnInternalErrorInOneLineAndLeavesNoReport() throws Exception {
        Path snapshot = bigSnapshot(dir.resolve("big.json"), 20_000, 1_700);
        assertThat(Files.size(snapshot)).isGreaterThan(34_000_000L);
        Path report = dir.resolve("report.json");

        Proc toFile = Proc.run("48m", dir, "check", "--snapshot", snapshot.toString(), "--format", "json", "--out",
                report.toString());
        Proc toStdout = Proc.run("48m", dir, "check", "--snapshot", snapshot.toString());

        for (Proc p : List.of(toFile, toStdout)) {
            assertThat(p.code()).as(p.err()).isEqualTo(4);
            assertThat(p.err().lines().toList()).as("one line, no stack trace").singleElement()
                    .satisfies(l -> assertThat(l).startsWith("cloudwarden: internal error: out of memory"));
            assertThat(p.out()).as("nothing that reads as a (clean) report").isEmpty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .as("no report and no half-written temp file")
                    .containsExactly("big.json", "stderr.txt", "stdout.txt");
        }
    }

    @Test
    void anOutPathUnderAPlainFileIsAnInputErrorNamingIt() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "not a directory");
        String target = plain.resolve("report.md").toString();

        CliRun check = CliRun.of("check", "--snapshot", SNAPSHOT, "--format", "markdown", "--out", target);
        CliRun diff = CliRun.of("diff", SNAPSHOT, SNAPSHOT, "--out", target);

        for (CliRun r : List.of(check, diff)) {
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("cloudwarden: " + target + ": cannot write (").contains("plain.txt")
                    .hasLineCount(1);
        }
    }

    @Test
    void anOutPathOnAFileSystemThatRefusesFilesIsAnInputErrorNamingIt() {
        // /proc accepts no new files, not even from root: an honest stand-in for a read-only mount
        assumeTrue(Files.isDirectory(Path.of("/proc/self")));
        CliRun r = CliRun.of("check", "--snapshot", SNAPSHOT, "--out", "/proc/self/report.txt");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("cloudwarden: /proc/self/report.txt: cannot write (").hasLineCount(1);
    }

    @Test
    void scanOnAnUnwritableStateDirIsAnInputErrorNamingIt() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "not a directory");
        CliRun underFile = CliRun.of("scan", "--sandbox", "--cloud", "aws", "--state-dir",
                plain.resolve("state").toString());
        assertThat(underFile.code()).as(underFile.err()).isEqualTo(2);
        assertThat(underFile.err()).contains(plain.toString()).hasLineCount(1);

        Path state = Files.createDirectories(dir.resolve("state"));
        readOnly = state;
        assumeTrue(ReadOnlyDirs.make(state), "no way to make a read-only directory here");
        Path config = Files.writeString(dir.resolve("cloudwarden.properties"), String.join("\n",
                "cloudwarden.aws.endpoint=http://127.0.0.1:9", "cloudwarden.aws.accounts=111122223333",
                "cloudwarden.aws.regions=us-east-1", "cloudwarden.aws.region=us-east-1",
                "cloudwarden.aws.accessKeyId=AKIATEST000000000000",
                "cloudwarden.aws.secretAccessKey=test-only-not-a-secret", "cloudwarden.aws.maxAttempts=1", ""));
        CliRun scan = CliRun.of("scan", "--cloud", "aws", "--config", config.toString(), "--state-dir",
                state.toString());
        assertThat(scan.code()).as(scan.err()).isEqualTo(2);
        assertThat(scan.err()).contains(state.toString()).contains("cannot").hasLineCount(1);
    }

    @Test
    void checkAndAuditVerifyReadAnArchivedStateDirOnReadOnlyMedia() throws Exception {
        Path state = dir.resolve("archive");
        assertThat(CliRun.of("scan", "--sandbox", "--cloud", "aws", "--state-dir", state.toString()).code())
                .isIn(0, 3);
        Path sandbox = state.resolve("sandbox");
        try (Stream<Path> files = Files.walk(sandbox)) {
            files.filter(f -> f.getFileName().toString().equals(".lock")).forEach(f -> f.toFile().delete());
        }
        readOnly = state;
        assumeTrue(ReadOnlyDirs.make(state), "no way to make a read-only directory here");

        CliRun check = CliRun.of("check", "--sandbox", "--state-dir", state.toString(), "--format", "json");
        assertThat(check.code()).as(check.err()).isIn(0, 3);
        assertThat(ModelJson.mapper().readTree(check.out()).get("findings")).isNotEmpty();

        CliRun verify = CliRun.of("audit", "verify", "--state-dir", sandbox.toString());
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).containsIgnoringCase("intact");
        assertThat(sandbox.resolve(".lock")).doesNotExist();
    }
}
