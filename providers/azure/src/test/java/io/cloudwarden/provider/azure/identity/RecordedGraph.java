package io.cloudwarden.provider.azure.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.cloudwarden.provider.azure.RecordedArm;

/**
 * The recorded Microsoft Graph tenant, served by the same HTTPS WireMock as ARM: under an endpoint override Graph's
 * root is {@code <endpoint>/graph}, so every Graph path here starts with {@value #ROOT}.
 */
public final class RecordedGraph {
    public static final String ROOT = "/graph/v1.0";
    public static final String TENANT = "7d3f2a1b-4c5e-4f60-8a9b-0c1d2e3f4a5b";
    static final String ALICE = "3f6c1a2e-8b4d-4e7a-9c10-5d2e8f7a6b41";
    static final String BOB = "a1b2c3d4-1111-4a2b-8c3d-222233334444";
    static final String CAROL = "c0ffee00-2222-4b3c-9d4e-555566667777";
    static final String DAVE = "d4e5f6a7-3333-4c4d-8e5f-888899990000";
    static final String DEPLOYER_SP = "e1f2a3b4-5555-4e6f-8a7b-ccccddddeeee";
    static final String MANAGED_IDENTITY = "f2a3b4c5-7777-4f80-9b1c-ddddeeeeffff";
    static final String DEPLOYER_APP = "1a2b3c4d-9999-4e5f-8a6b-7c8d9e0f1a2b";
    static final String DEPLOYER_APP_ID = "0f1e2d3c-6666-4b5a-9c8d-111122223333";
    static final String LEGACY_APP = "2b3c4d5e-aaaa-4f60-9b7c-8d9e0f1a2b3c";
    static final String GA_ROLE = "5b1d0d1e-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
    static final String PRA_ROLE = "6c2e1f2a-7b8c-4d9e-8f10-2b3c4d5e6f70";
    static final String TIER0_GROUP = "9a8b7c6d-4444-4d5e-9f60-aaaabbbbcccc";

    private RecordedGraph() {
    }

    static MappingBuilder graphGet(String path) {
        return get(urlPathEqualTo(ROOT + path));
    }

    /** The whole recorded tenant on an ARM recording server. */
    public static RecordedArm tenant(RecordedArm arm) {
        arm.json(graphGet("/organization"), "graph/organization.json");
        arm.json(graphGet("/directoryRoles"), "graph/directoryRoles.json");
        arm.json(graphGet("/directoryRoles/" + GA_ROLE + "/members"), "graph/role-global-admin-members.json");
        arm.json(graphGet("/directoryRoles/" + PRA_ROLE + "/members"),
                "graph/role-privileged-role-admin-members.json");
        arm.json(graphGet("/groups/" + TIER0_GROUP + "/transitiveMembers"),
                "graph/group-tier0-transitive-members.json");
        arm.json(graphGet("/users").withQueryParam("$skiptoken", containing("RFNwdAIAAQAAACM6")),
                "graph/users-page2.json");
        arm.server.stubFor(graphGet("/users").atPriority(10).willReturn(ok("graph/users-page1.json")));
        arm.json(graphGet("/reports/authenticationMethods/userRegistrationDetails"),
                "graph/userRegistrationDetails.json");
        arm.json(graphGet("/servicePrincipals"), "graph/servicePrincipals.json");
        arm.json(graphGet("/applications").withQueryParam("$skiptoken", containing("RFNwdAoAAQAAAAAA")),
                "graph/applications-page2.json");
        arm.server.stubFor(graphGet("/applications").atPriority(10).willReturn(ok("graph/applications-page1.json")));
        return arm;
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(String fixture) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(RecordedArm.fixture(fixture));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(int status, String fixture) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(RecordedArm.fixture(fixture));
    }
}
