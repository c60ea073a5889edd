package io.cloudwarden.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Read-only directories for tests, honestly: without root, taking away the write permission suffices; as root
 * (containers, CI) permissions are ignored, so the file system's immutable attribute is set instead ({@code chattr
 * -R +i}, ext4/xfs/btrfs). When neither stops a write, {@link #make} returns false and the caller skips.
 */
final class ReadOnlyDirs {
    private ReadOnlyDirs() {
    }

    static boolean make(Path dir) throws IOException, InterruptedException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.forEach(p -> p.toFile().setWritable(false, false));
        }
        if (!writable(dir)) {
            return true;
        }
        run(List.of("chattr", "-R", "+i", dir.toString()));
        return !writable(dir);
    }

    /** Undoes {@link #make} so the temp directory can be deleted. */
    static void undo(Path dir) throws IOException, InterruptedException {
        if (!Files.exists(dir)) {
            return;
        }
        run(List.of("chattr", "-R", "-i", dir.toString()));
        try (Stream<Path> all = Files.walk(dir)) {
            all.forEach(p -> p.toFile().setWritable(true, true));
        }
    }

    private static boolean writable(Path dir) {
        Path probe = dir.resolve(".probe");
        try {
            Files.createFile(probe);
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> command) throws InterruptedException {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            // no chattr on this system: make() then reports the directory as still writable
        }
    }
}
