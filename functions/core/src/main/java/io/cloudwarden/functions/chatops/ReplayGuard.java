package io.cloudwarden.functions.chatops;

import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.ModelJson;
import java.time.Clock;

/**
 * Refuses a signature seen before, across function instances: each verified signature is claimed once in the state
 * store's idempotency ledger ({@link StateRepository#claimOnce}). Only a hash of the signature is used as the key and
 * nothing of it is stored in the record. Slack signatures older than the 5-minute window are refused by the
 * timestamp check anyway, so remembering them longer is harmless.
 */
public final class ReplayGuard {
    private final StateRepository repository;
    private final Clock clock;

    public ReplayGuard(StateRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** @throws SignatureException when this platform's signature was already used */
    public void claim(String platform, String signature) {
        String key = "chatops:" + platform + ":" + Hashing.sha256Hex(signature);
        boolean first = repository.claimOnce(key, ModelJson.mapper().createObjectNode().put("platform", platform)
                .put("seenAt", clock.instant().toString()));
        if (!first) {
            throw new SignatureException("replayed request: this signature was already used");
        }
    }
}
