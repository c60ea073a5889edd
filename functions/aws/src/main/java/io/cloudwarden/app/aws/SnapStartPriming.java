package io.cloudwarden.app.aws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.schema.ResourceValidator;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.jboss.logging.Logger;

/**
 * Lambda SnapStart priming: before Lambda takes the snapshot of an initialized execution environment (the published
 * version's init, {@code infra/aws} {@code snap_start}), builds what the first invocation would otherwise build on
 * the clock — the configuration (secrets from their ARNs), the core runtime with the compiled built-in CEL pack, the
 * AWS session and its SDK clients' classes, the JSON Schemas of every normalized type — and runs the rule pack once
 * per type, so the restored environment starts with those classes loaded, initialized and partly compiled.
 *
 * <p>No cloud API call is made for the estate (no state read, no resource read): a snapshot must not hold data that
 * can change before it is restored. Outside SnapStart (the JVM runtime without it, tests, the local bench) the hook
 * is registered but never called, so nothing is built before the first invocation asks for it.
 */
@Startup
@ApplicationScoped
public class SnapStartPriming implements org.crac.Resource {
    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);

    @Inject
    Instance<AwsFunctions> functions;
    @Inject
    Instance<Cloudwarden> runtime;

    @PostConstruct
    void register() {
        // the global context holds resources weakly: this bean (application scoped) keeps itself reachable
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends org.crac.Resource> context) {
        long t0 = System.nanoTime();
        prime();
        LOG.infof("SnapStart priming done in %d ms", (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends org.crac.Resource> context) {
        // nothing to refresh: no credentials, connections or estate data were captured by prime()
    }

    /** Builds and exercises what an invocation needs; package-private for the test that checks it needs no API. */
    void prime() {
        functions.get(); // configuration, runtime (state store client, compiled CEL pack), gateway, chat-ops routes
        Cloudwarden cw = runtime.get();
        cw.session(Cloud.AWS); // the SDK clients are built on their first call; their classes load here
        Instant now = cw.clock().instant();
        for (String type : ResourceTypes.ALL) {
            ResourceValidator.validateAttributes(type, JsonNodeFactory.instance.objectNode()); // compiles the schema
            Resource sample = new Resource(Cloud.AWS, "000000000000", "us-east-1", type, "priming:" + type,
                    "priming", type, Map.of(), JsonNodeFactory.instance.objectNode(), null, now);
            cw.policies().evaluate(sample); // a type's rules over an empty resource: every condition runs once
        }
        ModelJson.mapper().valueToTree(Map.of("priming", now.toString()));
    }
}
