package io.cloudwarden.app.gcp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(GoogleApis.class)
class HealthTest {
    @Test
    void healthIsUpAndSaysNothingAboutTheDeployment() {
        given().get("/q/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("state"))
                .body("checks.find { it.name == 'state' }.data", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void unknownRoutesAnswer404AndScanRoutesToTheCore() {
        given().post("/nowhere").then().statusCode(404);
        given().contentType("application/json").body("{\"types\": [\"storage.nothing\"]}").post("/scan")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("types"));
    }
}
