package io.cloudwarden.provider.gcp.kms.key;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.kms.v1.CryptoKey;
import com.google.protobuf.Duration;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code kms.key/enable-rotation}: sets a crypto key's {@code rotationPeriod} to {@link #PERIOD_DAYS} days with
 * {@code nextRotationTime} one period from apply time (KMS requires both together), via {@code UpdateCryptoKey}
 * with an update mask. Keys already rotating at most every 90 days are left alone.
 */
public final class KmsSetRotation implements Remediator {
    public static final int PERIOD_DAYS = 90;
    private final Clock clock;

    public KmsSetRotation() {
        this(Clock.systemUTC());
    }

    public KmsSetRotation(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String actionId() {
        return "kms.key/enable-rotation";
    }

    @Override
    public String appliesTo() {
        return ResourceTypes.KMS_KEY;
    }

    @Override
    public List<String> permissions() {
        return List.of("cloudkms.cryptoKeys.update");
    }

    @Override
    public RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.LOW;
    }

    @Override
    public String description() {
        return "Set a " + PERIOD_DAYS + "-day automatic rotation period on a Cloud KMS key";
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        var a = current.attributes();
        boolean ok = a.path(Attributes.KmsKey.ROTATION_ENABLED).asBoolean(false) && a.path(Attributes.KmsKey.ROTATION_PERIOD_DAYS).isNumber()
                && a.path(Attributes.KmsKey.ROTATION_PERIOD_DAYS).asLong() <= PERIOD_DAYS;
        if (ok) {
            return Optional.empty();
        }
        ObjectNode before = ModelJson.mapper().createObjectNode();
        before.set(Attributes.KmsKey.ROTATION_ENABLED, a.path(Attributes.KmsKey.ROTATION_ENABLED).deepCopy());
        before.set(Attributes.KmsKey.ROTATION_PERIOD_DAYS, a.path(Attributes.KmsKey.ROTATION_PERIOD_DAYS).isMissingNode()
                ? ModelJson.mapper().nullNode() : a.get(Attributes.KmsKey.ROTATION_PERIOD_DAYS).deepCopy());
        ObjectNode after = ModelJson.mapper().createObjectNode().put(Attributes.KmsKey.ROTATION_ENABLED, true)
                .put(Attributes.KmsKey.ROTATION_PERIOD_DAYS, PERIOD_DAYS);
        ObjectNode params = ModelJson.mapper().createObjectNode().put("cryptoKey", GcpIds.relative(current.id()))
                .put("rotationPeriodSeconds", PERIOD_DAYS * 86_400);
        return Optional.of(new PlannedChange("Rotate " + GcpIds.last(current.id()) + " every " + PERIOD_DAYS
                + " days", before, after, params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        String name = plan.params().path("cryptoKey").asText("");
        long seconds = plan.params().path("rotationPeriodSeconds").asLong(0);
        if (!name.matches("projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+") || seconds <= 0) {
            throw new IllegalArgumentException("plan.params: expected cryptoKey projects/P/locations/L/keyRings/R/"
                    + "cryptoKeys/K and a positive rotationPeriodSeconds");
        }
        long next = clock.instant().getEpochSecond() + seconds;
        CryptoKey key = CryptoKey.newBuilder().setName(name)
                .setRotationPeriod(Duration.newBuilder().setSeconds(seconds))
                .setNextRotationTime(Timestamp.newBuilder().setSeconds(next))
                .build();
        try {
            ((GcpSession) session).kms().updateCryptoKey(key,
                    FieldMask.newBuilder().addPaths("rotation_period").addPaths("next_rotation_time").build());
        } catch (RuntimeException e) {
            throw GcpErrors.map("cloudkms:UpdateCryptoKey(" + name + ")", e);
        }
    }
}
