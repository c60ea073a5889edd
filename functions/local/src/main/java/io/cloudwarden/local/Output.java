package io.cloudwarden.local;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a command writes its report: standard output, or a file written atomically (temp + rename).
 *
 * <p>A run that dies part-way never leaves output that reads as a clean result: the report writers render the whole
 * report before writing it to standard output, and a file is written to a temp file in the target's directory that is
 * renamed over the target only once complete (and deleted otherwise). A path that cannot be written (a directory
 * under a plain file, a read-only file system, no permission, a full disk) is an input error naming the path (exit
 * 2), not an internal one.
 */
final class Output {
    private Output() {
    }

    interface Body {
        void write(Writer w) throws IOException;
    }

    static void write(Path out, PrintWriter stdout, Body body) throws IOException {
        if (out == null) {
            body.write(stdout);
            stdout.flush();
            return;
        }
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        } catch (IOException e) {
            throw unwritable(out, e);
        }
        boolean renamed = false;
        try {
            try (Writer w = new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8)) {
                body.write(w);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw unwritable(out, e);
        } finally {
            if (!renamed) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException ignored) {
                    // best effort: the temp file is hidden and never read as the report
                }
            }
        }
    }

    /** The input error for a path that cannot be written, naming it and the file system's reason. */
    static InputException unwritable(Path path, IOException e) {
        return new InputException(path + ": cannot write (" + reason(e) + ")");
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A one-line progress indicator on the terminal; silent when stderr is not a terminal. */
    static final class Progress implements io.cloudwarden.engine.scan.ScanListener {
        private final boolean enabled = System.console() != null && System.getenv("CI") == null;
        private final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        private volatile int total;

        @Override
        public void planned(int shards) {
            total = shards;
            show();
        }

        @Override
        public void shardFinished(io.cloudwarden.engine.spi.Shard shard, int resources) {
            done.incrementAndGet();
            show();
        }

        @Override
        public void shardFailed(io.cloudwarden.engine.spi.Shard shard, io.cloudwarden.model.ScanError error) {
            done.incrementAndGet();
            show();
        }

        private synchronized void show() {
            if (enabled) {
                System.err.print("\rscanning: " + done.get() + "/" + total + " shards");
                if (done.get() >= total) {
                    System.err.print("\r\033[K");
                }
                System.err.flush();
            }
        }
    }
}
