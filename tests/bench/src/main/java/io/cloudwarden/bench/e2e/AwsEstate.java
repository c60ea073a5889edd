package io.cloudwarden.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS estate besides S3, in each API's wire format: EC2 and IAM in the query protocol (form-encoded POST, XML
 * answers), KMS in JSON 1.1 ({@code X-Amz-Target: TrentService.*}). N of each type, all in the one account; the
 * regional types (security groups, instances, KMS keys) in the scanned region.
 *
 * <p>What is planted, by index {@code i} (the same rule in every run, so before/after findings compare):
 * <ul>
 *   <li>security group: open to the internet on SSH ({@code 0.0.0.0/0}, port 22) when {@code i % 10 == 0}</li>
 *   <li>instance: public IP when {@code i % 10 == 0}; its one volume unencrypted when {@code i % 7 == 3}; IMDSv1
 *       allowed ({@code httpTokens=optional}) when {@code i % 4 == 1}</li>
 *   <li>IAM user: no MFA when {@code i % 4 == 1}; a console password when {@code i % 2 == 0}, last used 200 days
 *       ago when {@code i % 6 == 0} (else 3 days); {@code AdministratorAccess} attached when {@code i % 20 == 0}</li>
 *   <li>access key (one per user): created 400 days ago and never used when {@code i % 5 == 0} (old), else 30
 *       days old and used yesterday</li>
 *   <li>KMS key: rotation off when {@code i % 4 == 0}, disabled when {@code i % 25 == 0}</li>
 * </ul>
 * Paging as the services page: DescribeSecurityGroups/DescribeInstances/DescribeVolumes by {@code MaxResults} and
 * {@code NextToken}, ListUsers by {@code MaxItems} (default 100) and {@code Marker}, ListKeys by {@code Limit} and
 * {@code Marker}.
 */
final class AwsEstate {
    static final String ACCOUNT = WireEstateServer.ACCOUNT;
    private static final String EC2_NS = " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";
    private static final String IAM_NS = " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"";
    private static final String XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final Pattern JSON_STRING = Pattern.compile("\"(KeyId|Marker)\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern JSON_INT = Pattern.compile("\"Limit\"\\s*:\\s*(\\d+)");

    private final int n;
    private final String region;
    private final Instant now;

    AwsEstate(int n, String region, Instant now) {
        this.n = n;
        this.region = region;
        this.now = now;
    }

    /** A query-protocol action (EC2 or IAM); null when the action is not one of this estate's. */
    Reply query(String action, Map<String, String> form) {
        return switch (action) {
            case "DescribeSecurityGroups" -> ec2Page("DescribeSecurityGroupsResponse", "securityGroupInfo", form, 1000,
                    this::securityGroup);
            case "DescribeInstances" -> ec2Page("DescribeInstancesResponse", "reservationSet", form, 1000,
                    this::reservation);
            case "DescribeVolumes" -> ec2Page("DescribeVolumesResponse", "volumeSet", form, 500, this::volume);
            // compute.group: the generated estate runs no Auto Scaling group (one empty page)
            case "DescribeAutoScalingGroups" -> Reply.xml(200, "<DescribeAutoScalingGroupsResponse xmlns=\"http://"
                    + "autoscaling.amazonaws.com/doc/2011-01-01/\"><DescribeAutoScalingGroupsResult><AutoScalingGroups/>"
                    + "</DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>");
            case "ListUsers" -> listUsers(form);
            case "ListMFADevices" -> user(form, i -> iamResult("ListMFADevices", "<IsTruncated>false</IsTruncated>"
                    + (i % 4 == 1 ? "<MFADevices/>" : "<MFADevices><member><UserName>" + userName(i)
                    + "</UserName><SerialNumber>arn:aws:iam::" + ACCOUNT + ":mfa/" + userName(i)
                    + "</SerialNumber><EnableDate>" + days(900) + "</EnableDate></member></MFADevices>")));
            case "GetLoginProfile" -> user(form, i -> i % 2 == 0
                    ? iamResult("GetLoginProfile", "<LoginProfile><UserName>" + userName(i) + "</UserName><CreateDate>"
                            + days(1000) + "</CreateDate><PasswordResetRequired>false</PasswordResetRequired>"
                            + "</LoginProfile>")
                    : iamError(404, "NoSuchEntity", "Login Profile for User " + userName(i) + " cannot be found."));
            case "ListUserTags" -> user(form, i -> iamResult("ListUserTags", "<IsTruncated>false</IsTruncated>"
                    + (i % 5 == 4 ? "<Tags/>" : "<Tags><member><Key>team</Key><Value>t" + (i % 17)
                    + "</Value></member></Tags>")));
            case "ListAttachedUserPolicies" -> user(form, i -> iamResult("ListAttachedUserPolicies",
                    "<IsTruncated>false</IsTruncated>" + (i % 20 == 0 ? "<AttachedPolicies><member><PolicyName>"
                            + "AdministratorAccess</PolicyName><PolicyArn>" + ADMIN + "</PolicyArn></member>"
                            + "</AttachedPolicies>" : "<AttachedPolicies/>")));
            case "ListUserPolicies" -> user(form, i -> iamResult("ListUserPolicies",
                    "<IsTruncated>false</IsTruncated><PolicyNames/>"));
            case "ListGroupsForUser" -> user(form, i -> iamResult("ListGroupsForUser",
                    "<IsTruncated>false</IsTruncated><Groups/>"));
            case "ListAccessKeys" -> user(form, i -> iamResult("ListAccessKeys", "<UserName>" + userName(i)
                    + "</UserName><AccessKeyMetadata><member><UserName>" + userName(i) + "</UserName><AccessKeyId>"
                    + accessKeyId(i) + "</AccessKeyId><Status>Active</Status><CreateDate>"
                    + days(i % 5 == 0 ? 400 : 30) + "</CreateDate></member></AccessKeyMetadata>"
                    + "<IsTruncated>false</IsTruncated>"));
            case "GetAccessKeyLastUsed" -> {
                int i = accessKeyIndex(form.getOrDefault("AccessKeyId", ""));
                if (i < 0) {
                    yield iamError(404, "NoSuchEntity", "The Access Key with id " + form.get("AccessKeyId")
                            + " cannot be found.");
                }
                yield iamResult("GetAccessKeyLastUsed", "<UserName>" + userName(i) + "</UserName><AccessKeyLastUsed>"
                        + (i % 5 == 0 ? "<ServiceName>N/A</ServiceName><Region>N/A</Region>"
                        : "<LastUsedDate>" + days(1) + "</LastUsedDate><ServiceName>s3</ServiceName><Region>"
                        + region + "</Region>") + "</AccessKeyLastUsed>");
            }
            default -> null;
        };
    }

    /** A KMS JSON 1.1 operation ({@code TrentService.X}); null when not one of this estate's. */
    Reply kms(String operation, String body) {
        Map<String, String> p = new java.util.HashMap<>();
        Matcher m = JSON_STRING.matcher(body);
        while (m.find()) {
            p.put(m.group(1), m.group(2));
        }
        switch (operation) {
            case "ListKeys": {
                Matcher lm = JSON_INT.matcher(body);
                int limit = lm.find() ? Integer.parseInt(lm.group(1)) : 100;
                int from = p.containsKey("Marker") ? token(p.get("Marker")) : 0;
                int to = Math.min(n, from + limit);
                StringBuilder b = new StringBuilder("{\"Keys\":[");
                for (int i = from; i < to; i++) {
                    b.append(i > from ? "," : "").append("{\"KeyArn\":\"").append(keyArn(i)).append("\",\"KeyId\":\"")
                            .append(keyId(i)).append("\"}");
                }
                b.append("],\"Truncated\":").append(to < n);
                if (to < n) {
                    b.append(",\"NextMarker\":\"").append(token(to)).append('"');
                }
                return Reply.json(b.append('}').toString());
            }
            case "DescribeKey": {
                int i = keyIndex(p.getOrDefault("KeyId", ""));
                if (i < 0) {
                    return kmsNotFound(p.get("KeyId"));
                }
                boolean disabled = i % 25 == 0;
                return Reply.json("{\"KeyMetadata\":{\"AWSAccountId\":\"" + ACCOUNT + "\",\"Arn\":\"" + keyArn(i)
                        + "\",\"CreationDate\":" + now.minus(Duration.ofDays(100 + i % 900)).getEpochSecond()
                        + ",\"CustomerMasterKeySpec\":\"SYMMETRIC_DEFAULT\",\"Description\":\"bench key " + i
                        + "\",\"Enabled\":" + !disabled + ",\"EncryptionAlgorithms\":[\"SYMMETRIC_DEFAULT\"],"
                        + "\"KeyId\":\"" + keyId(i) + "\",\"KeyManager\":\"CUSTOMER\",\"KeySpec\":\"SYMMETRIC_DEFAULT\","
                        + "\"KeyState\":\"" + (disabled ? "Disabled" : "Enabled") + "\",\"KeyUsage\":\"ENCRYPT_DECRYPT\","
                        + "\"MultiRegion\":false,\"Origin\":\"AWS_KMS\"}}");
            }
            case "GetKeyRotationStatus": {
                int i = keyIndex(p.getOrDefault("KeyId", ""));
                if (i < 0) {
                    return kmsNotFound(p.get("KeyId"));
                }
                return Reply.json("{\"KeyId\":\"" + keyArn(i) + "\",\"KeyRotationEnabled\":" + (i % 4 != 0)
                        + (i % 4 != 0 ? ",\"RotationPeriodInDays\":365" : "") + "}");
            }
            case "ListResourceTags": {
                int i = keyIndex(p.getOrDefault("KeyId", ""));
                if (i < 0) {
                    return kmsNotFound(p.get("KeyId"));
                }
                return Reply.json(i % 5 == 4 ? "{\"Tags\":[],\"Truncated\":false}"
                        : "{\"Tags\":[{\"TagKey\":\"team\",\"TagValue\":\"t" + (i % 17) + "\"}],\"Truncated\":false}");
            }
            default:
                return null;
        }
    }

    // ---------------------------------------------------------------- EC2

    private interface Item {
        void append(StringBuilder b, int i);
    }

    private Reply ec2Page(String response, String set, Map<String, String> form, int defaultMax, Item item) {
        int max = form.containsKey("MaxResults") ? Integer.parseInt(form.get("MaxResults")) : defaultMax;
        int from = form.containsKey("NextToken") ? token(form.get("NextToken")) : 0;
        int to = Math.min(n, from + max);
        StringBuilder b = new StringBuilder(XML).append('<').append(response).append(EC2_NS)
                .append("><requestId>bench</requestId><").append(set).append('>');
        for (int i = from; i < to; i++) {
            b.append("<item>");
            item.append(b, i);
            b.append("</item>");
        }
        b.append("</").append(set).append('>');
        if (to < n) {
            b.append("<nextToken>").append(token(to)).append("</nextToken>");
        }
        return Reply.xml(200, b.append("</").append(response).append('>').toString());
    }

    private void securityGroup(StringBuilder b, int i) {
        String id = String.format("sg-%017x", i);
        b.append("<ownerId>").append(ACCOUNT).append("</ownerId><groupId>").append(id).append("</groupId><groupName>bench-")
                .append(i).append("</groupName><groupDescription>bench group ").append(i)
                .append("</groupDescription><vpcId>vpc-0123456789abcdef0</vpcId><ipPermissions><item><ipProtocol>tcp"
                        + "</ipProtocol>");
        if (i % 10 == 0) {
            b.append("<fromPort>22</fromPort><toPort>22</toPort><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp>"
                    + "</item></ipRanges>");
        } else {
            b.append("<fromPort>443</fromPort><toPort>443</toPort><groups/><ipRanges><item><cidrIp>10.0.0.0/16"
                    + "</cidrIp></item></ipRanges>");
        }
        b.append("<ipv6Ranges/><prefixListIds/></item></ipPermissions><ipPermissionsEgress/><securityGroupArn>")
                .append("arn:aws:ec2:").append(region).append(':').append(ACCOUNT).append(":security-group/").append(id)
                .append("</securityGroupArn><tagSet>").append(i % 5 == 4 ? "" : "<item><key>team</key><value>t"
                        + (i % 17) + "</value></item>").append("</tagSet>");
    }

    private void reservation(StringBuilder b, int i) {
        String id = String.format("i-%017x", i);
        b.append("<reservationId>").append(String.format("r-%017x", i)).append("</reservationId><ownerId>").append(ACCOUNT)
                .append("</ownerId><groupSet/><instancesSet><item><instanceId>").append(id)
                .append("</instanceId><imageId>ami-0c55b159cbfafe1f0</imageId><instanceState><code>16</code><name>"
                        + "running</name></instanceState><instanceType>t3.micro</instanceType><launchTime>")
                .append(days(i % 800)).append("</launchTime><placement><availabilityZone>").append(region)
                .append("a</availabilityZone><tenancy>default</tenancy></placement><subnetId>subnet-0123456789abcdef0"
                        + "</subnetId><vpcId>vpc-0123456789abcdef0</vpcId><privateIpAddress>10.0.")
                .append((i / 250) % 256).append('.').append(i % 250 + 1).append("</privateIpAddress>");
        if (i % 10 == 0) {
            b.append("<ipAddress>54.").append(200 + i % 50).append('.').append((i / 250) % 256).append('.')
                    .append(i % 250 + 1).append("</ipAddress>");
        }
        b.append("<groupSet><item><groupId>").append(String.format("sg-%017x", i)).append("</groupId><groupName>bench-")
                .append(i).append("</groupName></item></groupSet><architecture>x86_64</architecture><rootDeviceType>ebs"
                        + "</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping><item>"
                        + "<deviceName>/dev/xvda</deviceName><ebs><volumeId>")
                .append(volumeId(i)).append("</volumeId><status>attached</status><attachTime>").append(days(i % 800))
                .append("</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>"
                        + "<tagSet><item><key>Name</key><value>bench-")
                .append(i).append("</value></item></tagSet><metadataOptions><state>applied</state><httpTokens>")
                .append(i % 4 == 1 ? "optional" : "required").append("</httpTokens><httpPutResponseHopLimit>1"
                        + "</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions>"
                        + "</item></instancesSet>");
    }

    private void volume(StringBuilder b, int i) {
        b.append("<volumeId>").append(volumeId(i)).append("</volumeId><size>8</size><availabilityZone>").append(region)
                .append("a</availabilityZone><status>in-use</status><createTime>").append(days(i % 800))
                .append("</createTime><volumeType>gp3</volumeType><encrypted>").append(i % 7 != 3)
                .append("</encrypted>");
    }

    private static String volumeId(int i) {
        return String.format("vol-%017x", i);
    }

    // ---------------------------------------------------------------- IAM

    private Reply listUsers(Map<String, String> form) {
        int max = form.containsKey("MaxItems") ? Integer.parseInt(form.get("MaxItems")) : 100;
        int from = form.containsKey("Marker") ? token(form.get("Marker")) : 0;
        int to = Math.min(n, from + max);
        StringBuilder b = new StringBuilder("<IsTruncated>").append(to < n).append("</IsTruncated><Users>");
        for (int i = from; i < to; i++) {
            b.append("<member><Path>/</Path><UserName>").append(userName(i)).append("</UserName><UserId>")
                    .append(String.format("AIDABENCH%011d", i)).append("</UserId><Arn>arn:aws:iam::").append(ACCOUNT)
                    .append(":user/").append(userName(i)).append("</Arn><CreateDate>").append(days(1000))
                    .append("</CreateDate>");
            if (i % 2 == 0) {
                b.append("<PasswordLastUsed>").append(days(i % 6 == 0 ? 200 : 3)).append("</PasswordLastUsed>");
            }
            b.append("</member>");
        }
        b.append("</Users>");
        if (to < n) {
            b.append("<Marker>").append(token(to)).append("</Marker>");
        }
        return iamResult("ListUsers", b.toString());
    }

    private Reply user(Map<String, String> form, java.util.function.IntFunction<Reply> reply) {
        String name = form.getOrDefault("UserName", "");
        int i = userIndex(name);
        if (i < 0) {
            return iamError(404, "NoSuchEntity", "The user with name " + name + " cannot be found.");
        }
        return reply.apply(i);
    }

    private static Reply iamResult(String action, String result) {
        return Reply.xml(200, XML + "<" + action + "Response" + IAM_NS + "><" + action + "Result>" + result + "</"
                + action + "Result><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></" + action
                + "Response>");
    }

    private static Reply iamError(int status, String code, String message) {
        return Reply.xml(status, XML + "<ErrorResponse" + IAM_NS + "><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + message + "</Message></Error><RequestId>bench</RequestId></ErrorResponse>");
    }

    static String userName(int i) {
        return String.format("bench-user-%06d", i);
    }

    private int userIndex(String name) {
        return index(name, "bench-user-", 6);
    }

    static String accessKeyId(int i) {
        return String.format("AKIABENCH%011d", i);
    }

    private int accessKeyIndex(String id) {
        return index(id, "AKIABENCH", 11);
    }

    // ---------------------------------------------------------------- KMS

    static String keyId(int i) {
        return String.format("%08x-0000-4000-8000-%012x", i, i);
    }

    private String keyArn(int i) {
        return "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + keyId(i);
    }

    private int keyIndex(String idOrArn) {
        String id = idOrArn.substring(idOrArn.lastIndexOf('/') + 1);
        if (!id.matches("[0-9a-f]{8}-0000-4000-8000-[0-9a-f]{12}")) {
            return -1;
        }
        int i = Integer.parseInt(id.substring(0, 8), 16);
        return i < n && id.equals(keyId(i)) ? i : -1;
    }

    private static Reply kmsNotFound(String id) {
        return new Reply(400, "application/x-amz-json-1.1", "{\"__type\":\"NotFoundException\",\"message\":\"Key '"
                + id + "' does not exist\"}");
    }

    // ---------------------------------------------------------------- shared

    private int index(String s, String prefix, int digits) {
        if (!s.startsWith(prefix) || s.length() != prefix.length() + digits) {
            return -1;
        }
        try {
            int i = Integer.parseInt(s.substring(prefix.length()));
            return i < n ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Days before the server's start, as an ISO-8601 instant with milliseconds (the services' format). */
    private String days(int d) {
        return now.minus(Duration.ofDays(d)).toString().replace("Z", ".000Z");
    }

    static String token(int i) {
        return Base64.getEncoder().encodeToString(("bench:" + i).getBytes(StandardCharsets.UTF_8));
    }

    /** The index a page token stands for; an absent or empty token (gax sends {@code pageToken=}) is the start. */
    static int token(String t) {
        if (t == null || t.isEmpty()) {
            return 0;
        }
        String s = new String(Base64.getDecoder().decode(t), StandardCharsets.UTF_8);
        return Integer.parseInt(s.substring(s.indexOf(':') + 1));
    }
}
