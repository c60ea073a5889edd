package io.cloudwarden.provider.aws.identity.user;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.ParallelReads;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.SdkJson;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.User;

/**
 * IAM users of one account with what {@code identity.user} needs: MFA devices, login profile, attached and inline
 * policies of the user and of its groups. Customer-managed policy documents are read once per scan (default
 * version) and cached; AWS-managed policies are judged by ARN ({@code AdministratorAccess}) only.
 */
public final class UserCollector implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("iam:ListUsers", "iam:GetUser", "iam:ListMFADevices",
            "iam:GetLoginProfile", "iam:ListAttachedUserPolicies", "iam:ListUserPolicies", "iam:GetUserPolicy",
            "iam:ListGroupsForUser", "iam:ListAttachedGroupPolicies", "iam:ListGroupPolicies", "iam:GetGroupPolicy",
            "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListUserTags");

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AwsSession s = (AwsSession) session;
        IamClient iam = s.iam(shard.account());
        Map<String, String> policyDocs = new ConcurrentHashMap<>();
        // Users' details (MFA, login profile, policies, groups) are read concurrently within the account's IAM quota.
        AwsCalls.run("iam:ListUsers", () -> ParallelReads.forEachOrdered(iam.listUsersPaginator().users(),
                s.readLimiter("iam", shard.account(), Shard.GLOBAL), u -> read(iam, shard.account(), u, policyDocs),
                sink));
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        IamClient iam = ((AwsSession) session).iam(ref.account());
        String name = ref.id().substring(ref.id().lastIndexOf('/') + 1);
        return AwsCalls.callOptional("iam:GetUser", Set.of("NoSuchEntity"), () -> iam.getUser(r -> r.userName(name)).user())
                .map(u -> read(iam, ref.account(), u, new ConcurrentHashMap<>()));
    }

    private NativeItem read(IamClient iam, String account, User u, Map<String, String> policyDocs) {
        String name = u.userName();
        ObjectNode j = SdkJson.toJson(u);
        ArrayNode mfa = j.putArray("MFADevices");
        AwsCalls.run("iam:ListMFADevices", () -> iam.listMFADevicesPaginator(r -> r.userName(name)).mfaDevices()
                .forEach(d -> mfa.add(SdkJson.toJson(d))));
        AwsCalls.callOptional("iam:GetLoginProfile", Set.of("NoSuchEntity"),
                () -> iam.getLoginProfile(r -> r.userName(name)).loginProfile())
                .ifPresent(p -> j.set("LoginProfile", SdkJson.toJson(p)));
        ArrayNode tags = j.putArray("Tags");
        AwsCalls.run("iam:ListUserTags", () -> iam.listUserTagsPaginator(r -> r.userName(name)).tags()
                .forEach(t -> tags.add(SdkJson.toJson(t))));
        ArrayNode attached = j.putArray("AttachedPolicies");
        AwsCalls.run("iam:ListAttachedUserPolicies", () -> iam.listAttachedUserPoliciesPaginator(r -> r.userName(name))
                .attachedPolicies().forEach(p -> attached.add(attachedPolicy(iam, p, policyDocs))));
        ArrayNode inline = j.putArray("InlinePolicies");
        AwsCalls.run("iam:ListUserPolicies", () -> iam.listUserPoliciesPaginator(r -> r.userName(name)).policyNames()
                .forEach(pn -> {
                    ObjectNode p = inline.addObject();
                    p.put("PolicyName", pn);
                    p.put("PolicyDocument", AwsCalls.call("iam:GetUserPolicy",
                            () -> iam.getUserPolicy(r -> r.userName(name).policyName(pn)).policyDocument()));
                }));
        ArrayNode groups = j.putArray("Groups");
        AwsCalls.run("iam:ListGroupsForUser", () -> {
            for (Group g : iam.listGroupsForUserPaginator(r -> r.userName(name)).groups()) {
                ObjectNode gj = groups.addObject();
                gj.put("GroupName", g.groupName());
                gj.put("Arn", g.arn());
                ArrayNode ga = gj.putArray("AttachedPolicies");
                AwsCalls.run("iam:ListAttachedGroupPolicies", () -> iam.listAttachedGroupPoliciesPaginator(
                        r -> r.groupName(g.groupName())).attachedPolicies()
                        .forEach(p -> ga.add(attachedPolicy(iam, p, policyDocs))));
                ArrayNode gi = gj.putArray("InlinePolicies");
                AwsCalls.run("iam:ListGroupPolicies", () -> iam.listGroupPoliciesPaginator(
                        r -> r.groupName(g.groupName())).policyNames().forEach(pn -> {
                            ObjectNode p = gi.addObject();
                            p.put("PolicyName", pn);
                            p.put("PolicyDocument", AwsCalls.call("iam:GetGroupPolicy", () -> iam.getGroupPolicy(
                                    r -> r.groupName(g.groupName()).policyName(pn)).policyDocument()));
                        }));
            }
        });
        return new NativeItem(u.arn(), account, Shard.GLOBAL, j);
    }

    private static ObjectNode attachedPolicy(IamClient iam, AttachedPolicy p, Map<String, String> docs) {
        ObjectNode out = SdkJson.toJson(p);
        if (!p.policyArn().startsWith("arn:aws:iam::aws:policy/")) {
            String doc = docs.computeIfAbsent(p.policyArn(), arn -> {
                String version = AwsCalls.call("iam:GetPolicy",
                        () -> iam.getPolicy(r -> r.policyArn(arn)).policy().defaultVersionId());
                return AwsCalls.call("iam:GetPolicyVersion", () -> iam.getPolicyVersion(
                        r -> r.policyArn(arn).versionId(version)).policyVersion().document());
            });
            out.put("PolicyDocument", doc);
        }
        return out;
    }

    static boolean isAdmin(com.fasterxml.jackson.databind.JsonNode j) {
        if (policiesAdmin(j)) {
            return true;
        }
        for (var g : Json.array(j, "Groups")) {
            if (policiesAdmin(g)) {
                return true;
            }
        }
        return false;
    }

    private static boolean policiesAdmin(com.fasterxml.jackson.databind.JsonNode j) {
        for (var p : Json.array(j, "AttachedPolicies")) {
            if (IamPolicies.ADMINISTRATOR_ACCESS.equals(Json.text(p, "PolicyArn").orElse(""))) {
                return true;
            }
            if (Json.text(p, "PolicyDocument").map(IamPolicies::parse).map(IamPolicies::grantsFullAdmin)
                    .orElse(false)) {
                return true;
            }
        }
        for (var p : Json.array(j, "InlinePolicies")) {
            if (Json.text(p, "PolicyDocument").map(IamPolicies::parse).map(IamPolicies::grantsFullAdmin)
                    .orElse(false)) {
                return true;
            }
        }
        return false;
    }
}
