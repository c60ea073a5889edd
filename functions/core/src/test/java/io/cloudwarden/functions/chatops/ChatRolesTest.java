package io.cloudwarden.functions.chatops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRolesTest {
    private final ChatIdentity alice = new ChatIdentity("slack", "T1", "U1", "alice", "C1");
    private final ChatIdentity bob = new ChatIdentity("slack", "T2", "U1", "bob", "C1");

    @Test
    void workspaceQualifiedEntriesMatchOnlyThatWorkspace() {
        ChatRoles roles = ChatRoles.from(CoreConfig.of(Map.of("cloudwarden.chatops.roles.approver", "slack:T1:U1")));
        assertThat(roles.rolesOf(alice)).containsExactly(Role.APPROVER);
        assertThat(roles.rolesOf(bob)).isEmpty();
    }

    @Test
    void bareUserEntriesMatchAnyWorkspaceOfThatPlatform() {
        ChatRoles roles = ChatRoles.from(CoreConfig.of(Map.of("cloudwarden.chatops.roles.operator", " slack:U1 ")));
        assertThat(roles.allows(bob, Role.OPERATOR)).isTrue();
        assertThat(roles.allows(new ChatIdentity("teams", "T1", "U1", "", ""), Role.VIEWER)).isFalse();
    }

    @Test
    void everyRoleMayViewAdminMayDoAllOthersOnlyTheirOwn() {
        assertThat(Role.OPERATOR.grants(Role.VIEWER)).isTrue();
        assertThat(Role.APPROVER.grants(Role.VIEWER)).isTrue();
        assertThat(Role.OPERATOR.grants(Role.APPROVER)).isFalse();
        assertThat(Role.APPROVER.grants(Role.OPERATOR)).isFalse();
        assertThat(Role.VIEWER.grants(Role.OPERATOR)).isFalse();
        assertThat(Role.ADMIN.grants(Role.APPROVER)).isTrue();
        assertThat(Role.ADMIN.grants(Role.OPERATOR)).isTrue();
    }

    @Test
    void unknownUsersGetNothingByDefaultOrViewerWhenConfigured() {
        assertThat(ChatRoles.from(CoreConfig.of(Map.of())).rolesOf(alice)).isEmpty();
        assertThat(ChatRoles.from(CoreConfig.of(Map.of("cloudwarden.chatops.default-role", "viewer")))
                .rolesOf(alice)).containsExactly(Role.VIEWER);
    }

    @Test
    void environmentVariablesMapOntoTheRoleKeys() {
        ChatRoles roles = ChatRoles.from(CoreConfig.fromEnvironment(Map.of(), Map.of(
                "CLOUDWARDEN_CHATOPS_ROLES_APPROVER", "slack:T1:U1", "CLOUDWARDEN_CHATOPS_DEFAULT_ROLE", "viewer")));
        assertThat(roles.rolesOf(alice)).containsExactly(Role.APPROVER);
        assertThat(roles.rolesOf(bob)).containsExactly(Role.VIEWER);
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertThatThrownBy(() -> ChatRoles.from(CoreConfig.of(Map.of("cloudwarden.chatops.default-role", "admin"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cloudwarden.chatops.default-role")
                .hasMessageContaining("viewer or none");
        assertThatThrownBy(() -> ChatRoles.from(CoreConfig.of(Map.of("cloudwarden.chatops.roles.superuser", "x"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cloudwarden.chatops.roles.superuser");
    }
}
