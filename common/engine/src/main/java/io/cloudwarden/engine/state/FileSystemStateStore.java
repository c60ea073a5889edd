package io.cloudwarden.engine.state;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A {@link StateStore} in a local directory ({@code --state-dir}). Keys are relative {@code /}-separated paths
 * below the root; absolute keys, {@code .}/{@code ..} and empty segments, backslashes, colons (not portable to
 * Windows file names) and the store's own reserved names are rejected.
 *
 * <p><b>Atomicity.</b> A write goes to a temp file in the target's directory, is fsynced, then renamed over the
 * target with {@code ATOMIC_MOVE}: a reader sees the old or the new bytes, and a crash mid-write leaves at worst a
 * stray temp file, never a truncated object. Temp files ({@code .cw-tmp-*}) are invisible to {@link #list} and are
 * swept under the lock (when no writer can be using them).
 *
 * <p><b>Conditional writes.</b> The version token is the SHA-256 of the content, so it survives restarts and is the
 * same for every process. IF_ABSENT / IF_MATCH are checked and applied under an exclusive {@link FileLock} on
 * {@code <root>/.lock} (cross-process) taken while holding an in-JVM lock: file locks are held per JVM, so two
 * threads of one JVM must be serialized by the JVM lock first (the in-JVM lock is shared by every store on the
 * same directory). Reads take no lock: rename makes them safe.
 */
public final class FileSystemStateStore implements StateStore {
    static final String LOCK_FILE = ".lock";
    static final String TEMP_PREFIX = ".cw-tmp-";
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    /** Content hashes of files already read, by path, valid while the file's stamp is unchanged (see version). */
    private static final ConcurrentHashMap<Path, Stamp> VERSIONS = new ConcurrentHashMap<>();

    private final Path root;
    private final ReentrantLock jvmLock;
    private volatile boolean swept;

    public FileSystemStateStore(Path root) {
        // Opening a store writes nothing: readers (check, audit verify, drift) work on a read-only directory, e.g. an
        // archived trail. The directory is created, and stale temp files swept, by the first write, under the lock.
        this.root = canonical(root);
        this.jvmLock = JVM_LOCKS.computeIfAbsent(this.root, p -> new ReentrantLock());
    }

    /**
     * The real path of {@code root} when it exists, else the real path of its nearest existing ancestor with the
     * rest appended (so every store on one directory shares one JVM lock before and after it is created).
     */
    private static Path canonical(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing == null) {
                return abs;
            }
            if (existing.equals(abs) && !Files.isDirectory(abs)) {
                throw new StateStoreException("state directory " + root + ": exists and is not a directory");
            }
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            throw new StateStoreException("state directory " + root + ": " + reason(e), e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        Path file = resolve(key);
        try {
            byte[] data = Files.readAllBytes(file);
            return Optional.of(new StoredObject(key, data, version(data)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String put(String key, byte[] data, Precondition precondition) {
        Path target = resolve(key);
        Precondition pre = precondition == null ? Precondition.NONE : precondition;
        return withLock(() -> {
            check(key, target, pre);
            Path dir = target.getParent();
            Files.createDirectories(dir);
            // no per-write sweep of the directory: it listed every entry on every write (15,625 audit segments at
            // 1,000,000 records made an append 5x slower); orphans of a crashed writer are swept by the first write
            // of each process (withLock), which is enough to keep them from piling up
            Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + "-" + target.getFileName());
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(data);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new StateStoreException(describe() + ": the file system does not support atomic renames;"
                            + " cannot write " + key + " safely", e);
                }
                fsyncDirectory(dir);
            } finally {
                Files.deleteIfExists(tmp);
            }
            String version = version(data);
            BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class);
            if (attrs.fileKey() != null) {
                VERSIONS.put(target, Stamp.of(attrs).withVersion(version));
            }
            return version;
        });
    }

    @Override
    public void delete(String key) {
        Path target = resolve(key);
        withLock(() -> {
            VERSIONS.remove(target);
            if (Files.deleteIfExists(target)) {
                fsyncDirectory(target.getParent());
            }
            return null;
        });
    }

    /**
     * The content hash without re-reading the bytes when the file is the one last hashed: every write renames a new
     * file over the key, so an unchanged file key (inode), size and modification time mean unchanged content.
     */
    @Override
    public Optional<String> version(String key) {
        Path file = resolve(key);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            Stamp stamp = Stamp.of(attrs);
            Stamp known = VERSIONS.get(file);
            if (attrs.fileKey() != null && known != null && known.sameFile(stamp)) {
                return Optional.of(known.version());
            }
            Optional<StoredObject> read = get(key);
            read.ifPresent(o -> VERSIONS.put(file, stamp.withVersion(o.version())));
            return read.map(StoredObject::version);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * What identifies one written file: its file key (inode), size and modification time (as precise as the file
     * system keeps it). A file key can be reused only after its file is gone, and a reused one would also need the
     * same size and time stamp; writes through this JVM refresh the entry anyway (see {@link #put}).
     */
    private record Stamp(String fileKey, long size, java.time.Instant modified, String version) {
        static Stamp of(BasicFileAttributes attrs) {
            return new Stamp(String.valueOf(attrs.fileKey()), attrs.size(), attrs.lastModifiedTime().toInstant(), "");
        }

        boolean sameFile(Stamp other) {
            return fileKey.equals(other.fileKey) && size == other.size && modified.equals(other.modified);
        }

        Stamp withVersion(String v) {
            return new Stamp(fileKey, size, modified, v);
        }
    }

    @Override
    public List<String> list(String prefix) {
        String p = prefix == null ? "" : prefix;
        List<String> keys = new ArrayList<>();
        // Walk only the deepest directory the prefix names (snapshots/updates/ rather than the whole state tree).
        Path start = p.contains("/") ? root.resolve(p.substring(0, p.lastIndexOf('/'))).normalize() : root;
        if (!start.startsWith(root) || !Files.isDirectory(start)) {
            return keys;
        }
        try {
            // walkFileTree rather than Files.walk: a temp file renamed away by a concurrent writer between the
            // directory read and its attribute read must be skipped, not abort the listing.
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    String name = f.getFileName().toString();
                    if (attrs.isRegularFile() && !name.startsWith(TEMP_PREFIX)) {
                        String key = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                        if (!key.equals(LOCK_FILE) && key.startsWith(p)) {
                            keys.add(key);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot list " + p + ": " + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    static String version(byte[] data) {
        return Hashing.sha256Hex(data);
    }

    private void check(String key, Path target, Precondition pre) throws IOException {
        switch (pre.kind()) {
            case NONE -> {
            }
            case IF_ABSENT -> {
                if (Files.exists(target)) {
                    throw new PreconditionFailedException(key, "already exists (IF_ABSENT)");
                }
            }
            case IF_MATCH -> {
                if (!Files.exists(target)) {
                    throw new PreconditionFailedException(key, "does not exist (IF_MATCH " + pre.version() + ")");
                }
                String current = version(Files.readAllBytes(target));
                if (!current.equals(pre.version())) {
                    throw new PreconditionFailedException(key, "changed since it was read (IF_MATCH)");
                }
            }
        }
    }

    private Path resolve(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("state key: expected a relative path like 'snapshots/latest.json' "
                    + "but was empty");
        }
        if (key.startsWith("/") || key.contains("\\") || key.contains(":") || key.endsWith("/")) {
            throw new IllegalArgumentException("state key: expected a relative '/'-separated path but was '" + key + "'");
        }
        for (String seg : key.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.startsWith(TEMP_PREFIX)) {
                throw new IllegalArgumentException("state key: segment '" + seg + "' is not allowed in '" + key + "'");
            }
        }
        if (key.equals(LOCK_FILE)) {
            throw new IllegalArgumentException("state key: '" + LOCK_FILE + "' is reserved");
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("state key: '" + key + "' escapes the state directory");
        }
        return p;
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T withLock(IoAction<T> action) {
        jvmLock.lock();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            jvmLock.unlock();
            throw new StateStoreException(describe() + ": cannot create the state directory (" + reason(e) + ")", e);
        }
        try (FileChannel ch = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            if (!swept) {
                sweepTemps(root);
                swept = true;
            }
            return action.run();
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot write (" + reason(e) + ")", e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** The file system's reason for a failed operation, with the path it names. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + ": exists and is not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Deletes temp files left by crashed writers. Only called under the lock, when no writer can own them. */
    private static void sweepTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                if (f.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Makes the rename durable; not every platform can open a directory, which is fine (best effort). */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: Windows cannot open directories; the rename itself is still atomic
        }
    }
}
