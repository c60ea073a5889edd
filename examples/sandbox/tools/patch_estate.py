#!/usr/bin/env python3
"""Builds the sandbox's patch estate (issue 14): the instances that miss patches and what each cloud's patch service
says about them, in the services' own wire formats, plus the WireMock scenarios the install-patches rollout moves.

Kept apart from record.py (which builds the rest of the estate) so the two can be regenerated independently: this
script writes only its own files (mappings/{aws-ssm,azure-patch,gcp-osconfig}.json and __files/{aws,azure,gcp}/patch/)
and adds its instances to the Terraform states (replacing its own entries, so it can be re-run). Run from the
repository root: python3 examples/sandbox/tools/patch_estate.py (the output is committed).

Dates: assessment times are WireMock response templates relative to the time of the request
({{now offset='-1 days'}}), so "assessed yesterday" stays fresh and the stale rule (older than 7 days) fires on
exactly the instance planted with an old fixed date, whatever day the sandbox runs.
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


def yesterday_unix():
    # SSM (JSON 1.1) writes times as epoch seconds
    return "{{now offset='-1 days' format='unix'}}"


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
            .replace('"@installed"', "{{now format='unix'}}") + "\n")


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


if __name__ == "__main__":
    aws()
