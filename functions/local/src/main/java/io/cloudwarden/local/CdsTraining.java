package io.cloudwarden.local;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build-time only: runs the short commands ({@code --version}, {@code check}, {@code drift --snapshot},
 * {@code diff}) once each on the example files, in one JVM, so that {@code -XX:ArchiveClassesAtExit} records every
 * class they load into the class-data-sharing archive the launcher uses ({@code target/cloudwarden.jsa}, see
 * {@code src/main/launcher}). Output is discarded; a failing command fails the build step, which then ships no
 * archive.
 *
 * <p>{@code java -XX:ArchiveClassesAtExit=cloudwarden.jsa -cp cloudwarden.jar io.cloudwarden.local.CdsTraining
 * EXAMPLES_DIR}
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path examples = Path.of(args[0]);
        Path state = Files.createTempDirectory("cloudwarden-cds");
        String snapshot = examples.resolve("snapshot.json").toString();
        String approved = examples.resolve("approved-baseline.json").toString();
        String tfstate = examples.resolve("sandbox/terraform/aws.tfstate").toString();
        String[][] runs = {
            {"--version"},
            {"check", "--state-dir", state.toString(), "--snapshot", snapshot, "--format", "json"},
            {"check", "--state-dir", state.toString(), "--snapshot", snapshot},
            {"drift", "--state-dir", state.toString(), "--baseline", approved, "--snapshot", snapshot,
                "--format", "json"},
            {"drift", "--state-dir", state.toString(), "--baseline", tfstate, "--snapshot", snapshot},
            {"diff", approved, snapshot, "--format", "json"},
        };
        for (String[] run : runs) {
            int code = Main.run(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()), run);
            if (code > ExitCodes.FINDINGS) {
                throw new IllegalStateException("training run " + String.join(" ", run) + " exited " + code);
            }
        }
        try (var s = Files.walk(state)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
