package io.cloudwarden.provider.aws.identity.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.AwsType;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.events.CloudTrailEventParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code identity.user} on AWS: IAM users. An event that names only the user builds
 * {@code arn:aws:iam::ACCOUNT:user/NAME} (a user with a path gets its real ARN from the event-driven fetch).
 */
public final class IdentityUser implements AwsType {
    private static final String IAM = "iam.amazonaws.com";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.IDENTITY_USER, "AWS::IAM::User", Scope.GLOBAL,
                Set.of(Capability.LIST, Capability.FETCH), UserCollector.PERMISSIONS, new UserCollector(),
                new UserNormalizer());
    }

    @Override
    public List<Call> cloudTrailCalls() {
        List<Call> calls = new ArrayList<>(Call.changes(IAM, "CreateUser", "UpdateUser", "AttachUserPolicy",
                "DetachUserPolicy", "PutUserPolicy", "DeleteUserPolicy", "CreateLoginProfile", "UpdateLoginProfile",
                "DeleteLoginProfile", "EnableMFADevice", "DeactivateMFADevice", "AddUserToGroup",
                "RemoveUserFromGroup", "TagUser", "UntagUser"));
        calls.add(Call.deletion(IAM, "DeleteUser"));
        return calls;
    }

    @Override
    public List<String> idsOf(CallContext call) {
        return List.of(Json.text(call.response(), "user", "arn").orElseGet(() -> "arn:aws:iam::" + call.account()
                + ":user/" + CloudTrailEventParser.requiredText(call.request(), "userName",
                        "/detail/requestParameters/userName")));
    }

    @Override
    public Optional<String> idOfConfigItem(JsonNode item, String account, String region) {
        return Optional.of(Json.text(item, "ARN").or(() -> Json.text(item, "arn"))
                .orElseGet(() -> "arn:aws:iam::" + account + ":user/" + Json.text(item, "resourceName")
                        .orElse(Json.text(item, "resourceId").orElse(""))));
    }

    @Override
    public boolean global() {
        return true;
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new Remediators.Tag(ResourceTypes.IDENTITY_USER, List.of("iam:TagUser")));
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("aws_iam_user");
    }

    /** hashicorp/aws docs, r/iam_user "Import": "import IAM Users using the name". */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("aws_iam_user",
                AwsType.lastSegment(observed.id()));
    }
}
