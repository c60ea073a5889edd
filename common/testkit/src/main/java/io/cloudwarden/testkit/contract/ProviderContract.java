package io.cloudwarden.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.scan.ScanPipeline;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.ResourceValidator;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every cloud provider meets, run once per provider by one subclass in the provider's tests, over the
 * provider's recorded estate served by one {@link RecordedApiServer}:
 *
 * <ul>
 *   <li>the provider is found through {@link ServiceLoader}; every model type is described once or declared
 *       unsupported with a reason; read and change permissions have the cloud's form; remediators are unique, apply
 *       to a described type and say what they do;</li>
 *   <li>a scan of the estate through the engine's {@link ScanPipeline} yields resources of every described type,
 *       each valid against its type's JSON Schema ({@link ResourceValidator}) and with an id in the documented form
 *       ({@link CloudForms#id});</li>
 *   <li>the calls a type's collector makes are within the read permissions its descriptor declares: each request
 *       the server saw is mapped to the IAM action / Azure operation / GCP permission it needs
 *       ({@link #permissionOf});</li>
 *   <li>a listing served over two pages yields both pages' resources;</li>
 *   <li>a type whose API answers 403 or 500 fails its shards only: one {@link ScanError} per failed shard, no
 *       resource of the failed shards, every other type's resources as in a clean scan.</li>
 * </ul>
 */
public abstract class ProviderContract {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    protected RecordedApiServer api;
    private CloudProvider provider;
    private final List<ProviderSession> sessions = new ArrayList<>();

    /** The cloud whose provider this suite checks. */
    protected abstract Cloud cloud();

    /** The provider's configuration pointed at the recorded-API server (test credentials, fast retries). */
    protected abstract ProviderConfig config(URI endpoint);

    /** Stubs the recorded estate: resources of every type in {@link #typesInEstate()}, nothing failing. */
    protected abstract void stubEstate(RecordedApiServer api);

    /**
     * The permission a request the server saw needs: the IAM action ({@code s3:GetBucketPolicy}), Azure operation
     * ({@code Microsoft.Storage/storageAccounts/read}) or Microsoft Graph permission, or GCP permission
     * ({@code cloudasset.assets.listResource}). A request the mapping does not know is answered with a description
     * of it, which then fails the containment check with that description.
     */
    protected abstract String permissionOf(LoggedRequest request);

    /** A listing of the estate that the recorded API serves over two pages, and the ids each page holds. */
    protected abstract Paging paging();

    /** The type whose reads {@link #failReadsOf} makes fail. */
    protected abstract String failingType();

    /** Makes every listing of {@code type} answer {@code status} with the cloud's error body (above the estate). */
    protected abstract void failReadsOf(String type, int status, RecordedApiServer api);

    /** The server: plain HTTP by default; a provider whose clients need TLS overrides this. */
    protected RecordedApiServer startServer() {
        return RecordedApiServer.http();
    }

    /** The described types the recorded estate has resources of; all of them unless a provider says otherwise. */
    protected Set<String> typesInEstate() {
        return provider().descriptors().stream().map(ResourceDescriptor::type).collect(Collectors.toSet());
    }

    /**
     * @param type the normalized type listed over two pages
     * @param firstPage ids on the first page
     * @param secondPage ids only reachable through the first page's continuation token
     */
    public record Paging(String type, List<String> firstPage, List<String> secondPage) {
        public Paging {
            firstPage = List.copyOf(firstPage);
            secondPage = List.copyOf(secondPage);
        }
    }

    @BeforeEach
    void startRecordedApi() {
        api = startServer();
    }

    @AfterEach
    void stopRecordedApi() {
        sessions.forEach(ProviderSession::close);
        sessions.clear();
        api.close();
    }

    protected final CloudProvider provider() {
        if (provider == null) {
            provider = ServiceLoader.load(CloudProvider.class).stream().map(ServiceLoader.Provider::get)
                    .filter(p -> p.cloud() == cloud()).findFirst()
                    .orElseThrow(() -> new AssertionError("no CloudProvider for " + cloud() + " registered in "
                            + "META-INF/services/" + CloudProvider.class.getName()));
        }
        return provider;
    }

    /** Scans the estate (restricted to {@code types} when not empty) through the engine, as a scheduled scan does. */
    protected final Snapshot scan(Set<String> types) {
        ProviderSession session = provider().open(config(api.endpoint()));
        sessions.add(session);
        ScanPipeline pipeline = new ScanPipeline(ProviderRegistry.of(List.of(provider())), 4,
                Clock.fixed(NOW, ZoneOffset.UTC));
        return pipeline.scan(Map.of(cloud(), session), types, ScanListener.NONE);
    }

    private static Map<String, Set<String>> idsByType(Snapshot s) {
        return s.resources().stream().collect(Collectors.groupingBy(Resource::type, TreeMap::new,
                Collectors.mapping(Resource::id, Collectors.toCollection(TreeSet::new))));
    }

    @Test
    void theProviderIsFoundThroughServiceLoader() {
        assertThat(provider().cloud()).isEqualTo(cloud());
        assertThat(provider().eventParsers()).as("event parsers").isNotEmpty();
        assertThat(provider().baselineMapper().terraformTypes()).as("Terraform types").isNotEmpty();
    }

    @Test
    void everyModelTypeIsDescribedOnceOrDeclaredUnsupportedWithAReason() {
        List<String> described = provider().descriptors().stream().map(ResourceDescriptor::type).toList();
        assertThat(described).doesNotHaveDuplicates().allMatch(ResourceTypes::isKnown, "a model type");
        assertThat(provider().unsupportedTypes()).allSatisfy((type, reason) -> {
            assertThat(ResourceTypes.isKnown(type)).as(type).isTrue();
            assertThat(described).as("described and unsupported").doesNotContain(type);
            assertThat(reason).as(type).isNotBlank();
        });
        Set<String> covered = new HashSet<>(described);
        covered.addAll(provider().unsupportedTypes().keySet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        assertThat(provider().descriptors()).extracting(ResourceDescriptor::nativeType).doesNotHaveDuplicates();
    }

    @Test
    void everyDescriptorDeclaresReadPermissionsInTheCloudsForm() {
        Pattern form = CloudForms.readPermission(cloud());
        assertThat(provider().descriptors()).allSatisfy(d -> assertThat(d.readPermissions()).as(d.type())
                .isNotEmpty().doesNotHaveDuplicates().allMatch(p -> form.matcher(p).matches(), "form " + form));
    }

    @Test
    void remediatorsAreUniqueDescribedAndApplyToADescribedType() {
        Pattern form = CloudForms.changePermission(cloud());
        Set<String> described = provider().descriptors().stream().map(ResourceDescriptor::type)
                .collect(Collectors.toSet());
        List<Remediator> rs = provider().remediators();
        assertThat(rs).isNotEmpty().extracting(Remediator::actionId).doesNotHaveDuplicates();
        assertThat(rs).allSatisfy(r -> {
            assertThat(described).as(r.actionId()).contains(r.appliesTo());
            assertThat(r.actionId()).startsWith(r.appliesTo() + "/");
            assertThat(r.permissions()).as(r.actionId()).isNotEmpty()
                    .allMatch(p -> form.matcher(p).matches(), "form " + form);
            assertThat(r.description()).as(r.actionId()).isNotBlank();
        });
    }

    @Test
    void everyNormalizedResourceOfTheEstateValidatesAgainstItsTypesSchema() {
        stubEstate(api);

        Snapshot s = scan(Set.of());

        assertThat(s.errors()).as("a clean estate scans without errors").isEmpty();
        assertThat(idsByType(s).keySet()).as("types with resources").containsAll(typesInEstate());
        assertThat(s.resources()).allSatisfy(r -> {
            assertThat(r.cloud()).isEqualTo(cloud());
            assertThat(ResourceValidator.validate(r)).as(r.type() + " " + r.id()).isEmpty();
        });
    }

    @Test
    void everyIdHasTheDocumentedFormOfItsCloud() {
        stubEstate(api);
        Pattern form = CloudForms.id(cloud());

        Snapshot s = scan(Set.of());

        assertThat(s.resources()).isNotEmpty().allSatisfy(r -> assertThat(r.id()).as(r.type())
                .matches(form));
        assertThat(s.resources()).extracting(r -> r.type() + " " + r.id()).doesNotHaveDuplicates();
    }

    /** One test per described type: the requests its scan made, each mapped to a permission, within its own list. */
    @TestFactory
    Stream<DynamicTest> everyCollectorCallsOnlyWhatItsTypeDeclares() {
        return provider().descriptors().stream().filter(d -> typesInEstate().contains(d.type()))
                .map(d -> DynamicTest.dynamicTest(d.type(), () -> {
                    stubEstate(api);
                    api.forgetRequests();

                    Snapshot s = scan(Set.of(d.type()));

                    assertThat(s.errors()).as(d.type()).isEmpty();
                    List<LoggedRequest> seen = api.requests();
                    assertThat(seen).as("requests of " + d.type()).isNotEmpty();
                    Set<String> needed = new LinkedHashSet<>();
                    seen.forEach(r -> needed.add(permissionOf(r)));
                    assertThat(d.readPermissions()).as("the permissions " + d.type() + " declares")
                            .containsAll(needed);
                    api.wireMock().resetAll();
                }));
    }

    @Test
    void aListingOverTwoPagesYieldsBothPages() {
        Paging p = paging();
        stubEstate(api);

        Snapshot s = scan(Set.of(p.type()));

        assertThat(p.firstPage()).isNotEmpty();
        assertThat(p.secondPage()).isNotEmpty();
        assertThat(idsByType(s).getOrDefault(p.type(), Set.of())).containsAll(p.firstPage())
                .containsAll(p.secondPage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {403, 500})
    void aTypeWhoseApiFailsFailsItsShardsOnly(int status) {
        String failing = failingType();
        stubEstate(api);
        Snapshot clean = scan(Set.of());
        assertThat(idsByType(clean)).as("the failing type has resources in a clean scan").containsKey(failing);

        failReadsOf(failing, status, api);
        Snapshot failed = scan(Set.of());

        assertThat(failed.errors()).as("errors").isNotEmpty().allSatisfy(e -> {
            assertThat(e.cloud()).isEqualTo(cloud());
            assertThat(e.type()).isEqualTo(failing);
            assertThat(e.message()).isNotBlank();
        });
        assertThat(failed.resources()).as("resources inside a failed shard")
                .noneMatch(r -> ScanError.covering(failed.errors(), r).isPresent());
        Map<String, Set<String>> before = idsByType(clean);
        Map<String, Set<String>> after = idsByType(failed);
        before.remove(failing);
        Set<String> failedIds = after.remove(failing);
        assertThat(after).as("the other types' resources").isEqualTo(before);
        assertThat(clean.resources().stream().filter(r -> r.type().equals(failing)).map(Resource::id).toList())
                .as("the failing type keeps only resources outside its failed shards")
                .containsAll(failedIds == null ? Set.of() : failedIds);
    }
}
