package io.cloudwarden.app.aws;

import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ForwardingProvider;
import io.cloudwarden.provider.aws.events.CloudTrailEventParser;
import java.util.List;
import java.util.Optional;

/**
 * The AWS provider with its CloudTrail parser constructed with Cloudwarden's remediation role, so events made by
 * that role (our own fixes) are ignored instead of re-triggering detection. Everything else is delegated. The
 * provider's SPI has no configuration hook for event parsers, hence this wrapper.
 */
final class LoopGuardedAwsProvider extends ForwardingProvider {
    private final List<EventParser> parsers;

    LoopGuardedAwsProvider(CloudProvider delegate, String remediationRoleArn) {
        super(delegate);
        this.parsers = List.of(new CloudTrailEventParser(Optional.of(remediationRoleArn)));
    }

    @Override
    public List<EventParser> eventParsers() {
        return parsers;
    }
}
