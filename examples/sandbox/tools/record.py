#!/usr/bin/env python3
"""Builds the sandbox estate (examples/sandbox/{recorded,terraform,events}) from the providers' recorded fixtures.

The providers' recorded-API tests prove these wire shapes against the real SDK clients; this script reuses them as
WireMock mappings, plants the sandbox's drift and deviations, and adds WireMock scenarios so remediation changes what
is served. Run from the repository root: python3 examples/sandbox/tools/record.py (the output is committed).
"""
import copy
import json
import os
import re
import shutil

ROOT = os.getcwd()
OUT = os.path.join(ROOT, "examples/sandbox")
AWS_FIX = os.path.join(ROOT, "providers/aws/src/test/resources")
GCP_FIX = os.path.join(ROOT, "providers/gcp/src/test/resources")
AZURE_FIX = os.path.join(ROOT, "providers/azure/src/test/resources")
FILES = os.path.join(OUT, "recorded/__files")
MAPPINGS = os.path.join(OUT, "recorded/mappings")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def body(cloud, rel, text=None, src=None):
    """Copies (or writes) one response body into __files/<cloud>/<rel>; returns its bodyFileName."""
    name = f"{cloud}/{rel}"
    if text is None:
        text = read(os.path.join(src or (AWS_FIX if cloud == "aws" else GCP_FIX), "recorded", rel))
    write(os.path.join(FILES, name), text)
    return name


def response(file, status=200, ctype="text/xml;charset=UTF-8"):
    r = {"status": status, "headers": {"Content-Type": ctype}}
    if file:
        r["bodyFileName"] = file
    return r


def scenario(m, name, required=None, new=None):
    m["scenarioName"] = name
    if required:
        m["requiredScenarioState"] = required
    if new:
        m["newScenarioState"] = new
    return m


# ------------------------------------------------------------------------------------------------------------ AWS
ACCOUNT = "111122223333"
aws = {"s3": [], "iam": [], "ec2": [], "kms": []}


def s3get(bucket, sub, resp, **kw):
    m = {"request": {"method": "GET", "urlPath": "/" + bucket, "queryParameters": {sub: {"matches": ".*"}}},
         "response": resp}
    if kw:
        scenario(m, **kw)
    aws["s3"].append(m)


def s3put(bucket, sub, scen, new):
    aws["s3"].append(scenario({"request": {"method": "PUT", "urlPath": "/" + bucket,
                                           "queryParameters": {sub: {"matches": ".*"}}},
                               "response": {"status": 200}}, scen, new=new))


def query(service, action, resp, contains=(), not_contains=(), **kw):
    pats = [{"contains": "Action=" + action + "&"}] + [{"contains": c} for c in contains] \
        + [{"doesNotContain": c} for c in not_contains]
    m = {"request": {"method": "POST", "urlPath": "/", "bodyPatterns": pats}, "response": resp}
    if kw:
        scenario(m, **kw)
    aws[service].append(m)


def kms(op, resp, contains=(), not_contains=(), **kw):
    pats = [{"contains": c} for c in contains] + [{"doesNotContain": c} for c in not_contains]
    m = {"request": {"method": "POST", "urlPath": "/", "headers": {"X-Amz-Target": {"equalTo": "TrentService." + op}}},
         "response": resp}
    if pats:
        m["request"]["bodyPatterns"] = pats
    if kw:
        scenario(m, **kw)
    aws["kms"].append(m)


def xml(rel, status=200, generated=False):
    return response(f"aws/{rel}" if generated else body("aws", rel), status)


def kjson(rel, generated=False):
    return response(f"aws/{rel}" if generated else body("aws", rel), 200, "application/x-amz-json-1.1")


# S3: three buckets over two ListBuckets pages.
aws["s3"].append({"request": {"method": "GET", "urlPath": "/",
                              "queryParameters": {"continuation-token": {"absent": True}}},
                  "response": xml("s3/list-buckets-page1.xml")})
aws["s3"].append({"request": {"method": "GET", "urlPath": "/",
                              "queryParameters": {"continuation-token": {"equalTo": "dGhpcy1pcy1hLXRva2Vu"}}},
                  "response": xml("s3/list-buckets-page2.xml")})
for b in ("cw-public-assets", "cw-secure-logs", "cw-legacy-acl"):
    aws["s3"].append({"request": {"method": "HEAD", "urlPath": "/" + b}, "response": {"status": 200}})

# cw-public-assets: made public by hand (public policy, public access block deleted). Terraform declares it private
# behind a public access block. PutPublicAccessBlock moves scenario bucket-cw-public-assets to "blocked".
pub = "cw-public-assets"
s3get(pub, "location", xml("s3/location-us-east-1.xml"))
s3get(pub, "publicAccessBlock", xml("s3/cw-public-assets-no-pab.xml", 404), name="bucket-" + pub, required="Started")
s3get(pub, "publicAccessBlock", xml("s3/pab-all-on.xml"), name="bucket-" + pub, required="blocked")
s3put(pub, "publicAccessBlock", "bucket-" + pub, "blocked")
s3get(pub, "policyStatus", xml("s3/policy-status-public.xml"))
s3get(pub, "policy", response(body("aws", "s3/cw-public-assets-policy.json"), 200, "application/json"))
s3get(pub, "acl", xml("s3/acl-private.xml"))
s3get(pub, "encryption", xml("s3/encryption-sse-s3.xml"))
s3get(pub, "versioning", xml("s3/versioning-never.xml"))
s3get(pub, "logging", xml("s3/logging-off.xml"))
s3get(pub, "tagging", xml("s3/tags-prod.xml"))

logs = "cw-secure-logs"
s3get(logs, "location", xml("s3/location-eu-west-1.xml"))
s3get(logs, "publicAccessBlock", xml("s3/pab-all-on.xml"))
s3get(logs, "policyStatus", xml("s3/policy-status-private.xml"))
s3get(logs, "policy", response(body("aws", "s3/cw-secure-logs-policy.json"), 200, "application/json"))
s3get(logs, "acl", xml("s3/acl-private.xml"))
s3get(logs, "encryption", xml("s3/encryption-sse-kms-customer.xml"))
s3get(logs, "versioning", xml("s3/versioning-enabled.xml"))
s3get(logs, "logging", xml("s3/logging-on.xml"))
s3get(logs, "tagging", xml("s3/tags-logs.xml"))

# cw-legacy-acl: not in Terraform (unmanaged), public through its ACL, unencrypted.
leg = "cw-legacy-acl"
s3get(leg, "location", xml("s3/location-us-east-1.xml"))
s3get(leg, "publicAccessBlock", xml("s3/cw-legacy-acl-no-pab.xml", 404), name="bucket-" + leg, required="Started")
s3get(leg, "publicAccessBlock", xml("s3/pab-all-on.xml"), name="bucket-" + leg, required="blocked")
s3put(leg, "publicAccessBlock", "bucket-" + leg, "blocked")
s3get(leg, "policyStatus", xml("s3/cw-legacy-acl-no-policy.xml", 404))
s3get(leg, "policy", xml("s3/cw-legacy-acl-no-policy.xml", 404))
s3get(leg, "acl", xml("s3/acl-public-read.xml"))
s3get(leg, "encryption", xml("s3/cw-legacy-acl-no-encryption.xml", 404), name="bucket-" + leg + "-encryption",
      required="Started")
s3get(leg, "encryption", xml("s3/encryption-sse-s3.xml"), name="bucket-" + leg + "-encryption", required="encrypted")
s3put(leg, "encryption", "bucket-" + leg + "-encryption", "encrypted")
s3get(leg, "versioning", xml("s3/versioning-never.xml"))
s3get(leg, "logging", xml("s3/logging-off.xml"))
s3get(leg, "tagging", xml("s3/cw-legacy-acl-no-tags.xml", 404))

# IAM: alice and ci-deployer (bob, declared in Terraform, was deleted by hand).
query("iam", "ListUsers", xml("iam/list-users-page1.xml"), not_contains=["Marker="])
query("iam", "ListUsers", xml("iam/list-users-page2.xml"),
      contains=["Marker=AAEAAcdbYXJuOmF3czppYW06OjExMTEyMjIyMzMzMzp1c2VyL2FsaWNl"])
alice, ci = "UserName=alice", "UserName=ci-deployer"
for action, a, c in [("ListMFADevices", "alice-mfa", "no-mfa"), ("ListUserTags", "alice-tags", "no-tags"),
                     ("ListAttachedUserPolicies", "no-attached-policies", "ci-attached-policies"),
                     ("ListUserPolicies", "no-inline-policies", "ci-inline-policies"),
                     ("ListGroupsForUser", "alice-groups", "no-groups"),
                     ("ListAccessKeys", "alice-access-keys", "ci-access-keys")]:
    if action == "ListAccessKeys":
        # alice's key is over a year old; deactivating it (UpdateAccessKey) moves scenario iam-key-alice on.
        inactive = read(os.path.join(AWS_FIX, "recorded/iam/alice-access-keys.xml")).replace(
            "<Status>Active</Status>", "<Status>Inactive</Status>")
        body("aws", "iam/alice-access-keys-inactive.xml", inactive)
        query("iam", action, xml(f"iam/{a}.xml"), contains=[alice], name="iam-key-alice", required="Started")
        query("iam", action, xml("iam/alice-access-keys-inactive.xml", generated=True), contains=[alice],
              name="iam-key-alice", required="deactivated")
    else:
        query("iam", action, xml(f"iam/{a}.xml"), contains=[alice])
    query("iam", action, xml(f"iam/{c}.xml"), contains=[ci])
query("iam", "GetLoginProfile", xml("iam/alice-login-profile.xml"), contains=[alice])
query("iam", "GetLoginProfile", xml("iam/no-such-entity.xml", 404), contains=[ci])
query("iam", "GetUserPolicy", xml("iam/ci-inline-break-glass.xml"), contains=[ci])
query("iam", "ListAttachedGroupPolicies", xml("iam/admins-attached.xml"), contains=["GroupName=Admins"])
query("iam", "ListGroupPolicies", xml("iam/admins-inline.xml"), contains=["GroupName=Admins"])
query("iam", "GetPolicy", xml("iam/deploy-artifacts-policy.xml"))
query("iam", "GetPolicyVersion", xml("iam/deploy-artifacts-v3.xml"))
query("iam", "GetAccessKeyLastUsed", xml("iam/alice-key-last-used.xml"), contains=["AccessKeyId=AKIAIOSFODNN7ALICE01"])
query("iam", "GetAccessKeyLastUsed", xml("iam/ci-key-last-used.xml"), contains=["AccessKeyId=AKIAI44QH8DHBCIDEPL1"])
query("iam", "UpdateAccessKey", xml("iam/update-access-key.xml"), contains=["AccessKeyId=AKIAIOSFODNN7ALICE01"],
      name="iam-key-alice", new="deactivated")

# EC2: the web group gained SSH from anywhere outside Terraform; RevokeSecurityGroupIngress moves scenario
# sg-web to "revoked", in which the group no longer admits the internet.
page1 = read(os.path.join(AWS_FIX, "recorded/ec2/describe-security-groups-page1.xml"))
after = page1.replace('<item><cidrIp>0.0.0.0/0</cidrIp><description>public https</description></item>', '', 1) \
    .replace('<item><cidrIpv6>::/0</cidrIpv6></item>', '', 1) \
    .replace('<item><cidrIp>10.0.0.0/8</cidrIp></item>\n                        <item><cidrIp>0.0.0.0/0</cidrIp></item>',
             '<item><cidrIp>10.0.0.0/8</cidrIp></item>', 1)
assert after.count("0.0.0.0/0") == page1.count("0.0.0.0/0") - 2 and "::/0" not in after
body("aws", "ec2/describe-security-groups-page1-revoked.xml", after)
query("ec2", "DescribeSecurityGroups", xml("ec2/describe-security-groups-page1.xml"), not_contains=["NextToken="],
      name="sg-web", required="Started")
query("ec2", "DescribeSecurityGroups", xml("ec2/describe-security-groups-page1-revoked.xml", generated=True),
      not_contains=["NextToken="], name="sg-web", required="revoked")
query("ec2", "DescribeSecurityGroups", xml("ec2/describe-security-groups-page2.xml"), contains=["NextToken="])
query("ec2", "RevokeSecurityGroupIngress", xml("ec2/revoke-security-group-ingress.xml"), name="sg-web",
      new="revoked")
query("ec2", "DescribeVolumes", xml("ec2/describe-volumes.xml"))
query("ec2", "DescribeInstances", xml("ec2/describe-instances.xml"))
query("ec2", "CreateTags", xml("ec2/create-tags.xml"))

# KMS: the app key's rotation was switched off by hand; EnableKeyRotation moves scenario kms-app-key to "rotating".
KEY_A = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_B = "0987dcba-09fe-87dc-65ba-ab0987654321"
KEY_C = "5f8e7d6c-5b4a-4392-8170-fedcba987654"
kms("ListKeys", kjson("kms/list-keys-page1.json"), not_contains=["Marker"])
kms("ListKeys", kjson("kms/list-keys-page2.json"), contains=['"Marker":"eyJtYXJrZXIiOiJwYWdlMiJ9"'])
for k, f in ((KEY_A, "a"), (KEY_B, "b"), (KEY_C, "c")):
    kms("DescribeKey", kjson(f"kms/describe-key-{f}.json"), contains=[k])
rot_a = json.loads(read(os.path.join(AWS_FIX, "recorded/kms/rotation-a.json")))
off = dict(rot_a)
off["KeyRotationEnabled"] = False
off.pop("NextRotationDate", None)
body("aws", "kms/rotation-a-off.json", json.dumps(off, indent=2) + "\n")
kms("GetKeyRotationStatus", kjson("kms/rotation-a-off.json", True), contains=[KEY_A], name="kms-app-key",
    required="Started")
kms("GetKeyRotationStatus", kjson("kms/rotation-a.json"), contains=[KEY_A], name="kms-app-key", required="rotating")
kms("EnableKeyRotation", kjson("kms/enable-key-rotation.json"), contains=[KEY_A], name="kms-app-key", new="rotating")
kms("GetKeyRotationStatus", kjson("kms/rotation-c.json"), contains=[KEY_C], name="kms-legacy-key",
    required="Started")
kms("EnableKeyRotation", kjson("kms/enable-key-rotation.json"), contains=[KEY_C], name="kms-legacy-key",
    new="rotating")
rot_c_on = json.loads(read(os.path.join(AWS_FIX, "recorded/kms/rotation-c.json")))
rot_c_on["KeyRotationEnabled"] = True
rot_c_on["RotationPeriodInDays"] = 365
body("aws", "kms/rotation-c-on.json", json.dumps(rot_c_on, indent=2) + "\n")
kms("GetKeyRotationStatus", kjson("kms/rotation-c-on.json", True), contains=[KEY_C], name="kms-legacy-key",
    required="rotating")
kms("ListResourceTags", kjson("kms/tags-a.json"), contains=[KEY_A])
kms("ListResourceTags", kjson("kms/tags-none.json"), contains=[KEY_C])

for svc, ms in aws.items():
    write(os.path.join(MAPPINGS, f"aws-{svc}.json"), json.dumps({"mappings": ms}, indent=2) + "\n")

# Terraform state for AWS: the providers' state of the same estate, with the sandbox's planted drift.
state = json.loads(read(os.path.join(AWS_FIX, "terraform/terraform.tfstate")))
res = state["resources"]
# cw-public-assets is meant to be private: no public policy, a public access block.
res[:] = [r for r in res if not (r["type"] == "aws_s3_bucket_policy" and r["name"] == "assets")]
for r in res:
    if r["type"] == "aws_s3_bucket" and r["name"] == "assets":
        r["instances"][0]["attributes"]["policy"] = ""
logs_pab = next(r for r in res if r["type"] == "aws_s3_bucket_public_access_block")
assets_pab = copy.deepcopy(logs_pab)
assets_pab["name"] = "assets"
assets_pab.pop("module", None)
assets_pab["instances"][0]["attributes"].update({"bucket": "cw-public-assets", "id": "cw-public-assets"})
res.insert(1, assets_pab)
# cw-legacy-acl was created by hand: not in the state.
res[:] = [r for r in res if not (r["type"] == "aws_s3_bucket" and r["name"] == "legacy")]
# SSH from anywhere was added by hand: Terraform declares SSH from 10.0.0.0/8 only.
res[:] = [r for r in res if not (r["type"] == "aws_vpc_security_group_ingress_rule" and r["name"] == "ssh_anywhere")]
# bob is declared, but was deleted in the console.
alice_user = next(r for r in res if r["type"] == "aws_iam_user" and r["name"] == "alice")
bob = copy.deepcopy(alice_user["instances"][0])
bob["attributes"].update({"arn": f"arn:aws:iam::{ACCOUNT}:user/bob", "id": "bob", "name": "bob",
                          "unique_id": "AIDAIBOBSANDBOXEXAMPLE", "tags": {"team": "data"},
                          "tags_all": {"team": "data"}})
bob["index_key"] = "bob"
alice_user["instances"].append(bob)
state["serial"] += 1
write(os.path.join(OUT, "terraform/aws.tfstate"), json.dumps(state, indent=2) + "\n")

# CloudTrail events (EventBridge deliveries) naming who made the changes.
def aws_event(src, out, edit):
    e = json.loads(read(os.path.join(AWS_FIX, "events/aws", src)))
    edit(e)
    write(os.path.join(OUT, "events/aws", out), json.dumps(e, indent=2) + "\n")


JORDAN = {"type": "IAMUser", "principalId": "AIDAJORDANSANDBOX0001", "arn": f"arn:aws:iam::{ACCOUNT}:user/jordan",
          "accountId": ACCOUNT, "accessKeyId": "AKIAJORDANSANDBOX001", "userName": "jordan"}


def delete_pab(e):
    e["id"] = "6f1d2c3b-4a59-4e6f-9a0b-1c2d3e4f5a61"
    e["time"] = "2026-11-23T08:41:07Z"
    d = e["detail"]
    d["userIdentity"] = JORDAN
    d["eventTime"] = "2026-11-23T08:41:05Z"
    d["eventName"] = "DeleteBucketPublicAccessBlock"
    d["eventID"] = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e41"
    d["requestID"] = "0C1D2E3F4A5B6C7D"
    d["userAgent"] = "aws-cli/2.22.35 md/awscrt#0.23.4 ua/2.1 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 " \
                     "command/delete-public-access-block"
    d["requestParameters"] = {"publicAccessBlock": "", "bucketName": "cw-public-assets",
                              "Host": "cw-public-assets.s3.amazonaws.com"}


def put_policy(e):
    e["id"] = "6f1d2c3b-4a59-4e6f-9a0b-1c2d3e4f5a62"
    e["time"] = "2026-11-23T08:42:19Z"
    d = e["detail"]
    d["userIdentity"] = JORDAN
    d["eventTime"] = "2026-11-23T08:42:17Z"
    d["eventName"] = "PutBucketPolicy"
    d["eventID"] = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e42"
    d["requestID"] = "0C1D2E3F4A5B6C7E"
    d["userAgent"] = "aws-cli/2.22.35 md/awscrt#0.23.4 ua/2.1 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 " \
                     "command/put-bucket-policy"
    d["requestParameters"] = {"bucketPolicy": {"Version": "2012-10-17", "Statement": [
        {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::cw-public-assets/*"}]}, "bucketName": "cw-public-assets", "policy": "",
        "Host": "cw-public-assets.s3.amazonaws.com"}


aws_event("put-bucket-public-access-block.json", "01-delete-public-access-block.json", delete_pab)
aws_event("put-bucket-public-access-block.json", "02-put-bucket-policy.json", put_policy)



def disable_key_rotation(e):
    e["id"] = "7f9b1d35-6e8a-4c0d-8f4b-5a7c9e1b3d70"
    e["time"] = "2026-11-23T07:15:44Z"
    d = e["detail"]
    d["eventTime"] = "2026-11-23T07:15:42Z"
    d["eventName"] = "DisableKeyRotation"
    d["eventID"] = "b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d70"
    d["requestParameters"] = {"keyId": KEY_A}
    d["resources"] = [{"accountId": ACCOUNT, "type": "AWS::KMS::Key",
                       "ARN": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY_A}"}]


aws_event("enable-key-rotation.json", "03-disable-key-rotation.json", disable_key_rotation)
aws_event("authorize-sg-ingress-open.json", "04-authorize-ssh-from-anywhere.json", lambda e: None)

# ------------------------------------------------------------------------------------------------------------ GCP
PROJECT = "cw-demo-prod"
ASSETS = f"/v1/projects/{PROJECT}/assets"
gcp = []


def gjson(rel, text=None, status=200):
    return response(body("gcp", rel, text), status, "application/json")


def list_assets(asset_type, content_type, resp, priority=None, page_token=None, **kw):
    q = {"contentType": {"equalTo": content_type}}
    if asset_type:
        q["assetTypes"] = {"equalTo": asset_type}
    if page_token:
        q["pageToken"] = {"equalTo": page_token}
    m = {"request": {"method": "GET", "urlPath": ASSETS, "queryParameters": q}, "response": resp}
    if priority:
        m["priority"] = priority
    if kw:
        scenario(m, **kw)
    gcp.append(m)


def gcp_json(rel):
    return json.loads(read(os.path.join(GCP_FIX, "recorded", rel)))


RESOURCE, IAM_POLICY = "1", "2"
# Buckets: cw-demo-public-assets is public through allUsers (declared so in Terraform); block-public-access removes
# the public members (scenario state "policy-fixed") and enforces public access prevention ("fixed").
BUCKETS = "gcp-bucket-cw-demo-public-assets"
page1 = gcp_json("cai/buckets-page1.json")
fixed_page1 = copy.deepcopy(page1)
fixed_page1["assets"][0]["resource"]["data"]["iamConfiguration"]["publicAccessPrevention"] = "enforced"
iam = gcp_json("cai/buckets-iam.json")
fixed_iam = copy.deepcopy(iam)
fixed_iam["assets"][0]["iamPolicy"]["bindings"] = [b for b in fixed_iam["assets"][0]["iamPolicy"]["bindings"]
                                                   if "allUsers" not in b["members"]]
for state_name in ("Started", "policy-fixed"):
    list_assets("storage.googleapis.com/Bucket", RESOURCE, gjson("cai/buckets-page1.json"), priority=5,
                name=BUCKETS, required=state_name)
list_assets("storage.googleapis.com/Bucket", RESOURCE, gjson("cai/buckets-page1-fixed.json",
            json.dumps(fixed_page1, indent=2) + "\n"), priority=5, name=BUCKETS, required="fixed")
list_assets(None, RESOURCE, gjson("cai/buckets-page2.json"), priority=1, page_token="CgRwYWdlMg")
list_assets("storage.googleapis.com/Bucket", IAM_POLICY, gjson("cai/buckets-iam.json"), name=BUCKETS,
            required="Started")
# the IAM listing follows the IAM change (policy-fixed and fixed)
list_assets("storage.googleapis.com/Bucket", IAM_POLICY, gjson("cai/buckets-iam-fixed.json",
            json.dumps(fixed_iam, indent=2) + "\n"), name=BUCKETS, required="fixed")
list_assets("storage.googleapis.com/Bucket", IAM_POLICY, {"status": 200, "headers": {"Content-Type": "application/json"},
            "bodyFileName": "gcp/cai/buckets-iam-fixed.json"}, name=BUCKETS, required="policy-fixed")
BUCKET = "/storage/v1/b/cw-demo-public-assets"


def storage(method, path, resp, headers=None, **kw):
    m = {"request": {"method": method, "urlPath": path}, "response": resp}
    if headers:
        m["request"]["headers"] = headers
    if kw:
        scenario(m, **kw)
    gcp.append(m)


PATCH = {"X-HTTP-Method-Override": {"equalTo": "PATCH"}}
storage("GET", BUCKET, gjson("storage/bucket-public.json"), name=BUCKETS, required="Started")
storage("GET", BUCKET, gjson("storage/bucket-public.json"), name=BUCKETS, required="policy-fixed")
storage("GET", BUCKET, gjson("storage/bucket-enforced.json"), name=BUCKETS, required="fixed")
storage("GET", BUCKET + "/iam", gjson("storage/bucket-public-iam.json"), name=BUCKETS, required="Started")
for st in ("policy-fixed", "fixed"):
    storage("GET", BUCKET + "/iam", gjson("storage/bucket-public-iam-after.json"), name=BUCKETS, required=st)
storage("PUT", BUCKET + "/iam", gjson("storage/bucket-public-iam-after.json"), name=BUCKETS, new="policy-fixed")
storage("POST", BUCKET, gjson("storage/bucket-enforced.json"), headers=PATCH, name=BUCKETS, new="fixed")
storage("PATCH", BUCKET, gjson("storage/bucket-enforced.json"), name=BUCKETS, new="fixed")

# Firewalls: allow-ssh-anywhere was created outside Terraform (the audit log names who). Disabling it moves scenario
# gcp-firewall-allow-ssh-anywhere to "disabled".
FW = "gcp-firewall-allow-ssh-anywhere"
fws = gcp_json("cai/firewalls.json")
fws_disabled = copy.deepcopy(fws)
for a in fws_disabled["assets"]:
    if a["name"].endswith("/allow-ssh-anywhere"):
        a["resource"]["data"]["disabled"] = True
list_assets("compute.googleapis.com/Firewall", RESOURCE, gjson("cai/firewalls.json"), name=FW, required="Started")
list_assets("compute.googleapis.com/Firewall", RESOURCE, gjson("cai/firewalls-ssh-disabled.json",
            json.dumps(fws_disabled, indent=2) + "\n"), name=FW, required="disabled")
FIREWALL = f"/compute/v1/projects/{PROJECT}/global/firewalls/allow-ssh-anywhere"
storage("GET", FIREWALL, gjson("compute/firewall-allow-ssh.json"), name=FW, required="Started")
storage("GET", FIREWALL, gjson("compute/firewall-allow-ssh-disabled.json"), name=FW, required="disabled")
storage("POST", FIREWALL, gjson("compute/firewall-patch-operation.json"), headers=PATCH, name=FW, new="disabled")
storage("PATCH", FIREWALL, gjson("compute/firewall-patch-operation.json"), name=FW, new="disabled")
gcp.append({"request": {"method": "POST",
                        "urlPathPattern": f"/compute/v1/projects/{PROJECT}/global/operations/operation-[^/]+/wait"},
            "response": gjson("compute/firewall-patch-operation-done.json")})
gcp.append({"request": {"method": "GET",
                        "urlPathPattern": f"/compute/v1/projects/{PROJECT}/global/operations/operation-[^/]+"},
            "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                         "bodyFileName": "gcp/compute/firewall-patch-operation-done.json"}})

list_assets("compute.googleapis.com/Instance", RESOURCE, gjson("cai/instances.json"))
list_assets("iam.googleapis.com/ServiceAccount", RESOURCE, gjson("cai/service-accounts.json"))
list_assets("cloudresourcemanager.googleapis.com/Project", IAM_POLICY, gjson("cai/project-iam.json"))

# KMS: the compute/disks key never rotates; enable-rotation (UpdateCryptoKey) moves scenario gcp-kms-disks to
# "rotating".
KMSS = "gcp-kms-disks"
keys = gcp_json("cai/crypto-keys.json")
updated = gcp_json("kms/crypto-key-updated.json")
keys_rot = copy.deepcopy(keys)
disks = next(a for a in keys_rot["assets"] if a["name"].endswith("/cryptoKeys/disks"))
disks["resource"]["data"]["rotationPeriod"] = updated["rotationPeriod"]
disks["resource"]["data"]["nextRotationTime"] = updated["nextRotationTime"]
list_assets("cloudkms.googleapis.com/CryptoKey", RESOURCE, gjson("cai/crypto-keys.json"), name=KMSS,
            required="Started")
list_assets("cloudkms.googleapis.com/CryptoKey", RESOURCE, gjson("cai/crypto-keys-disks-rotating.json",
            json.dumps(keys_rot, indent=2) + "\n"), name=KMSS, required="rotating")


def history(asset):
    return {"assets": [{"window": {"startTime": asset.get("updateTime", "2025-03-01T00:00:00Z"),
                                   "endTime": "2026-11-23T10:00:00Z"}, "asset": asset}]}


orig_disks = next(a for a in keys["assets"] if a["name"].endswith("/cryptoKeys/disks"))
HIST = f"/v1/projects/{PROJECT}:batchGetAssetsHistory"
for st, asset, f in (("Started", orig_disks, "cai/history-disks.json"),
                     ("rotating", disks, "cai/history-disks-rotating.json")):
    gcp.append(scenario({"request": {"method": "GET", "urlPath": HIST,
                                     "queryParameters": {"assetNames": {"contains": "/cryptoKeys/disks"}}},
                         "response": gjson(f, json.dumps(history(asset), indent=2) + "\n")}, KMSS, required=st))
KEYPATH = f"/v1/projects/{PROJECT}/locations/us-central1/keyRings/compute/cryptoKeys/disks"
storage("POST", KEYPATH, gjson("kms/crypto-key-updated.json"), headers=PATCH, name=KMSS, new="rotating")
storage("PATCH", KEYPATH, gjson("kms/crypto-key-updated.json"), name=KMSS, new="rotating")

# Service account keys: deployer's user-managed key is a year old, with no use on record. identity.key/deactivate
# (POST iam v1 {name}:disable, answering Empty) moves scenario gcp-sa-key-deployer to "disabled", in which CAI (the
# listing and the BatchGetAssetsHistory read that fetch and verify use) shows the key with disabled: true. Disabling a
# disabled key succeeds, as IAM does.
SAKEY = "gcp-sa-key-deployer"
KEY_ID = "3f1c2a9e8b7d6c5f4e3d2c1b0a998877"
sa_keys = gcp_json("cai/keys.json")
sa_keys_disabled = copy.deepcopy(sa_keys)
deployer_key = next(a for a in sa_keys_disabled["assets"] if a["name"].endswith("/keys/" + KEY_ID))
deployer_key["resource"]["data"]["disabled"] = True
list_assets("iam.googleapis.com/ServiceAccountKey", RESOURCE, gjson("cai/keys.json"), name=SAKEY, required="Started")
list_assets("iam.googleapis.com/ServiceAccountKey", RESOURCE, gjson("cai/keys-deployer-disabled.json",
            json.dumps(sa_keys_disabled, indent=2) + "\n"), name=SAKEY, required="disabled")
orig_key = next(a for a in sa_keys["assets"] if a["name"].endswith("/keys/" + KEY_ID))
for st, asset, f in (("Started", orig_key, "cai/history-key-deployer.json"),
                     ("disabled", deployer_key, "cai/history-key-deployer-disabled.json")):
    gcp.append(scenario({"request": {"method": "GET", "urlPath": HIST,
                                     "queryParameters": {"assetNames": {"contains": "/keys/" + KEY_ID}}},
                         "response": gjson(f, json.dumps(history(asset), indent=2) + "\n")}, SAKEY, required=st))
gcp.append(scenario({"request": {"method": "POST", "urlPathPattern": f"/v1/projects/{PROJECT}/serviceAccounts/"
                                 f"deployer(@|%40){PROJECT}\\.iam\\.gserviceaccount\\.com/keys/{KEY_ID}:disable"},
                     "response": response(body("gcp", "iam/key-disable-response.json"), 200, "application/json")},
                    SAKEY, new="disabled"))

write(os.path.join(MAPPINGS, "gcp.json"), json.dumps({"mappings": gcp}, indent=2) + "\n")

gstate = json.loads(read(os.path.join(GCP_FIX, "tfstate/estate.tfstate")))
gstate["resources"] = [r for r in gstate["resources"]
                       if not (r["type"] == "google_compute_firewall" and r["name"] == "ssh")]
gstate["serial"] = gstate.get("serial", 1) + 1
write(os.path.join(OUT, "terraform/gcp.tfstate"), json.dumps(gstate, indent=2) + "\n")

ev = json.loads(read(os.path.join(GCP_FIX, "events/gcp/eventarc-binary-firewall-insert.json")))
ev["data"]["protoPayload"]["authenticationInfo"]["principalEmail"] = "dana@example.com"
ev["data"]["protoPayload"]["requestMetadata"]["callerSuppliedUserAgent"] = \
    "google-cloud-sdk gcloud/498.0.0 command/gcloud.compute.firewall-rules.create,gzip(gfe)"
write(os.path.join(OUT, "events/gcp/01-firewall-insert-ssh-anywhere.json"), json.dumps(ev, indent=2) + "\n")
print("done")

# ---------------------------------------------------------------------------------------------------------- Azure
# ARM and Resource Graph over HTTPS (the SDK's bearer-token policy refuses plain HTTP), one subscription.
SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-prod"
LOGS = RG + "/providers/Microsoft.Storage/storageAccounts/cwlogsprod"
DATA = RG + "/providers/Microsoft.Storage/storageAccounts/cwdataprod"
VAULT = RG + "/providers/Microsoft.KeyVault/vaults/kv-cw-prod"
GRAPH = "/providers/Microsoft.ResourceGraph/resources"
az = []


def ajson(rel, text=None):
    return response(body("azure", rel, text, src=AZURE_FIX), 200, "application/json; charset=utf-8")


def azure_fixture(rel):
    return json.loads(read(os.path.join(AZURE_FIX, "recorded", rel)))


def graph(arm_type, resp, first_page=True, skip=None, **kw):
    pats = [{"matchesJsonPath": {"expression": "$.subscriptions[0]", "equalTo": SUB}},
            {"matchesJsonPath": {"expression": "$.query", "contains": f"'{arm_type}'"}}]
    if skip:
        pats.append({"matchesJsonPath": {"expression": "$.options['$skipToken']", "contains": skip}})
    elif first_page:
        pats.append({"doesNotContain": "$skipToken"})
    m = {"request": {"method": "POST", "urlPath": GRAPH,
                     "queryParameters": {"api-version": {"equalTo": "2021-03-01"}}, "bodyPatterns": pats},
         "response": resp}
    if kw:
        scenario(m, **kw)
    az.append(m)


def arm(method, path, resp, priority=None, query=None, body_patterns=None, **kw):
    m = {"request": {"method": method, "urlPath": path}, "response": resp}
    if query:
        m["request"]["queryParameters"] = query
    if body_patterns:
        m["request"]["bodyPatterns"] = body_patterns
    if priority:
        m["priority"] = priority
    if kw:
        scenario(m, **kw)
    az.append(m)


def arm_row(row, arm_type):
    """An ARM GET of a resource answers the Resource Graph row without Resource Graph's own columns."""
    r = {k: v for k, v in row.items() if k not in ("tenantId", "resourceGroup", "subscriptionId", "managedBy", "plan")}
    r["type"] = arm_type
    return r


def served(rel):
    """A response naming a body file written earlier (several mappings answer the same document)."""
    return {"status": 200, "headers": {"Content-Type": "application/json; charset=utf-8"},
            "bodyFileName": f"azure/{rel}"}


# cwlogsprod allows anonymous blob reads (a public container) and its minimum TLS was lowered to 1.0 by hand (Terraform
# says 1.2; the Event Grid write names who); it also accepts plain HTTP. Two fixes change it, each one ARM PATCH with
# only its own properties, in either order: block-public-access (allowBlobPublicAccess=false) and enforce-tls
# (minimumTlsVersion=TLS1_2, supportsHttpsTrafficOnly=true). Scenario azure-storage-cwlogsprod: Started →
# "blocked" / "tls-enforced" → "fixed" (both); a PATCH that changes nothing keeps the state (ARM PATCH is idempotent).
STG = "azure-storage-cwlogsprod"
STORAGE = "Microsoft.Storage/storageAccounts"
p1 = azure_fixture("rg-storage-page1.json")
BLOCK = {"allowBlobPublicAccess": False}
TLS = {"minimumTlsVersion": "TLS1_2", "supportsHttpsTrafficOnly": True}
stg_states = {"Started": ("", {}), "blocked": ("-blocked", BLOCK), "tls-enforced": ("-tls-enforced", TLS),
              "fixed": ("-fixed", {**BLOCK, **TLS})}
for st, (suffix, props) in stg_states.items():
    page = copy.deepcopy(p1)
    page["data"][0]["properties"].update(props)
    text = None if st == "Started" else json.dumps(page, indent=2) + "\n"
    graph(STORAGE, ajson(f"rg-storage-page1{suffix}.json", text), name=STG, required=st)
    arm("GET", LOGS, ajson(f"arm-cwlogsprod{suffix}.json", json.dumps(arm_row(page["data"][0], STORAGE), indent=2)
                           + "\n"), name=STG, required=st)
graph(STORAGE, ajson("rg-storage-page2.json"), first_page=False, skip="ew0KICAiJGlkIjogIjEiLA0K")
BLOCK_BODY = [{"matchesJsonPath": {"expression": "$.properties.allowBlobPublicAccess", "equalTo": "false"}}]
TLS_BODY = [{"matchesJsonPath": {"expression": "$.properties.minimumTlsVersion", "equalTo": "TLS1_2"}},
            {"matchesJsonPath": {"expression": "$.properties.supportsHttpsTrafficOnly", "equalTo": "true"}}]
for patterns, transitions in ((BLOCK_BODY, {"Started": "blocked", "blocked": "blocked", "tls-enforced": "fixed",
                                            "fixed": "fixed"}),
                              (TLS_BODY, {"Started": "tls-enforced", "tls-enforced": "tls-enforced",
                                          "blocked": "fixed", "fixed": "fixed"})):
    for st, new_state in transitions.items():
        arm("PATCH", LOGS, served(f"arm-cwlogsprod{stg_states[new_state][0]}.json"), body_patterns=patterns,
            name=STG, required=st, new=new_state)
arm("GET", DATA, ajson("arm-cwdataprod.json", json.dumps(arm_row(azure_fixture("rg-storage-page2.json")["data"][0],
                                                                STORAGE), indent=2) + "\n"))
arm("GET", LOGS + "/blobServices/default", ajson("blobservice-cwlogsprod.json"))
arm("GET", DATA + "/blobServices/default", ajson("blobservice-cwdataprod.json"))
arm("GET", LOGS + "/blobServices/default/containers", ajson("containers-cwlogsprod-page2.json"),
    query={"$skipToken": {"equalTo": "/cwlogsprod/public-assets"}})
arm("GET", LOGS + "/blobServices/default/containers", ajson("containers-cwlogsprod.json"), priority=10)
arm("GET", DATA + "/blobServices/default/containers", ajson("containers-cwdataprod.json"))
arm("GET", LOGS + "/blobServices/default/providers/Microsoft.Insights/diagnosticSettings",
    ajson("diagnostics-cwlogsprod.json"))
arm("GET", DATA + "/blobServices/default/providers/Microsoft.Insights/diagnosticSettings",
    ajson("diagnostics-empty.json"))
# web-nsg admits the internet through three inbound allow rules (SSH, HTTPS, telnet; Azure's Terraform state declares
# them). revoke-internet-ingress deletes each one (ARM DELETE of the security rule, in the NSG's rule order; ARM answers
# 202 and deletes asynchronously): scenario azure-nsg-web-nsg walks Started → "ssh-deleted" → "https-deleted" →
# "revoked", the NSG's GET and its Resource Graph row losing one rule per step. Deleting a rule already gone answers
# 204 and changes nothing, as ARM does; deleting one out of that order matches nothing (WireMock answers 404).
NSG_SCEN = "azure-nsg-web-nsg"
NSG_TYPE = "Microsoft.Network/networkSecurityGroups"
NSG = RG + "/providers/Microsoft.Network/networkSecurityGroups/web-nsg"
NET_API = {"api-version": {"equalTo": "2024-05-01"}}
nsg_page = azure_fixture("rg-nsg.json")
nsg_steps = [("Started", None), ("ssh-deleted", "allow-ssh-anywhere"), ("https-deleted", "allow-https"),
             ("revoked", "allow-telnet-legacy")]
deleted = []
for i, (st, rule) in enumerate(nsg_steps):
    if rule:
        deleted.append(rule)
    page = copy.deepcopy(nsg_page)
    props = page["data"][0]["properties"]
    props["securityRules"] = [r for r in props["securityRules"] if r["name"] not in deleted]
    suffix = "" if st == "Started" else "-" + st
    graph(NSG_TYPE, ajson(f"rg-nsg{suffix}.json", None if st == "Started" else json.dumps(page, indent=2) + "\n"),
          first_page=False, name=NSG_SCEN, required=st)
    arm("GET", NSG, ajson(f"arm-web-nsg{suffix}.json", json.dumps(arm_row(page["data"][0], NSG_TYPE), indent=2)
                          + "\n"), query=NET_API, name=NSG_SCEN, required=st)
    if rule:
        op = f"5e0c7a1d-2b3f-4c8e-9a6d-{i:012d}"
        loc = f"https://management.azure.com/subscriptions/{SUB}/providers/Microsoft.Network/locations/westeurope"
        arm("DELETE", NSG + "/securityRules/" + rule,
            {"status": 202, "headers": {
                "Azure-AsyncOperation": f"{loc}/operations/{op}?api-version=2024-05-01",
                "Location": f"{loc}/operationResults/{op}?api-version=2024-05-01", "Retry-After": "10"}},
            query=NET_API, name=NSG_SCEN, required=nsg_steps[i - 1][0], new=st)
for k, (_, rule) in enumerate(nsg_steps):
    for st, _ in nsg_steps[k:] if rule else ():
        arm("DELETE", NSG + "/securityRules/" + rule, {"status": 204}, query=NET_API, name=NSG_SCEN, required=st)
graph("Microsoft.Compute/virtualMachines", ajson("rg-vm.json"), first_page=False)
arm("GET", RG + "/providers/Microsoft.Network/networkInterfaces/web-01-nic", ajson("nic-web-01.json"))
arm("GET", RG + "/providers/Microsoft.Network/publicIPAddresses/web-01-pip", ajson("pip-web-01.json"))
arm("GET", RG + "/providers/Microsoft.Compute/virtualMachines/web-01", ajson("vm-web-01-get.json"))
graph("Microsoft.KeyVault/vaults", ajson("rg-vaults.json"), first_page=False)
arm("GET", VAULT + "/keys", ajson("keys-kv-cw-prod.json"))
arm("GET", VAULT + "/keys/cmk-storage", ajson("key-cmk-storage.json"))
arm("GET", VAULT + "/keys/legacy-signing", ajson("key-legacy-signing.json"))
# Entra ID through Microsoft Graph v1.0, served under <endpoint>/graph like the provider's recorded tier.
GRAPH_ROOT = "/graph/v1.0"
GA_ROLE = "5b1d0d1e-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
PRA_ROLE = "6c2e1f2a-7b8c-4d9e-8f10-2b3c4d5e6f70"
TIER0_GROUP = "9a8b7c6d-4444-4d5e-9f60-aaaabbbbcccc"
for path, fixture in (("/organization", "organization"), ("/directoryRoles", "directoryRoles"),
                      (f"/directoryRoles/{GA_ROLE}/members", "role-global-admin-members"),
                      (f"/directoryRoles/{PRA_ROLE}/members", "role-privileged-role-admin-members"),
                      (f"/groups/{TIER0_GROUP}/transitiveMembers", "group-tier0-transitive-members"),
                      ("/reports/authenticationMethods/userRegistrationDetails", "userRegistrationDetails"),
                      ("/servicePrincipals", "servicePrincipals")):
    arm("GET", GRAPH_ROOT + path, ajson(f"graph/{fixture}.json"))
arm("GET", GRAPH_ROOT + "/users", ajson("graph/users-page2.json"),
    query={"$skiptoken": {"contains": "RFNwdAIAAQAAACM6"}})
arm("GET", GRAPH_ROOT + "/users", ajson("graph/users-page1.json"), priority=10)
arm("GET", GRAPH_ROOT + "/applications", ajson("graph/applications-page2.json"),
    query={"$skiptoken": {"contains": "RFNwdAoAAQAAAAAA"}})
# cw-deployer's client secret is over 90 days old (key-rotated-90-days): identity.key/deactivate removes it with
# POST removePassword, which moves scenario azure-app-cw-deployer to "secret-removed"; the application (listed and
# read alone) then has no password credential, so the re-read finds the credential gone.
APPS = "azure-app-cw-deployer"
DEPLOYER_APP = "1a2b3c4d-9999-4e5f-8a6b-7c8d9e0f1a2b"
apps_page1 = azure_fixture("graph/applications-page1.json")
deployer = next(a for a in apps_page1["value"] if a["id"] == DEPLOYER_APP)
context = "https://graph.microsoft.com/v1.0/$metadata#applications/$entity"
for st, suffix in (("Started", ""), ("secret-removed", "-secret-removed")):
    page = json.loads(json.dumps(apps_page1))
    app = json.loads(json.dumps(deployer))
    if st != "Started":
        next(a for a in page["value"] if a["id"] == DEPLOYER_APP)["passwordCredentials"] = []
        app["passwordCredentials"] = []
    arm("GET", GRAPH_ROOT + "/applications",
        ajson(f"graph/applications-page1{suffix}.json", None if st == "Started" else json.dumps(page, indent=2) + "\n"),
        priority=10, name=APPS, required=st)
    arm("GET", GRAPH_ROOT + "/applications/" + DEPLOYER_APP,
        ajson(f"graph/application-cw-deployer{suffix}.json",
              json.dumps({"@odata.context": context, **app}, indent=2) + "\n"), name=APPS, required=st)
arm("POST", GRAPH_ROOT + "/applications/" + DEPLOYER_APP + "/removePassword",
    {"status": 204, "headers": {}}, name=APPS, required="Started", new="secret-removed",
    body_patterns=[{"matchesJsonPath": {"expression": "$.keyId", "equalTo": "8e1c5a2f-0d3b-4c6e-9f7a-1b2c3d4e5f60"}}])
write(os.path.join(MAPPINGS, "azure.json"), json.dumps({"mappings": az}, indent=2) + "\n")

astate = json.loads(read(os.path.join(AZURE_FIX, "terraform/estate.tfstate")))
for r in astate["resources"]:
    if r["type"] == "azurerm_storage_account" and r["name"] == "logs":
        r["instances"][0]["attributes"]["min_tls_version"] = "TLS1_2"
astate["serial"] = astate.get("serial", 1) + 1
write(os.path.join(OUT, "terraform/azure.tfstate"), json.dumps(astate, indent=2) + "\n")

grid = json.loads(read(os.path.join(AZURE_FIX, "events/azure/eventgrid-write-and-delete.json")))
write(os.path.join(OUT, "events/azure/01-storage-account-write.json"), json.dumps(grid[:1], indent=2) + "\n")

# The order in which the sandbox replays the events (classpath directories cannot be listed inside a jar).
events = []
for cloud in ("aws", "azure", "gcp"):
    d = os.path.join(OUT, "events", cloud)
    if os.path.isdir(d):
        events += [f"{cloud}/{n}" for n in sorted(os.listdir(d)) if n.endswith(".json")]
write(os.path.join(OUT, "events/index.txt"), "\n".join(events) + "\n")
