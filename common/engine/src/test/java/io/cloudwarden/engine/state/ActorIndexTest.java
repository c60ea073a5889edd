package io.cloudwarden.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.state.ActorIndex.LastChange;
import io.cloudwarden.engine.state.StateRepository.ResourceUpdate;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actors ride in the events' updates, are read over the folded document and folded when the updates are. */
class ActorIndexTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final ResourceRef SITE = new ResourceRef(Cloud.AWS, "111122223333", "us-east-1", "storage.bucket",
            "arn:aws:s3:::site");
    static final ResourceRef LOGS = new ResourceRef(Cloud.AWS, "111122223333", "us-east-1", "storage.bucket",
            "arn:aws:s3:::logs");

    @TempDir
    Path dir;

    static LastChange change(String who, String eventId, Instant at) {
        return new LastChange(new Actor("user", who, who, ""), "PutBucketPolicy", eventId, at);
    }

    @Test
    void aDocumentWrittenPerEventByTheOlderLayoutIsReadWithThePendingUpdatesOverItAndFoldedOnCompaction()
            throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        StateRepository repo = new StateRepository(store);
        repo.saveSnapshot(Snapshot.of(T0, List.of(), List.of()));
        // actors/latest.json as the previous version rewrote it on every event
        String old = "{\n  \"resources\" : {\n    \"" + LOGS.matchKey() + "\" : {\n      \"actor\" : "
                + new String(io.cloudwarden.model.ModelJson.mapper().writeValueAsBytes(new Actor("user", "alice", "alice", "")),
                        StandardCharsets.UTF_8)
                + ",\n      \"action\" : \"DeleteBucketPolicy\",\n      \"eventId\" : \"e-old\",\n      \"time\" : \""
                + T0.plusSeconds(5) + "\"\n    }\n  }\n}";
        store.put(ActorIndex.KEY, old.getBytes(StandardCharsets.UTF_8), Precondition.NONE);
        repo.recordUpdate(ResourceUpdate.deleted(SITE, T0.plusSeconds(10), "e-1")
                .withLastChange(change("mallory", "e-1", T0.plusSeconds(9))));
        repo.recordUpdate(ResourceUpdate.deleted(SITE, T0.plusSeconds(20), "e-2")); // no actor named
        repo.recordUpdate(ResourceUpdate.deleted(LOGS, T0.plusSeconds(30), "e-late")
                .withLastChange(change("bob", "e-late", T0.plusSeconds(1)))); // an older event, delivered late

        ActorIndex index = new ActorIndex(repo);
        assertThat(index.actors()).hasSize(2);
        assertThat(index.actors().get(SITE.matchKey()).name()).as("from a superseded update").isEqualTo("mallory");
        assertThat(index.actors().get(LOGS.matchKey()).name()).as("the newer event wins").isEqualTo("alice");

        repo.compact();
        assertThat(repo.pendingUpdates()).isEmpty();
        assertThat(index.changes().get(SITE.matchKey()).eventId()).isEqualTo("e-1");
        assertThat(index.actors().get(LOGS.matchKey()).name()).isEqualTo("alice");
    }

    @Test
    void refoldingAChangeAlreadyFoldedWritesNothing() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        StateRepository repo = new StateRepository(store);
        ResourceUpdate u = ResourceUpdate.deleted(SITE, T0, "e-1").withLastChange(change("mallory", "e-1", T0));
        new ActorIndex(repo).fold(List.of(u));
        String version = store.version(ActorIndex.KEY).orElseThrow();
        new ActorIndex(repo).fold(List.of(u)); // a compaction killed before deleting the update folds it again
        assertThat(store.version(ActorIndex.KEY)).contains(version);
    }
}
