package io.cloudwarden.engine.drift;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.ModelValidationException;
import io.cloudwarden.model.schema.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns baseline files into the expected resources of a drift comparison.
 *
 * <p>Terraform instances are routed to the mapper whose {@link BaselineMapper#terraformTypes()} contains their type;
 * when several mappers claim a type, the provider source ({@code hashicorp/aws}, {@code hashicorp/azurerm},
 * {@code hashicorp/google[-beta]}) decides. Every instance no mapper claims becomes a {@link NotCompared} (file,
 * address, "no provider maps terraform type X") — nothing is silently dropped. Mappers are called once per state
 * file and cloud, so split-out resources fold into the resource they configure within that state.
 */
public final class BaselineLoader {
    private final Map<Cloud, BaselineMapper> mappers;
    private final TerraformStateReader reader = new TerraformStateReader();

    public BaselineLoader(Map<Cloud, BaselineMapper> mappers) {
        this.mappers = new EnumMap<>(Cloud.class);
        this.mappers.putAll(mappers);
    }

    public static BaselineLoader of(List<CloudProvider> providers) {
        Map<Cloud, BaselineMapper> m = new EnumMap<>(Cloud.class);
        for (CloudProvider p : providers) {
            m.put(p.cloud(), p.baselineMapper());
        }
        return new BaselineLoader(m);
    }

    /** Loads each file as a Terraform state or an approved snapshot, detected by content. */
    public BaselineResult load(Path... files) {
        List<Resource> resources = new ArrayList<>();
        List<NotCompared> notCompared = new ArrayList<>();
        for (Path f : files) {
            BaselineResult r = switch (detect(f)) {
                case TERRAFORM -> fromTerraform(f);
                case SNAPSHOT -> fromSnapshot(f);
            };
            resources.addAll(r.resources());
            notCompared.addAll(r.notCompared());
        }
        return new BaselineResult(resources, notCompared);
    }

    public enum Format { TERRAFORM, SNAPSHOT }

    /** {@code schema: cloudwarden/snapshot/v1} → snapshot; {@code version} / {@code terraform_version} → Terraform. */
    public static Format detect(Path file) {
        if (streamsAsSnapshot(file)) {
            return Format.SNAPSHOT;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BaselineException(file + ": cannot read baseline: " + e.getMessage(), e);
        }
        JsonNode root = TerraformStateReader.parse(bytes, file.toString());
        if (Snapshot.SCHEMA_V1.equals(root.path("schema").asText(null))) {
            return Format.SNAPSHOT;
        }
        if (root.has("terraform_version") || root.has("version")) {
            return Format.TERRAFORM;
        }
        throw new BaselineException(file + ": expected a Terraform state (\"version\": 4) or a snapshot "
                + "(\"schema\": \"" + Snapshot.SCHEMA_V1 + "\") but found neither field");
    }

    /**
     * The fast path of {@link #detect}: an approved snapshot (often tens of MB) names its schema in its first
     * field, so its top-level fields are streamed until {@code schema} says so, instead of parsing the whole file
     * into a tree just to read one field. Anything else (a Terraform state, a syntax error before the field, an
     * unreadable file) answers false and takes the whole-document path, which reports errors as it always did; a
     * syntax error after the field is reported by the snapshot reader with the same text.
     */
    private static boolean streamsAsSnapshot(Path file) {
        try (InputStream in = Files.newInputStream(file);
                JsonParser p = ModelJson.mapper().getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("schema")) {
                    return value == JsonToken.VALUE_STRING && Snapshot.SCHEMA_V1.equals(p.getText());
                }
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    public BaselineResult fromTerraform(Path... files) {
        List<Resource> resources = new ArrayList<>();
        List<NotCompared> notCompared = new ArrayList<>();
        for (Path file : files) {
            String source = file.toString();
            Map<Cloud, List<TerraformInstance>> routed = new LinkedHashMap<>();
            for (TerraformInstance inst : reader.read(file)) {
                Optional<Cloud> cloud = route(inst);
                if (cloud.isPresent()) {
                    routed.computeIfAbsent(cloud.get(), c -> new ArrayList<>()).add(inst);
                } else {
                    notCompared.add(new NotCompared(source, inst.address(),
                            "no provider maps terraform type " + inst.type()));
                }
            }
            for (Map.Entry<Cloud, List<TerraformInstance>> e : routed.entrySet()) {
                BaselineResult r = mappers.get(e.getKey()).map(e.getValue());
                resources.addAll(r.resources());
                for (NotCompared nc : r.notCompared()) {
                    String src = nc.source() == null || nc.source().isEmpty() ? source : nc.source();
                    notCompared.add(new NotCompared(src, nc.address(), nc.reason()));
                }
            }
        }
        return new BaselineResult(resources, notCompared);
    }

    public BaselineResult fromSnapshot(Path approvedSnapshot) {
        try {
            // drift compares attributes, never raw evidence: do not hold it for every expected resource
            return new BaselineResult(SnapshotReader.read(approvedSnapshot, SnapshotReader.Raw.SKIP).resources(),
                    List.of());
        } catch (ModelValidationException e) {
            throw new BaselineException(e.getMessage(), e);
        }
    }

    private Optional<Cloud> route(TerraformInstance inst) {
        List<Cloud> claimants = new ArrayList<>();
        for (Map.Entry<Cloud, BaselineMapper> e : mappers.entrySet()) {
            if (e.getValue().terraformTypes().contains(inst.type())) {
                claimants.add(e.getKey());
            }
        }
        if (claimants.size() <= 1) {
            return claimants.stream().findFirst();
        }
        return cloudOfProvider(inst.provider()).filter(claimants::contains).or(() -> Optional.of(claimants.get(0)));
    }

    /** {@code registry.terraform.io/hashicorp/aws} → AWS; azurerm → AZURE; google, google-beta → GCP. */
    static Optional<Cloud> cloudOfProvider(String providerSource) {
        String name = providerSource.substring(providerSource.lastIndexOf('/') + 1);
        return switch (name) {
            case "aws" -> Optional.of(Cloud.AWS);
            case "azurerm" -> Optional.of(Cloud.AZURE);
            case "google", "google-beta" -> Optional.of(Cloud.GCP);
            default -> Optional.empty();
        };
    }
}
