package io.cloudwarden.model;

/**
 * The attribute names of each normalized type, as its JSON Schema ({@code schemas/types/<type>.json}) declares them.
 * Main code writes and reads attributes through these constants; {@code AttributesTest} fails when a constant is not
 * a schema property or a schema property has no constant. {@code TYPE} is the normalized type; a nested class's
 * {@code AT} is the property (an object, or {@code name[]} for the items of an array) its constants are relative to.
 */
public final class Attributes {
    private Attributes() {
    }

    /** {@code storage.bucket}. */
    public static final class StorageBucket {
        public static final String TYPE = ResourceTypes.STORAGE_BUCKET;
        public static final String PUBLIC_ACCESS = "publicAccess";
        public static final String ENCRYPTION = "encryption";
        public static final String VERSIONING = "versioning";
        public static final String MIN_TLS_VERSION = "minTlsVersion";
        public static final String LOGGING = "logging";

        private StorageBucket() {
        }

        /** {@code encryption}. */
        public static final class Encryption {
            public static final String AT = ENCRYPTION;
            public static final String ENABLED = "enabled";
            public static final String KEY_TYPE = "keyType";

            private Encryption() {
            }
        }
    }

    /** {@code network.firewall}. */
    public static final class NetworkFirewall {
        public static final String TYPE = ResourceTypes.NETWORK_FIREWALL;
        public static final String RULES = "rules";
        public static final String INTERNET_INGRESS = "internetIngress";

        private NetworkFirewall() {
        }

        /** One item of {@code rules}. */
        public static final class Rule {
            public static final String AT = RULES + "[]";
            public static final String DIRECTION = "direction";
            public static final String ACTION = "action";
            public static final String PROTOCOL = "protocol";
            public static final String FROM_PORT = "fromPort";
            public static final String TO_PORT = "toPort";
            public static final String RANGES = "ranges";

            private Rule() {
            }
        }

        /** One item of {@code internetIngress}. */
        public static final class InternetIngress {
            public static final String AT = INTERNET_INGRESS + "[]";
            public static final String PROTOCOL = "protocol";
            public static final String FROM_PORT = "fromPort";
            public static final String TO_PORT = "toPort";

            private InternetIngress() {
            }
        }
    }

    /** {@code compute.instance}. */
    public static final class ComputeInstance {
        public static final String TYPE = ResourceTypes.COMPUTE_INSTANCE;
        public static final String STATE = "state";
        public static final String PUBLIC_IP = "publicIp";
        public static final String IMAGE_ID = "imageId";
        public static final String IDENTITY = "identity";
        public static final String DISK_ENCRYPTION = "diskEncryption";
        public static final String METADATA_HARDENED = "metadataHardened";
        public static final String OS = "os";
        public static final String PATCH = "patch";
        public static final String UTILIZATION = "utilization";
        public static final String GROUP = "group";

        private ComputeInstance() {
        }

        /** {@code os}: the operating system as the cloud's patch or inventory service reports it. */
        public static final class Os {
            public static final String AT = OS;
            public static final String FAMILY = "family";
            public static final String NAME = "name";
            public static final String VERSION = "version";

            private Os() {
            }
        }

        /** {@code patch}: the patch state from the cloud's patch service. */
        public static final class Patch {
            public static final String AT = PATCH;
            public static final String MANAGED = "managed";
            public static final String MISSING_CRITICAL = "missingCritical";
            public static final String MISSING_SECURITY = "missingSecurity";
            public static final String MISSING_OTHER = "missingOther";
            public static final String LAST_ASSESSED_AT = "lastAssessedAt";
            public static final String LAST_INSTALLED_AT = "lastInstalledAt";
            public static final String REBOOT_PENDING = "rebootPending";

            private Patch() {
            }
        }

        /** {@code utilization} (null where metrics were not read). */
        public static final class Utilization {
            public static final String AT = UTILIZATION;
            public static final String CPU_AVG = "cpuAvg";
            public static final String CPU_P95 = "cpuP95";
            public static final String WINDOW_DAYS = "windowDays";
            public static final String SAMPLES = "samples";

            private Utilization() {
            }
        }
    }

    /** {@code compute.group}: an AWS Auto Scaling group, Azure VM scale set, GCP managed instance group. */
    public static final class ComputeGroup {
        public static final String TYPE = ResourceTypes.COMPUTE_GROUP;
        public static final String CAPACITY = "capacity";
        public static final String MEMBER_IDS = "memberIds";
        public static final String UTILIZATION = "utilization";

        private ComputeGroup() {
        }

        /**
         * The attributes of a group as every provider writes them: {@code capacity}, {@code memberIds} (the member ids
         * given, sorted) and {@code utilization} (a copy of the given object, else null: not read).
         */
        public static com.fasterxml.jackson.databind.node.ObjectNode of(int min, int max, int desired,
                com.fasterxml.jackson.databind.JsonNode memberIds, com.fasterxml.jackson.databind.JsonNode utilization) {
            com.fasterxml.jackson.databind.node.ObjectNode a = ModelJson.mapper().createObjectNode();
            a.putObject(CAPACITY).put(Capacity.MIN, min).put(Capacity.MAX, max).put(Capacity.DESIRED, desired);
            java.util.List<String> ids = new java.util.ArrayList<>();
            if (memberIds != null) {
                memberIds.forEach(i -> ids.add(i.asText()));
            }
            ids.sort(null);
            com.fasterxml.jackson.databind.node.ArrayNode members = a.putArray(MEMBER_IDS);
            ids.forEach(members::add);
            a.set(UTILIZATION, utilization != null && utilization.isObject() ? utilization.deepCopy()
                    : com.fasterxml.jackson.databind.node.NullNode.instance);
            return a;
        }

        /** {@code capacity}. */
        public static final class Capacity {
            public static final String AT = CAPACITY;
            public static final String MIN = "min";
            public static final String MAX = "max";
            public static final String DESIRED = "desired";

            private Capacity() {
            }
        }

        /** {@code utilization} (null where the members' metrics were not read). */
        public static final class Utilization {
            public static final String AT = UTILIZATION;
            public static final String CPU_AVG = "cpuAvg";
            public static final String CPU_P95 = "cpuP95";
            public static final String SPREAD = "spread";
            public static final String WINDOW_DAYS = "windowDays";

            private Utilization() {
            }
        }
    }

    /** {@code identity.user}. */
    public static final class IdentityUser {
        public static final String TYPE = ResourceTypes.IDENTITY_USER;
        public static final String MFA_ENABLED = "mfaEnabled";
        public static final String ADMIN = "admin";
        public static final String CONSOLE_ACCESS = "consoleAccess";
        public static final String LAST_USED_AT = "lastUsedAt";
        public static final String ENABLED = "enabled";

        private IdentityUser() {
        }
    }

    /** {@code identity.key}. */
    public static final class IdentityKey {
        public static final String TYPE = ResourceTypes.IDENTITY_KEY;
        public static final String ACTIVE = "active";
        public static final String CREATED_AT = "createdAt";
        public static final String AGE_DAYS = "ageDays";
        public static final String LAST_USED_AT = "lastUsedAt";
        public static final String OWNER = "owner";

        private IdentityKey() {
        }
    }

    /** {@code kms.key}. */
    public static final class KmsKey {
        public static final String TYPE = ResourceTypes.KMS_KEY;
        public static final String ENABLED = "enabled";
        public static final String ROTATION_ENABLED = "rotationEnabled";
        public static final String ROTATION_PERIOD_DAYS = "rotationPeriodDays";
        public static final String PENDING_DELETION = "pendingDeletion";
        public static final String ROTATION_SUPPORTED = "rotationSupported";

        private KmsKey() {
        }
    }
}
