package io.cloudwarden.it.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code sh}, {@code bash} and {@code console} block of README.md runs verbatim against the built CLI, in
 * document order, in one bash process (so the Quickstart's {@code alias cloudwarden=...} holds for the blocks after
 * it), as a reader on a fresh clone would: the working directory is a temp directory holding links to the clone's
 * top-level entries (so {@code examples/...} and {@code functions/local/target/cloudwarden.jar} resolve, and files a
 * command writes land in the temp directory), the state directory is a temp one ({@code CLOUDWARDEN_STATE_DIR}) and
 * so is the JVM's home ({@code user.home}, so no {@code ~/.cloudwarden} of this machine is read).
 *
 * <p>Each command must exit 0, or N when its line ends in a comment starting {@code # exit N}. A block that needs a
 * network, credentials or a port is preceded by {@code <!-- readme-test: skip (reason) -->}; it is counted and not
 * run. The CLI must have been built ({@code package}); a missing or stale jar skips this test with that reason, except
 * under {@code CI=true}, where it fails.
 */
class ReadmeCommandsTest {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path JAR = ROOT.resolve("functions/local/target/cloudwarden.jar");
    static final Pattern FENCE = Pattern.compile("^(\\s*)```(bash|sh|console)\\s*$");
    static final Pattern SKIP = Pattern.compile("^\\s*<!-- readme-test: skip \\((.+)\\) -->\\s*$");
    static final Pattern EXIT = Pattern.compile("\\s#\\s*exit (\\d+)\\b");

    record Command(int line, String text, int expectedExit) {
    }

    record Block(int line, String language, List<Command> commands, String skipReason) {
    }

    @TempDir
    Path tmp;

    @Test
    void everyCommandBlockOfTheReadmeRunsVerbatim() throws Exception {
        requireBuiltJar();
        List<Block> blocks = blocks(Files.readAllLines(ROOT.resolve("README.md")));
        List<Block> run = blocks.stream().filter(b -> b.skipReason() == null).toList();
        List<Block> skipped = blocks.stream().filter(b -> b.skipReason() != null).toList();
        int commands = run.stream().mapToInt(b -> b.commands().size()).sum();
        System.out.printf("README.md: %d command blocks, %d run (%d commands), %d skipped:%n", blocks.size(),
                run.size(), commands, skipped.size());
        skipped.forEach(b -> System.out.printf("  skipped README.md:%d (%s)%n", b.line(), b.skipReason()));
        // the Quickstart and the sandbox walk-through must run, not be skipped away
        assertThat(commands).as("README commands run").isGreaterThanOrEqualTo(15);

        Path work = Files.createDirectories(tmp.resolve("clone"));
        try (Stream<Path> top = Files.list(ROOT)) {
            for (Path p : top.filter(p -> !p.getFileName().toString().equals(".git")).toList()) {
                Files.createSymbolicLink(work.resolve(p.getFileName()), p);
            }
        }
        Path script = tmp.resolve("readme.sh");
        Files.writeString(script, script(run));
        Path log = tmp.resolve("readme.log");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("CLOUDWARDEN_STATE_DIR", tmp.resolve("state").toString());
        env.put("JAVA_TOOL_OPTIONS", "-Duser.home=" + Files.createDirectories(tmp.resolve("home")));
        env.remove("COLUMNS");
        Process p = pb.start();
        if (!p.waitFor(40, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("README commands did not finish in 40 minutes; log:\n" + tail(log));
        }
        assertThat(p.exitValue()).as("README commands (log tail):\n%s", tail(log)).isZero();
        assertThat(Files.readString(log)).contains("README: all " + commands + " commands ran");
    }

    @Test
    void everySkipMarkerStandsRightBeforeACommandBlockAndSaysWhy() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int markers = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("<!--") && lines.get(i).contains("readme-test:")) {
                markers++;
                assertThat(lines.get(i)).as("README.md:%d", i + 1).matches(SKIP);
                assertThat(FENCE.matcher(lines.get(i + 1)).matches()).as("README.md:%d is followed by a block", i + 1)
                        .isTrue();
            }
        }
        assertThat(blocks(lines).stream().filter(b -> b.skipReason() != null)).hasSize(markers);
    }

    @Test
    void commandsSplitAtLinesJoinContinuationsAndReadTheirExpectedExitCode() {
        List<Block> b = blocks(List.of("<!-- readme-test: skip (needs AWS) -->", "```sh", "cloudwarden scan", "```",
                "text", "```bash", "# a comment", "AWS_X=1 \\", "  cloudwarden scan --cloud aws   # exit 3: partial",
                "", "cloudwarden check", "```", "```console", "$ cloudwarden rules", "ID  SEVERITY", "```",
                "```yaml", "rules: []", "```"));
        assertThat(b).hasSize(3);
        assertThat(b.get(0).skipReason()).isEqualTo("needs AWS");
        assertThat(b.get(1).commands()).containsExactly(
                new Command(8, "AWS_X=1 \\\n  cloudwarden scan --cloud aws   # exit 3: partial", 3),
                new Command(11, "cloudwarden check", 0));
        assertThat(b.get(2).commands()).containsExactly(new Command(14, "cloudwarden rules", 0));
    }

    /** The README's command blocks, in order; indented blocks (inside list items) lose their indent. */
    static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String skip = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher skipMarker = SKIP.matcher(line);
            if (skipMarker.matches()) {
                skip = skipMarker.group(1);
                continue;
            }
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                if (line.strip().startsWith("```")) {
                    // another language's block: skip to its end
                    for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                        // not a command block
                    }
                }
                if (!line.isBlank()) {
                    skip = null;
                }
                continue;
            }
            int indent = fence.group(1).length();
            boolean console = fence.group(2).equals("console");
            int start = i + 1;
            List<Command> commands = new ArrayList<>();
            StringBuilder pending = null;
            int pendingLine = 0;
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                String code = lines.get(i).length() >= indent ? lines.get(i).substring(indent) : lines.get(i).strip();
                if (pending == null) {
                    if (console) {
                        if (!code.startsWith("$ ")) {
                            continue; // output shown in the README, not a command
                        }
                        code = code.substring(2);
                    }
                    if (code.isBlank() || code.strip().startsWith("#")) {
                        continue;
                    }
                    pending = new StringBuilder(code);
                    pendingLine = i + 1;
                } else {
                    pending.append('\n').append(code);
                }
                if (!code.endsWith("\\")) {
                    String text = pending.toString();
                    Matcher exit = EXIT.matcher(text);
                    commands.add(new Command(pendingLine, text, exit.find() ? Integer.parseInt(exit.group(1)) : 0));
                    pending = null;
                }
            }
            blocks.add(new Block(start, fence.group(2), commands, skip));
            skip = null;
        }
        return blocks;
    }

    /** One bash script: each command verbatim, then a check of its exit code naming the README line. */
    static String script(List<Block> run) {
        StringBuilder b = new StringBuilder("shopt -s expand_aliases\n");
        int n = 0;
        for (Block block : run) {
            for (Command c : block.commands()) {
                n++;
                b.append("echo '>>> README.md:").append(c.line()).append("'\n");
                b.append(c.text()).append('\n');
                b.append("rc=$?; if [ \"$rc\" -ne ").append(c.expectedExit()).append(" ]; then echo \"README.md:")
                        .append(c.line()).append(": exit $rc, expected ").append(c.expectedExit())
                        .append("\" >&2; exit 97; fi\n");
            }
        }
        return b.append("echo 'README: all ").append(n).append(" commands ran'\n").toString();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** The jar under test must exist and be newer than the CLI's compiled classes. */
    private static void requireBuiltJar() throws IOException {
        Path main = ROOT.resolve("functions/local/target/classes/io/cloudwarden/local/Main.class");
        String reason = null;
        if (!Files.isRegularFile(JAR)) {
            reason = JAR + " is not built";
        } else if (Files.isRegularFile(main) && Files.getLastModifiedTime(main).compareTo(
                Files.getLastModifiedTime(JAR)) > 0) {
            reason = JAR + " is older than the compiled CLI classes";
        }
        if (reason == null) {
            return;
        }
        String hint = reason + ": run the package phase first (./mvnw -B -DskipTests package -pl functions/local -am,"
                + " or ./mvnw -B verify)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(hint);
        }
        Assumptions.abort(hint);
    }
}
