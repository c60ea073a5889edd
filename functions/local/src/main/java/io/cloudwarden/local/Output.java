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

    /** {@code --out -}: standard output, as most command-line tools read it. */
    static boolean isStdout(Path out) {
        return out != null && out.toString().equals("-");
    }

    static void write(Path out, PrintWriter stdout, Body body) throws IOException {
        if (out == null || isStdout(out)) {
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

    /**
     * A one-line progress indicator on stderr, in the words of the estate: "scanning: AWS 3/6 resource types ·
     * Azure 6/6 · GCP 0/6" (a type counts once all its accounts and regions are read), or "applying fixes 2/5".
     * Silent unless {@link Terminal#progress} allows it (a terminal, not {@code --quiet}, not CI), so it never reaches
     * a CI log or a pipe; the line is cleared when the work is done, before the report is printed.
     */
    static final class Progress implements io.cloudwarden.engine.scan.ScanListener {
        private final boolean enabled;
        private final java.io.PrintStream sink;
        private final java.util.Map<io.cloudwarden.model.Cloud, java.util.Map<String, int[]>> left =
                new java.util.EnumMap<>(io.cloudwarden.model.Cloud.class);
        private String verb = "scanning";
        private String last = "";

        Progress(boolean enabled, java.io.PrintStream sink) {
            this.enabled = enabled;
            this.sink = sink;
        }

        /** Progress on this process's stderr when it is a terminal and {@code common} is not quiet. */
        static Progress forTerminal(Cli.Common common) {
            return new Progress(Terminal.current().progress(common), System.err);
        }

        /** The same indicator with another verb ("rescanning"), for a second scan in one command. */
        Progress verb(String v) {
            synchronized (this) {
                verb = v;
                left.clear();
            }
            return this;
        }

        @Override
        public synchronized void planned(java.util.List<io.cloudwarden.engine.spi.Shard> shards) {
            left.clear();
            for (io.cloudwarden.engine.spi.Shard s : shards) {
                left.computeIfAbsent(s.cloud(), c -> new java.util.TreeMap<>())
                        .computeIfAbsent(s.type(), t -> new int[1])[0]++;
            }
            show(line());
        }

        @Override
        public void shardFinished(io.cloudwarden.engine.spi.Shard shard, int resources) {
            done(shard);
        }

        @Override
        public void shardFailed(io.cloudwarden.engine.spi.Shard shard, io.cloudwarden.model.ScanError error) {
            done(shard);
        }

        private synchronized void done(io.cloudwarden.engine.spi.Shard shard) {
            int[] n = left.getOrDefault(shard.cloud(), java.util.Map.of()).get(shard.type());
            if (n != null) {
                n[0]--;
            }
            show(line());
            if (left.values().stream().allMatch(m -> m.values().stream().allMatch(x -> x[0] <= 0))) {
                clear();
            }
        }

        /** "scanning: AWS 3/6 resource types · Azure 6/6 · GCP 0/6". */
        synchronized String line() {
            StringBuilder b = new StringBuilder(verb).append(": ");
            boolean first = true;
            for (var e : left.entrySet()) {
                long total = e.getValue().size();
                long read = e.getValue().values().stream().filter(x -> x[0] <= 0).count();
                b.append(first ? "" : " · ").append(name(e.getKey())).append(' ').append(read).append('/')
                        .append(total).append(first ? " resource types" : "");
                first = false;
            }
            return b.toString();
        }

        private static String name(io.cloudwarden.model.Cloud c) {
            return switch (c) {
                case AWS -> "AWS";
                case AZURE -> "Azure";
                case GCP -> "GCP";
            };
        }

        /** A step of non-scan work: "applying fixes 2/5". */
        void step(String what, int done, int total) {
            show(what + " " + done + "/" + total);
            if (done >= total) {
                clear();
            }
        }

        private synchronized void show(String text) {
            last = text;
            if (enabled) {
                sink.print("\r\033[K" + text);
                sink.flush();
            }
        }

        synchronized void clear() {
            if (enabled && !last.isEmpty()) {
                sink.print("\r\033[K");
                sink.flush();
            }
            last = "";
        }

        /** The last line shown (also when disabled): what a terminal would show now. */
        synchronized String last() {
            return last;
        }
    }
}
