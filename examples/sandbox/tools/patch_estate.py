#!/usr/bin/env python3
"""Builds the sandbox's patch estate (issue 14): the instances that miss patches and what each cloud's patch service
says about them, in the services' own wire formats, plus the WireMock scenarios the install-patches rollout moves.

Kept apart from record.py (which builds the rest of the estate): this script writes its own files
(mappings/{aws-ssm,azure-patch,gcp-osconfig}.json and __files/{aws,azure,gcp}/patch/), serves its instances as the
second pages of record.py's EC2, CAI and Resource Graph listings (adding the next-page token to the first pages), and
adds them to the Terraform states (replacing its own entries). Every step is idempotent: run it again after
record.py. Run from the repository root: python3 examples/sandbox/tools/patch_estate.py (the output is committed).

Dates: assessment times are WireMock response templates relative to the day of the request (midnight UTC of
yesterday, or of today for an install's re-assessment), so "assessed yesterday" stays fresh, two scans of one day
compare equal, and the stale rule (older than 7 days) fires on exactly the instance planted with an old fixed date,
whatever day the sandbox runs.
"""
import copy
import json
import os

ROOT = os.getcwd()
OUT = os.path.join(ROOT, "examples/sandbox")
FILES = os.path.join(OUT, "recorded/__files")
MAPPINGS = os.path.join(OUT, "recorded/mappings")
TERRAFORM = os.path.join(OUT, "terraform")

ACCOUNT = "111122223333"
REGION = "us-east-1"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def body(rel, text):
    write(os.path.join(FILES, rel), text)
    return rel


def jbody(rel, doc):
    return body(rel, json.dumps(doc, indent=1) + "\n")


def response(file, ctype, templated=False):
    r = {"status": 200, "headers": {"Content-Type": ctype}, "bodyFileName": file}
    if templated:
        r["transformers"] = ["response-template"]
    return r


def scenario(m, name, required=None, new=None):
    m["scenarioName"] = name
    if required:
        m["requiredScenarioState"] = required
    if new:
        m["newScenarioState"] = new
    return m


# Times relative to the day of the request, truncated to midnight UTC: stable across the scans of one day (two scans
# compare equal), "assessed yesterday" is fresh, and an install's re-assessment (today) is newer than the scan's.
YESTERDAY = '"{{date (truncateDate (now offset=\'-1 days\') \'first hour of day\')}}"'
TODAY = '"{{date (truncateDate (now) \'first hour of day\')}}"'


def yesterday_unix():
    # SSM (JSON 1.1) writes times as epoch seconds
    return "{{date (truncateDate (now offset='-1 days') 'first hour of day') format='unix'}}"


# ------------------------------------------------------------------------------------------------------------ AWS
# Instances of the second DescribeInstances page (the first is record.py's web-1 and batch-1).
#   app-1     managed, 3 critical missing                      -> patched by the rollout
#   app-2     managed, 1 critical missing                      -> the install runs, but the re-read still reports
#                                                                 the critical patch missing: verification fails
#   app-3     managed, compliant, assessed yesterday
#   legacy-1  not a managed node (no SSM agent registered)     -> instance-patch-unmanaged
# web-1 (record.py's) is managed with 2 critical missing; batch-1 is stopped (managed, 1 critical missing: no finding,
# the rules judge running instances only).
AWS_NEW = [
    # name, id, private ip, volume, ssm
    ("app-1", "i-0a11aa00000000001", "10.0.1.21", "vol-0a11aa00000000001", "critical"),
    ("app-2", "i-0a11aa00000000002", "10.0.1.22", "vol-0a11aa00000000002", "critical"),
    ("app-3", "i-0a11aa00000000003", "10.0.1.23", "vol-0a11aa00000000003", "compliant"),
    ("legacy-1", "i-0a11aa00000000004", "10.0.1.24", "vol-0a11aa00000000004", None),
]
KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
NEXT_INSTANCES = "eyJwYXRjaC1mbGVldCI6MX0"
NEXT_VOLUMES = "eyJwYXRjaC12b2x1bWVzIjoxfQ"


def ec2_instance(name, iid, ip, vol, managed):
    profile = "" if managed is None else (
        f"<iamInstanceProfile><arn>arn:aws:iam::{ACCOUNT}:instance-profile/app-profile</arn>"
        "<id>AIPAEXAMPLEPROFILE02</id></iamInstanceProfile>")
    return f"""                <item>
                    <instanceId>{iid}</instanceId>
                    <imageId>ami-0c55b159cbfafe1f0</imageId>
                    <instanceState><code>16</code><name>running</name></instanceState>
                    <privateDnsName>ip-{ip.replace('.', '-')}.ec2.internal</privateDnsName>
                    <instanceType>t3.small</instanceType>
                    <launchTime>2026-06-01T08:00:00.000Z</launchTime>
                    <placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement>
                    <platformDetails>Linux/UNIX</platformDetails>
                    <subnetId>subnet-0123456789abcdef0</subnetId>
                    <vpcId>vpc-0123456789abcdef0</vpcId>
                    <privateIpAddress>{ip}</privateIpAddress>
                    <architecture>x86_64</architecture>
                    <rootDeviceType>ebs</rootDeviceType>
                    <rootDeviceName>/dev/xvda</rootDeviceName>
                    <blockDeviceMapping>
                        <item>
                            <deviceName>/dev/xvda</deviceName>
                            <ebs><volumeId>{vol}</volumeId><status>attached</status><attachTime>2026-06-01T08:00:01.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></ebs>
                        </item>
                    </blockDeviceMapping>
                    {profile}
                    <tagSet><item><key>Name</key><value>{name}</value></item><item><key>env</key><value>prod</value></item><item><key>role</key><value>app</value></item></tagSet>
                    <metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>1</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions>
                </item>
"""


def ec2_page2():
    items = "".join(ec2_instance(n, i, ip, v, s) for n, i, ip, v, s in AWS_NEW)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>3c1e7a52-9b44-4e0f-a8d2-6f0b1c2d3e41</requestId>
    <reservationSet>
        <item>
            <reservationId>r-0a11aa00000000001</reservationId>
            <ownerId>{ACCOUNT}</ownerId>
            <groupSet/>
            <instancesSet>
{items}            </instancesSet>
        </item>
    </reservationSet>
</DescribeInstancesResponse>
"""


def ec2_one(name, iid, ip, vol, managed):
    """DescribeInstances filtered by one instance id (the re-read after a fix) answers that instance only."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>3c1e7a52-9b44-4e0f-a8d2-6f0b1c2d3e4{iid[-1]}</requestId>
    <reservationSet>
        <item>
            <reservationId>r-0a11aa00000000001</reservationId>
            <ownerId>{ACCOUNT}</ownerId>
            <groupSet/>
            <instancesSet>
{ec2_instance(name, iid, ip, vol, managed)}            </instancesSet>
        </item>
    </reservationSet>
</DescribeInstancesResponse>
"""


def volumes_page2():
    items = "".join(
        f"        <item><volumeId>{v}</volumeId><size>20</size><availabilityZone>us-east-1a</availabilityZone>"
        f"<status>in-use</status><createTime>2026-06-01T08:00:00.000Z</createTime><volumeType>gp3</volumeType>"
        f"<encrypted>true</encrypted><kmsKeyId>{KMS_KEY}</kmsKeyId></item>\n" for _, _, _, v, _ in AWS_NEW)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>5d2f8b63-0c55-4f10-b9e3-7a1c2d3e4f52</requestId>
    <volumeSet>
{items}    </volumeSet>
</DescribeVolumesResponse>
"""


def ssm_info(iid, ip, name):
    return {"InstanceId": iid, "PingStatus": "Online", "LastPingDateTime": "@now",
            "AgentVersion": "3.3.1142.0", "IsLatestVersion": False, "PlatformType": "Linux",
            "PlatformName": "Amazon Linux", "PlatformVersion": "2023", "ResourceType": "EC2Instance",
            "IPAddress": ip, "ComputerName": f"ip-{ip.replace('.', '-')}.ec2.internal",
            "AssociationStatus": "Success", "SourceId": iid, "SourceType": "AWS::EC2::Instance"}


# SSM's view of every managed node: (id, ip, name, critical, security, other, operation)
SSM_NODES = [
    ("i-0a11aa00000000001", "10.0.1.21", "app-1", 3, 2, 4),
    ("i-0a11aa00000000002", "10.0.1.22", "app-2", 1, 1, 0),
    ("i-0a11aa00000000003", "10.0.1.23", "app-3", 0, 0, 0),
    ("i-0abc1234def567890", "10.0.1.12", "web-1", 2, 4, 1),
    ("i-0def5678abc123450", "10.0.2.7", "batch-1", 1, 0, 0),
    # the Auto Scaling group cw-sandbox-workers' members (record_load.py): managed, compliant, assessed yesterday, so
    # they add no patch finding and no install to the rollout
    ("i-0c3a5b7d9e1f20001", "10.0.1.31", "worker-a", 0, 0, 0),
    ("i-0c3a5b7d9e1f20002", "10.0.2.32", "worker-b", 0, 0, 0),
    ("i-0c3a5b7d9e1f20003", "10.0.1.33", "worker-c", 0, 0, 0),
]
# what a successful AWS-RunPatchBaseline Install leaves; app-2's install leaves its critical patch missing
INSTALLED = {"i-0a11aa00000000001": (0, 0, 0), "i-0a11aa00000000002": (1, 0, 0), "i-0abc1234def567890": (0, 0, 0)}
# the rollout's order: by resource id (arn:aws:ec2:...:instance/i-0a11... sorts before i-0abc...)
ORDER = ["app-1", "app-2", "web-1"]


def name_of(iid):
    return next(n for i, _, n, *_ in SSM_NODES if i == iid)


def command_id(iid):
    return {"i-0a11aa00000000001": "5f1c2d3e-0a11-4b2c-9d3e-000000000001",
            "i-0a11aa00000000002": "5f1c2d3e-0a11-4b2c-9d3e-000000000002",
            "i-0abc1234def567890": "5f1c2d3e-0a11-4b2c-9d3e-000000000003"}[iid]


def send_command(iid):
    return {"Command": {
        "CommandId": command_id(iid), "DocumentName": "AWS-RunPatchBaseline", "DocumentVersion": "$DEFAULT",
        "Comment": "cloudwarden compute.instance/install-patches",
        "ExpiresAfter": 1.7955000E9, "Parameters": {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]},
        "InstanceIds": [iid], "Targets": [], "RequestedDateTime": 1.7954928E9, "Status": "Pending",
        "StatusDetails": "Pending", "OutputS3Region": "us-east-1", "OutputS3BucketName": "", "OutputS3KeyPrefix": "",
        "MaxConcurrency": "50", "MaxErrors": "0", "TargetCount": 1, "CompletedCount": 0, "ErrorCount": 0,
        "DeliveryTimedOutCount": 0, "ServiceRole": "", "NotificationConfig": {"NotificationArn": "",
        "NotificationEvents": [], "NotificationType": ""}, "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "",
        "CloudWatchOutputEnabled": False}, "TimeoutSeconds": 3600, "TriggeredAlarms": []}}


def command_invocation(iid):
    return {"CommandId": command_id(iid), "InstanceId": iid, "Comment": "cloudwarden compute.instance/install-patches",
            "DocumentName": "AWS-RunPatchBaseline", "DocumentVersion": "$DEFAULT", "PluginName": "PatchLinux",
            "ResponseCode": 0, "ExecutionStartDateTime": "2026-12-05T03:00:01.215Z",
            "ExecutionElapsedTime": "PT2M14.561S", "ExecutionEndDateTime": "2026-12-05T03:02:15.776Z",
            "Status": "Success", "StatusDetails": "Success",
            "StandardOutputContent": "Patch operation Install completed.", "StandardOutputUrl": "",
            "StandardErrorContent": "", "StandardErrorUrl": "",
            "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False}}


def patch_state(iid, critical, security, other, installed):
    s = {"InstanceId": iid, "PatchGroup": "",
         "BaselineId": "arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0e392de35e7c563b7",
         "SnapshotId": "b0e65479-79e3-4c3c-9f0e-8e2d2f5b7c11", "OwnerInformation": "",
         "InstalledCount": 412, "InstalledOtherCount": 7, "InstalledPendingRebootCount": 0,
         "InstalledRejectedCount": 0, "MissingCount": critical + security + other,
         "FailedCount": 1 if installed and critical else 0, "UnreportedNotApplicableCount": 0,
         "NotApplicableCount": 1032, "OperationStartTime": "@installed" if installed else "@now",
         "OperationEndTime": "@installed" if installed else "@now",
         "Operation": "Install" if installed else "Scan", "LastNoRebootInstallOperationTime": 1.79481240E9,
         "RebootOption": "RebootIfNeeded", "CriticalNonCompliantCount": critical,
         "SecurityNonCompliantCount": security, "OtherNonCompliantCount": other}
    return s


def templated_json(doc):
    # "@now" placeholders become the request time less a day, as epoch seconds (SSM's wire format for times)
    # "@installed": the request time itself (an Install run assesses the instance when it ends: newer than the scan)
    return (json.dumps(doc, indent=1).replace('"@now"', yesterday_unix())
            .replace('"@installed"', "{{date (truncateDate (now) 'first hour of day') format='unix'}}") + "\n")


def ssm(target, resp, body_patterns=(), **kw):
    m = {"request": {"method": "POST", "urlPath": "/", "headers": {"X-Amz-Target": {"equalTo": f"AmazonSSM.{target}"}}},
         "response": response(resp, "application/x-amz-json-1.1", templated=kw.pop("templated", False))}
    if body_patterns:
        m["request"]["bodyPatterns"] = list(body_patterns)
    if "priority" in kw:
        m["priority"] = kw.pop("priority")
    return m


def aws():
    body("aws/patch/describe-instances-page2.xml", ec2_page2())
    body("aws/patch/describe-volumes-page2.xml", volumes_page2())
    info = {"InstanceInformationList": [ssm_info(i, ip, n) for i, ip, n, *_ in SSM_NODES]}
    body("aws/patch/describe-instance-information.json", templated_json(info))
    ms = [
        # the second pages of the EC2 reads (record.py's first pages carry the nextToken)
        {"request": {"method": "POST", "urlPath": "/", "bodyPatterns": [
            {"contains": "Action=DescribeInstances&"}, {"contains": f"NextToken={NEXT_INSTANCES}"}]},
         "response": response("aws/patch/describe-instances-page2.xml", "text/xml;charset=UTF-8")},
        {"request": {"method": "POST", "urlPath": "/", "bodyPatterns": [
            {"contains": "Action=DescribeVolumes&"}, {"contains": f"NextToken={NEXT_VOLUMES}"}]},
         "response": response("aws/patch/describe-volumes-page2.xml", "text/xml;charset=UTF-8")},
        ssm("DescribeInstanceInformation", "aws/patch/describe-instance-information.json", templated=True),
    ] + [
        {"request": {"method": "POST", "urlPath": "/", "bodyPatterns": [
            {"contains": "Action=DescribeInstances&"}, {"contains": f"InstanceId.1={i[1]}"}]},
         "response": response(body(f"aws/patch/describe-instances-{i[0]}.xml", ec2_one(*i)),
                              "text/xml;charset=UTF-8"), "priority": 2} for i in AWS_NEW
    ] + [
        # no earlier run of this plan's install on any instance (InstallPatches looks before sending)
        ssm("ListCommands", body("aws/patch/list-commands-none.json", '{"Commands":[]}\n')),
    ]
    # Patch states: one scenario, "aws-patch", whose state names the instances installed so far. The rollout
    # patches in resource-id order (app-1, app-2, web-1), so each SendCommand moves it one step along ORDER; a repeated
    # install (the halted app-2 tried again) leaves it where it is. The scan asks for every managed node at once, a
    # re-read for one instance: each is answered from the state.
    before = {i: patch_state(i, c, s, o, False) for i, _, _, c, s, o in SSM_NODES}
    states = ["Started"] + [n for n in ORDER]
    for k, state in enumerate(states):
        done = set(ORDER[:k])
        suffix = "" if k == 0 else "-" + state
        rows = [patch_state(i, *INSTALLED[i], True) if name_of(i) in done else before[i] for i in before]
        full = body(f"aws/patch/describe-instance-patch-states{suffix}.json",
                    templated_json({"InstancePatchStates": rows}))
        ms.append(scenario(ssm("DescribeInstancePatchStates", full, templated=True, priority=5), "aws-patch", state))
        for iid in INSTALLED:
            name = name_of(iid)
            one = f"aws/patch/patch-state-{name}" + ("-installed" if name in done else "") + ".json"
            body(one, templated_json({"InstancePatchStates": [next(r for r in rows if r["InstanceId"] == iid)]}))
            only = [{"matchesJsonPath": {"expression": "$.InstanceIds.length()", "equalTo": "1"}},
                    {"matchesJsonPath": {"expression": "$.InstanceIds[0]", "equalTo": iid}}]
            ms.append(scenario(ssm("DescribeInstancePatchStates", one, only, templated=True, priority=2),
                               "aws-patch", state))
            # AWS-RunPatchBaseline Install on this instance: moves the scenario when it is the next one in ORDER
            send = {"matchesJsonPath": {"expression": "$.InstanceIds[0]", "equalTo": iid}}
            doc = {"matchesJsonPath": {"expression": "$.DocumentName", "equalTo": "AWS-RunPatchBaseline"}}
            command = body(f"aws/patch/send-command-{name}.json", json.dumps(send_command(iid), indent=1) + "\n")
            if k < len(ORDER) and ORDER[k] == name:
                ms.append(scenario(ssm("SendCommand", command, [send, doc], priority=2), "aws-patch", state,
                                   ORDER[k]))
            elif name in done:
                ms.append(scenario(ssm("SendCommand", command, [send, doc], priority=2), "aws-patch", state))
        # GetCommandInvocation: the command ran (AWS-RunPatchBaseline reports Success even when a patch it installed
        # did not take: the re-read of the patch state is what tells)
    for iid in INSTALLED:
        name = name_of(iid)
        inv = body(f"aws/patch/get-command-invocation-{name}.json",
                   json.dumps(command_invocation(iid), indent=1) + "\n")
        ms.append(ssm("GetCommandInvocation", inv, [{"matchesJsonPath": {"expression": "$.InstanceId",
                                                                          "equalTo": iid}}], priority=2))
    write(os.path.join(MAPPINGS, "aws-ssm.json"), json.dumps({"mappings": ms}, indent=2) + "\n")

    # Terraform declares the new instances (created by the same configuration as web-1)
    path = os.path.join(TERRAFORM, "aws.tfstate")
    with open(path, encoding="utf-8") as f:
        state = json.load(f)
    web = next(r for r in state["resources"] if r["type"] == "aws_instance" and r["name"] == "web")
    state["resources"] = [r for r in state["resources"]
                          if not (r["type"] == "aws_instance" and r["name"] in [n.replace("-", "_") for n, *_ in AWS_NEW])]
    at = state["resources"].index(web) + 1
    for name, iid, ip, vol, managed in AWS_NEW:
        r = copy.deepcopy(web)
        r["name"] = name.replace("-", "_")
        a = r["instances"][0]["attributes"]
        a.update({"arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{iid}", "id": iid,
                  "associate_public_ip_address": False, "ebs_block_device": [],
                  "iam_instance_profile": "" if managed is None else "app-profile", "instance_type": "t3.small",
                  "private_ip": ip, "public_ip": "", "tags": {"Name": name, "env": "prod", "role": "app"},
                  "tags_all": {"Name": name, "env": "prod", "role": "app"}, "vpc_security_group_ids": []})
        a["metadata_options"][0]["http_tokens"] = "required"
        a["root_block_device"][0].update({"volume_id": vol, "volume_size": 20})
        state["resources"].insert(at, r)
        at += 1
    write(path, json.dumps(state, indent=2) + "\n")


# ------------------------------------------------------------------------------------------------------------ GCP
# VM Manager (OS Config v1) per zone: inventories (view=FULL) and vulnerability reports of instances/-.
#   web-1  (record.py's) reports; 2 critical CVE fixes available                    -> instance-patch-critical-missing
#   api-1  a second page of the CAI instance listing; 1 critical CVE fix available  -> instance-patch-critical-missing
#   api-2  reports, nothing available, assessed yesterday                           -> compliant
#   batch-2 (record.py's, TERMINATED, europe-west1-b): its zone has no inventory (agent never reported): unmanaged,
#   but stopped instances are not judged
PROJECT = "cw-demo-prod"
PROJECT_NUMBER = "482910375521"
ZONE = "us-central1-a"
CAI_NEXT = "Q0FJLXBhdGNoLWZsZWV0LXBhZ2UtMg"
GCP_NEW = [("api-1", "3920011928374650031", "10.128.0.21"), ("api-2", "3920011928374650032", "10.128.0.22")]
GCP_NODES = {  # name -> (id, critical CVE fixes available, other packages available)
    "web-1": ("3920011928374650012", [("CVE-2024-5535", "openssl", "3.0.15-1~deb12u1", "3.0.11-1~deb12u2"),
                                     ("CVE-2025-0395", "libc6", "2.36-9+deb12u10", "2.36-9+deb12u7")],
              [("curl", "7.88.1-10+deb12u12", "7.88.1-10+deb12u8")]),
    "api-1": ("3920011928374650031", [("CVE-2024-5535", "openssl", "3.0.15-1~deb12u1", "3.0.11-1~deb12u2")], []),
    "api-2": ("3920011928374650032", [], []),
}


def gcp_asset(web, name, iid, ip):
    a = copy.deepcopy(web)
    a["name"] = f"//compute.googleapis.com/projects/{PROJECT}/zones/{ZONE}/instances/{name}"
    d = a["resource"]["data"]
    d.update({"id": iid, "name": name})
    d["networkInterfaces"] = [{"network": d["networkInterfaces"][0]["network"], "networkIP": ip, "name": "nic0"}]
    d["disks"] = [d["disks"][0]]
    d["disks"][0].update({"source": d["disks"][0]["source"].replace("/web-1", "/" + name), "deviceName": name})
    d["serviceAccounts"] = [{"email": f"api-runtime@{PROJECT}.iam.gserviceaccount.com",
                             "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]
    d["labels"] = {"env": "prod", "role": "api"}
    return a


GCP_ORDER = ["api-1", "web-1"]


def patch_job(name):
    return {"name": f"projects/{PROJECT_NUMBER}/patchJobs/7b1d0f6e-3c2a-4e8b-9a5d-0a11000000" + ("01" if name == "api-1" else "02"),
            "displayName": "cloudwarden-install-patches", "description": "Cloudwarden compute.instance/install-patches",
            "createTime": "2026-12-05T03:00:05.318934Z", "updateTime": "2026-12-05T03:14:19.552031Z",
            "state": "SUCCEEDED",
            "instanceFilter": {"instances": [f"projects/{PROJECT}/zones/{ZONE}/instances/{name}"]},
            "patchConfig": {"rebootConfig": "DEFAULT", "yum": {"security": True},
                            "zypper": {"categories": ["security"]},
                            "windowsUpdate": {"classifications": ["CRITICAL", "SECURITY"]}},
            "duration": "7200s", "instanceDetailsSummary": {"succeededInstanceCount": "1"}, "percentComplete": 100}


def inventory(name, iid, critical, other, at="@yesterday"):
    items = {}
    for _, pkg, new, old in critical:
        items[f"availablePackage-{pkg}:amd64:{new}"] = {
            "id": f"availablePackage-{pkg}:amd64:{new}", "originType": "INVENTORY_REPORT",
            "createTime": "@yesterday", "updateTime": "@yesterday", "type": "AVAILABLE_PACKAGE",
            "availablePackage": {"aptPackage": {"packageName": pkg, "architecture": "amd64", "version": new}}}
        items[f"installedPackage-{pkg}:amd64:{old}"] = {
            "id": f"installedPackage-{pkg}:amd64:{old}", "originType": "INVENTORY_REPORT",
            "createTime": "@yesterday", "updateTime": "@yesterday", "type": "INSTALLED_PACKAGE",
            "installedPackage": {"aptPackage": {"packageName": pkg, "architecture": "amd64", "version": old}}}
    for pkg, new, old in other:
        items[f"availablePackage-{pkg}:amd64:{new}"] = {
            "id": f"availablePackage-{pkg}:amd64:{new}", "originType": "INVENTORY_REPORT",
            "createTime": "@yesterday", "updateTime": "@yesterday", "type": "AVAILABLE_PACKAGE",
            "availablePackage": {"aptPackage": {"packageName": pkg, "architecture": "amd64", "version": new}}}
    return {"name": f"projects/{PROJECT_NUMBER}/locations/{ZONE}/instances/{iid}/inventory",
            "osInfo": {"hostname": name, "longName": "Debian GNU/Linux 12 (bookworm)", "shortName": "debian",
                       "version": "12", "architecture": "x86_64",
                       "kernelVersion": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)",
                       "kernelRelease": "6.1.0-27-cloud-amd64", "osconfigAgentVersion": "20241106.00-g1"},
            "items": items, "updateTime": at}


def vulnerability_report(iid, critical, at="@yesterday"):
    return {"name": f"projects/{PROJECT_NUMBER}/locations/{ZONE}/instances/{iid}/vulnerabilityReport",
            "updateTime": at,
            "vulnerabilities": [{
                "details": {"cve": cve, "cvssV2Score": 0, "cvssV3": {"baseScore": 9.8}, "severity": "CRITICAL",
                            "description": f"{cve} in {pkg}",
                            "references": [{"url": f"https://security-tracker.debian.org/tracker/{cve}",
                                            "source": "https://security-tracker.debian.org"}]},
                "installedInventoryItemIds": [f"installedPackage-{pkg}:amd64:{old}"],
                "availableInventoryItemIds": [f"availablePackage-{pkg}:amd64:{new}"],
                "createTime": "@yesterday", "updateTime": "@yesterday"} for cve, pkg, new, old in critical]}


def gtemplated(doc):
    # OS Config writes RFC 3339 times; "assessed yesterday" relative to the request
    return (json.dumps(doc, indent=1).replace('"@yesterday"', YESTERDAY)
            .replace('"@now"', TODAY) + "\n")


def osconfig(path, resp, templated=True):
    return {"request": {"method": "GET", "urlPath": path},
            "response": response(resp, "application/json", templated=templated)}


def gcp():
    with open(os.path.join(FILES, "gcp/cai/instances.json"), encoding="utf-8") as f:
        page1 = json.load(f)
    web = next(a for a in page1["assets"] if a["name"].endswith("/instances/web-1"))
    page2 = {"readTime": page1["readTime"], "assets": [gcp_asset(web, *i) for i in GCP_NEW]}
    ms = [{"request": {"method": "GET", "urlPath": f"/v1/projects/{PROJECT}/assets", "queryParameters": {
        "contentType": {"equalTo": "1"}, "assetTypes": {"equalTo": "compute.googleapis.com/Instance"},
        "pageToken": {"equalTo": CAI_NEXT}}},
        "response": response(jbody("gcp/patch/cai-instances-page2.json", page2), "application/json"),
        "priority": 1}]
    parent = f"/v1/projects/{PROJECT}/locations/{ZONE}/instances/-"
    # Scenario "gcp-patch" names the instances patched so far, in the rollout's order (resource id: api-1, web-1);
    # each patch job moves it one step; the zone's inventories and vulnerability reports follow it. A patched
    # instance's inventory is re-reported when the job ends (updateTime: the request time) with nothing available.
    for k, state in enumerate(["Started"] + GCP_ORDER):
        done = set(GCP_ORDER[:k])
        suffix = "" if k == 0 else "-" + state
        inv = {"inventories": [inventory(n, i, [] if n in done else c, [] if n in done else o,
                                         "@now" if n in done else "@yesterday")
                               for n, (i, c, o) in GCP_NODES.items()]}
        reps = {"vulnerabilityReports": [vulnerability_report(i, [] if n in done else c,
                                                              "@now" if n in done else "@yesterday")
                                         for n, (i, c, o) in GCP_NODES.items()]}
        ms.append(scenario(osconfig(parent + "/inventories",
                                    body(f"gcp/patch/inventories-us-central1-a{suffix}.json", gtemplated(inv))),
                           "gcp-patch", state))
        ms.append(scenario(osconfig(parent + "/vulnerabilityReports",
                                    body(f"gcp/patch/vulnerability-reports-us-central1-a{suffix}.json",
                                         gtemplated(reps))), "gcp-patch", state))
        if k < len(GCP_ORDER):
            name = GCP_ORDER[k]
            job = body(f"gcp/patch/patch-job-{name}.json", json.dumps(patch_job(name), indent=1) + "\n")
            ms.append(scenario({"request": {"method": "POST", "urlPath": f"/v1/projects/{PROJECT}/patchJobs:execute",
                                            "bodyPatterns": [{"matchesJsonPath": {
                                                "expression": "$.instanceFilter.instances[0]",
                                                "contains": f"/instances/{name}"}}]},
                                "response": response(job, "application/json")}, "gcp-patch", state, name))
    # no earlier patch job of any plan (InstallPatches looks before executing one)
    ms.append(osconfig(f"/v1/projects/{PROJECT}/patchJobs", body("gcp/patch/patch-jobs-none.json", "{}\n"), False))
    # the re-read after a fix: Compute's instances.get (CAI's listing carries the same resource)
    with open(os.path.join(FILES, "gcp/cai/instances.json"), encoding="utf-8") as f:
        listed = json.load(f)["assets"] + page2["assets"]
    for a in listed:
        d = a["resource"]["data"]
        if d["name"] in GCP_ORDER:
            get = dict(d, kind="compute#instance",
                       selfLink=f"https://www.googleapis.com/compute/v1/projects/{PROJECT}/zones/{ZONE}/instances/"
                                + d["name"])
            ms.append({"request": {"method": "GET",
                                   "urlPath": f"/compute/v1/projects/{PROJECT}/zones/{ZONE}/instances/{d['name']}"},
                       "response": response(jbody(f"gcp/patch/instance-{d['name']}.json", get), "application/json")})
    empty = body("gcp/patch/empty.json", "{}\n")
    ms.append(osconfig(f"/v1/projects/{PROJECT}/locations/europe-west1-b/instances/-/inventories", empty, False))
    ms.append(osconfig(f"/v1/projects/{PROJECT}/locations/europe-west1-b/instances/-/vulnerabilityReports", empty,
                       False))
    write(os.path.join(MAPPINGS, "gcp-osconfig.json"), json.dumps({"mappings": ms}, indent=2) + "\n")

    # Terraform declares the new instances like web-1 (no external address, one boot disk)
    path = os.path.join(TERRAFORM, "gcp.tfstate")
    with open(path, encoding="utf-8") as f:
        state = json.load(f)
    names = [n.replace("-", "_") for n, _, _ in GCP_NEW]
    state["resources"] = [r for r in state["resources"]
                          if not (r["type"] == "google_compute_instance" and r["name"] in names)]
    tf_web = next(r for r in state["resources"] if r["type"] == "google_compute_instance" and r["name"] == "web")
    at = state["resources"].index(tf_web) + 1
    for name, iid, ip in GCP_NEW:
        r = copy.deepcopy(tf_web)
        r["name"] = name.replace("-", "_")
        a = r["instances"][0]["attributes"]
        a.update({"id": f"projects/{PROJECT}/zones/{ZONE}/instances/{name}", "name": name, "instance_id": iid,
                  "attached_disk": [], "labels": {}, "terraform_labels": {"env": "prod", "role": "api"},
                  "effective_labels": {"env": "prod", "role": "api"}})
        a["boot_disk"][0]["device_name"] = name
        a["network_interface"] = [{"network": "default", "network_ip": ip, "access_config": []}]
        a["service_account"][0]["email"] = f"api-runtime@{PROJECT}.iam.gserviceaccount.com"
        state["resources"].insert(at, r)
        at += 1
    write(path, json.dumps(state, indent=2) + "\n")


# ---------------------------------------------------------------------------------------------------------- Azure
# Azure Update Manager in Resource Graph: patchassessmentresources (latest assessment per VM) and
# patchinstallationresources (installation runs of the last 30 days).
#   web-01 (record.py's) assessed yesterday, 1 critical + 2 security available -> instance-patch-critical-missing
#   app-01 a second Resource Graph page of VMs; 2 critical available          -> instance-patch-critical-missing
#   app-02 compliant counts, but its last assessment is from 2026-10-20       -> instance-patch-assessment-stale
SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-prod"
VM_NEXT = "ew0KICAiJGlkIjogInZtLXBhdGNoLWZsZWV0Ig0KfQ"
AZ_NEW = [("app-01", "7a1b2c3d-0a11-4e5f-8a6b-000000000001", "10.20.2.4"),
          ("app-02", "7a1b2c3d-0a11-4e5f-8a6b-000000000002", "10.20.2.5")]
AZ_ASSESSED = {  # vm -> (critical, security, other, lastModifiedDateTime or "@yesterday")
    "web-01": (1, 2, 3, "@yesterday"),
    "app-01": (2, 1, 0, "@yesterday"),
    "app-02": (0, 0, 0, "2026-10-20T04:10:12.0450000Z"),
}


AZ_ORDER = ["app-01", "web-01"]
OPERATIONS = {"app-01": "5e6f7a8b-9c0d-4e1f-a2b3-0a1100000001", "web-01": "5e6f7a8b-9c0d-4e1f-a2b3-0a1100000002"}


def installation(name, run, at):
    return {"id": f"{RG}/providers/Microsoft.Compute/virtualMachines/{name}/patchInstallationResults/{run}",
            "properties_status": "Succeeded", "lastModifiedDateTime": at}


def install_operation(name):
    return {"startTime": "2026-12-05T03:00:06.1234567+00:00", "endTime": "2026-12-05T03:20:13.4455667+00:00",
            "status": "Succeeded", "name": OPERATIONS[name],
            "properties": {"output": {
                "status": "Succeeded", "installationActivityId": "7f8e9d0c-1b2a-4394-8576-0a11000000"
                + ("01" if name == "app-01" else "02"), "rebootStatus": "Completed",
                "maintenanceWindowExceeded": False, "excludedPatchCount": 0, "notSelectedPatchCount": 3,
                "pendingPatchCount": 0, "installedPatchCount": 3, "failedPatchCount": 0,
                "patches": [{"patchId": "Ubuntu_openssl_3.0.2-0ubuntu1.18", "name": "openssl",
                             "version": "3.0.2-0ubuntu1.18", "classifications": ["Security"],
                             "installationState": "Installed"},
                            {"patchId": "Ubuntu_libssl3_3.0.2-0ubuntu1.18", "name": "libssl3",
                             "version": "3.0.2-0ubuntu1.18", "classifications": ["Security"],
                             "installationState": "Installed"},
                            {"patchId": "Ubuntu_linux-image-azure_6.8.0-1017.20", "name": "linux-image-azure",
                             "version": "6.8.0-1017.20", "classifications": ["Critical"],
                             "installationState": "Installed"}],
                "startDateTime": "2026-12-05T03:00:06.1234567+00:00", "error": None}}}


def az_vm(web, name, vm_id, ip):
    v = copy.deepcopy(web)
    v.update({"id": f"{RG}/providers/Microsoft.Compute/virtualMachines/{name}", "name": name,
              "tags": {"env": "prod", "role": "app"}, "identity": None})
    p = v["properties"]
    p["vmId"] = vm_id
    disk = f"{name}_OsDisk_1_0a11"
    p["storageProfile"]["osDisk"].update({"name": disk, "managedDisk": {
        "storageAccountType": "Premium_LRS", "id": f"{RG}/providers/Microsoft.Compute/disks/{disk}"}})
    p["storageProfile"]["dataDisks"] = []
    p["osProfile"]["computerName"] = name
    # Update Manager assesses these periodically (Azure-orchestrated patching)
    p["osProfile"]["linuxConfiguration"]["patchSettings"] = {"patchMode": "AutomaticByPlatform",
                                                            "assessmentMode": "AutomaticByPlatform"}
    p["networkProfile"]["networkInterfaces"] = [
        {"id": f"{RG}/providers/Microsoft.Network/networkInterfaces/{name}-nic"}]
    p["extended"]["instanceView"]["computerName"] = name
    return v


def az_nic(web_nic, name, ip):
    n = copy.deepcopy(web_nic)
    nic = f"{RG}/providers/Microsoft.Network/networkInterfaces/{name}-nic"
    n.update({"name": f"{name}-nic", "id": nic})
    cfg = n["properties"]["ipConfigurations"][0]
    cfg["id"] = nic + "/ipConfigurations/ipconfig1"
    cfg["properties"].pop("publicIPAddress", None)
    cfg["properties"]["privateIPAddress"] = ip
    cfg["properties"]["subnet"]["id"] = cfg["properties"]["subnet"]["id"].replace("/subnets/web", "/subnets/app")
    n["properties"].pop("networkSecurityGroup", None)
    n["properties"]["virtualMachine"]["id"] = f"{RG}/providers/Microsoft.Compute/virtualMachines/{name}"
    return n


def assessment(name, critical, security, other, at):
    return {"id": f"{RG}/providers/Microsoft.Compute/virtualMachines/{name}/patchAssessmentResults/latest",
            "name": "8b1d2c3e-4f5a-4b6c-9d7e-0a11000000" + {"web-01": "01", "app-01": "02", "app-02": "03"}[name],
            "type": "microsoft.compute/virtualmachines/patchassessmentresults",
            "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47", "kind": "", "location": "westeurope",
            "resourceGroup": "rg-prod", "subscriptionId": SUB, "managedBy": "", "sku": None, "plan": None,
            "properties": {"status": "Succeeded", "rebootPending": False, "patchServiceUsed": "APT",
                           "availablePatchCountByClassification": {"security": security, "critical": critical,
                                                                   "other": other},
                           "lastModifiedDateTime": at, "startDateTime": at, "startedBy": "Platform",
                           "osType": "Linux", "errorDetails": None,
                           "assessmentActivityId": "f0e1d2c3-b4a5-4697-8877-0a1100000000"},
            "tags": None, "identity": None, "zones": None, "extendedLocation": None}


def graph_page(rows, skip=None, total=None):
    doc = {"totalRecords": total or len(rows), "count": len(rows), "resultTruncated": "false"}
    if skip:
        doc["$skipToken"] = skip
    doc["data"] = rows
    doc["facets"] = []
    return doc


def graph(query_contains, resp, extra=(), templated=False, priority=None):
    m = {"request": {"method": "POST", "urlPath": "/providers/Microsoft.ResourceGraph/resources",
                     "queryParameters": {"api-version": {"equalTo": "2021-03-01"}},
                     "bodyPatterns": [{"matchesJsonPath": {"expression": "$.subscriptions[0]", "equalTo": SUB}},
                                      {"matchesJsonPath": {"expression": "$.query", "contains": query_contains}}]
                     + list(extra)},
         "response": response(resp, "application/json; charset=utf-8", templated=templated)}
    if priority:
        m["priority"] = priority
    return m


def azure():
    with open(os.path.join(FILES, "azure/rg-vm.json"), encoding="utf-8") as f:
        page1 = json.load(f)
    with open(os.path.join(FILES, "azure/nic-web-01.json"), encoding="utf-8") as f:
        web_nic = json.load(f)
    web = next(v for v in page1["data"] if v["name"] == "web-01")
    ms = [graph("'Microsoft.Compute/virtualMachines'",
                jbody("azure/patch/rg-vm-page2.json", graph_page([az_vm(web, *v) for v in AZ_NEW], total=1 + len(AZ_NEW))),
                [{"matchesJsonPath": {"expression": "$.options['$skipToken']", "equalTo": VM_NEXT}}], priority=1)]
    for name, _, ip in AZ_NEW:
        ms.append({"request": {"method": "GET",
                               "urlPath": f"{RG}/providers/Microsoft.Network/networkInterfaces/{name}-nic"},
                   "response": response(jbody(f"azure/patch/nic-{name}.json", az_nic(web_nic, name, ip)),
                                        "application/json; charset=utf-8")})
    # Scenario "azure-patch" names the VMs patched so far, in the rollout's order (resource id: app-01, web-01); each
    # installPatches moves it one step, and Resource Graph's assessment and installation rows follow it: a patched VM
    # is re-assessed when the install ends (lastModifiedDateTime: the request time) with nothing critical or security
    # left, and its user-started installation is on record.
    with open(os.path.join(FILES, "azure/vm-web-01-get.json"), encoding="utf-8") as f:
        web_get = json.load(f)
    for k, state in enumerate(["Started"] + AZ_ORDER):
        done = set(AZ_ORDER[:k])
        suffix = "" if k == 0 else "-" + state
        rows = [assessment(n, *((0, 0, v[2], "@now") if n in done else v)) for n, v in AZ_ASSESSED.items()]
        text = (json.dumps(graph_page(rows), indent=1).replace('"@yesterday"', YESTERDAY)
                .replace('"@now"', TODAY) + "\n")
        ms.append(scenario(graph("patchassessmentresources",
                                 body(f"azure/patch/patch-assessments{suffix}.json", text),
                                 [{"doesNotContain": "startedBy"}], templated=True), "azure-patch", state))
        installs = [installation("web-01", "2b3c4d5e-6f70-4a81-9b92-0a1100000001", "2026-11-16T02:45:31.1200000Z")]
        installs += [installation(n, "2b3c4d5e-6f70-4a81-9b92-0a11000000" + ("11" if n == "app-01" else "12"),
                                  "@now") for n in AZ_ORDER if n in done]
        text = json.dumps(graph_page(installs), indent=1).replace('"@now"', TODAY) + "\n"
        ms.append(scenario(graph("patchinstallationresources",
                                 body(f"azure/patch/patch-installations{suffix}.json", text),
                                 [{"doesNotContain": "startedBy"}], templated=True), "azure-patch", state))
        if k < len(AZ_ORDER):
            name = AZ_ORDER[k]
            op = f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/westeurope/operations/" + OPERATIONS[name]
            ms.append(scenario({"request": {"method": "POST", "urlPath":
                                            f"{RG}/providers/Microsoft.Compute/virtualMachines/{name}/installPatches"},
                                "response": {"status": 202, "headers": {
                                    "Azure-AsyncOperation": f"https://management.azure.com{op}?api-version=2024-07-01",
                                    "Location": f"https://management.azure.com{op}?p=installPatches&api-version=2024-07-01",
                                    "Retry-After": "0"}}}, "azure-patch", state, name))
    for name in AZ_ORDER:
        op = f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/westeurope/operations/" + OPERATIONS[name]
        ms.append({"request": {"method": "GET", "urlPath": op},
                   "response": response(jbody(f"azure/patch/install-patches-operation-{name}.json",
                                              install_operation(name)), "application/json; charset=utf-8")})
    # an earlier user-started install of the same plan (InstallPatches looks before starting one): none
    ms.append(graph("patchinstallationresources", jbody("azure/patch/patch-installations-user-none.json",
                                                        graph_page([])), [{"contains": "startedBy"}], priority=1))
    # the re-read after a fix: ARM's VM GET with its instance view (running, agent ready)
    for name, vm_id, ip in [("web-01", None, None)] + AZ_NEW:
        v = copy.deepcopy(web_get)
        iv = v["properties"]["instanceView"]
        iv["statuses"] = [iv["statuses"][0], {"code": "PowerState/running", "level": "Info",
                                              "displayStatus": "VM running"}]
        if vm_id:
            v.update({"name": name, "id": f"{RG}/providers/Microsoft.Compute/virtualMachines/{name}",
                      "tags": {"env": "prod", "role": "app"}})
            v.pop("identity", None)
            p = v["properties"]
            p["vmId"] = vm_id
            disk = f"{name}_OsDisk_1_0a11"
            p["storageProfile"]["osDisk"].update({"name": disk, "managedDisk": {
                "storageAccountType": "Premium_LRS", "id": f"{RG}/providers/Microsoft.Compute/disks/{disk}"}})
            p["storageProfile"]["dataDisks"] = []
            p["osProfile"]["computerName"] = name
            p["osProfile"]["linuxConfiguration"]["patchSettings"] = {"patchMode": "AutomaticByPlatform",
                                                                    "assessmentMode": "AutomaticByPlatform"}
            p["networkProfile"]["networkInterfaces"] = [
                {"id": f"{RG}/providers/Microsoft.Network/networkInterfaces/{name}-nic"}]
            iv["computerName"] = name
            iv["disks"][0]["name"] = disk
        ms.append({"request": {"method": "GET", "urlPath": f"{RG}/providers/Microsoft.Compute/virtualMachines/{name}"},
                   "response": response(jbody(f"azure/patch/vm-{name}-get.json", v),
                                        "application/json; charset=utf-8"), "priority": 1})
    write(os.path.join(MAPPINGS, "azure-patch.json"), json.dumps({"mappings": ms}, indent=2) + "\n")

    path = os.path.join(TERRAFORM, "azure.tfstate")
    with open(path, encoding="utf-8") as f:
        state = json.load(f)
    names = [n.replace("-", "_") for n, _, _ in AZ_NEW]
    state["resources"] = [r for r in state["resources"]
                          if not (r["type"] == "azurerm_linux_virtual_machine" and r["name"] in names)]
    tf_web = next(r for r in state["resources"]
                  if r["type"] == "azurerm_linux_virtual_machine" and r["name"] == "web")
    at = state["resources"].index(tf_web) + 1
    for name, vm_id, ip in AZ_NEW:
        r = copy.deepcopy(tf_web)
        r["name"] = name.replace("-", "_")
        a = r["instances"][0]["attributes"]
        a.update({"computer_name": name, "id": f"{RG}/providers/Microsoft.Compute/virtualMachines/{name}",
                  "identity": [], "name": name,
                  "network_interface_ids": [f"{RG}/providers/Microsoft.Network/networkInterfaces/{name}-nic"],
                  "private_ip_address": ip, "private_ip_addresses": [ip], "public_ip_address": "",
                  "public_ip_addresses": [], "tags": {"env": "prod", "role": "app"}, "virtual_machine_id": vm_id,
                  "patch_mode": "AutomaticByPlatform", "patch_assessment_mode": "AutomaticByPlatform"})
        a["os_disk"][0]["name"] = f"{name}_OsDisk_1_0a11"
        state["resources"].insert(at, r)
        at += 1
    write(path, json.dumps(state, indent=2) + "\n")


def first_pages():
    """record.py's first pages point at this script's second pages (idempotent: re-run after record.py)."""
    def edit(rel, old, new):
        path = os.path.join(FILES, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if new.strip() not in text:
            assert old in text, f"{rel}: expected {old!r}"
            write(path, text.replace(old, new, 1))
    edit("aws/ec2/describe-instances.xml", "    </reservationSet>\n",
         f"    </reservationSet>\n    <nextToken>{NEXT_INSTANCES}</nextToken>\n")
    edit("aws/ec2/describe-volumes.xml", "    </volumeSet>\n", f"    </volumeSet>\n    <nextToken>{NEXT_VOLUMES}</nextToken>\n")
    edit("gcp/cai/instances.json", '  "assets": [', f'  "nextPageToken": "{CAI_NEXT}",\n  "assets": [')
    edit("azure/rg-vm.json", '  "resultTruncated": "false",\n',
         f'  "resultTruncated": "false",\n  "$skipToken": "{VM_NEXT}",\n')
    # the EC2 first pages must not answer the second page's request
    path = os.path.join(MAPPINGS, "aws-ec2.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for m in doc["mappings"]:
        bp = m["request"].get("bodyPatterns", [])
        if [p.get("contains") for p in bp] in (["Action=DescribeInstances&"], ["Action=DescribeVolumes&"]):
            bp.append({"doesNotContain": "NextToken="})
    write(path, json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    first_pages()
    aws()
    gcp()
    azure()
