package io.cloudwarden.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.engine.spi.ForwardingProvider;
import io.cloudwarden.testkit.InMemoryProvider;
import io.cloudwarden.testkit.InMemoryStateStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A core runtime over the in-memory provider, with a small event parser for the test envelope
 * {@code {"kind":"change","eventId","bucket","actor"}} / {@code {"kind":"tick","id"}}.
 */
final class CoreFixture {
    final InMemoryProvider provider = InMemoryProvider.aws();
    final InMemoryStateStore store = new InMemoryStateStore();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    Cloudwarden runtime(java.util.Map<String, String> config) {
        return new Cloudwarden(CoreConfig.of(config), ProviderRegistry.of(List.of(new WithParser(provider))), store,
                clock);
    }

    static class WithParser extends ForwardingProvider {
        WithParser(InMemoryProvider delegate) {
            super(delegate);
        }

        @Override
        public List<EventParser> eventParsers() {
            return List.of(new EventParser() {
                @Override
                public boolean accepts(JsonNode envelope) {
                    return envelope.has("kind");
                }

                @Override
                public ParsedEvents parse(JsonNode e) {
                    if ("tick".equals(e.path("kind").asText())) {
                        return ParsedEvents.schedule();
                    }
                    if (!e.hasNonNull("bucket")) {
                        throw new EventParseException("bucket", "missing");
                    }
                    if (e.path("failed").asBoolean()) {
                        return ParsedEvents.ignored("the call failed (errorCode present)");
                    }
                    String name = e.get("bucket").asText();
                    return ParsedEvents.of(List.of(new ResourceEvent(Cloud.AWS, "111122223333", "us-east-1",
                            "storage.bucket", "arn:aws:s3:::" + name, new Actor("user", e.path("actor").asText(),
                                    e.path("actor").asText(), ""), "PutBucketAcl", e.path("eventId").asText(),
                            Instant.parse("2026-11-23T09:59:00Z"), false)));
                }
            });
        }
    }
}
