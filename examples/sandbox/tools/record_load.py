#!/usr/bin/env python3
"""Builds the sandbox's load data (issue 15): the metrics and scale-out groups that make the three utilization rules
show in `cloudwarden sandbox`. Run from the repository root; the output is committed. Kept apart from record.py
(which copies the providers' fixtures): these responses are written here, in each API's wire format, for a 7-day
window of 5-minute periods (the default `cloudwarden.utilization.window-days`).

- Azure VM web-01 is idle (Percentage CPU ~2%: `instance-idle`), from the metrics batch API.
- Azure Uniform scale set api-vmss has two instances, one at ~94% and one at ~3%: `group-load-imbalanced`.
- AWS instance web-1 runs at ~35% (CloudWatch GetMetricData, Smithy RPC v2 CBOR): no finding.
- AWS Auto Scaling group cw-sandbox-workers (min 2, max 6, desired 3; DescribeAutoScalingGroups, query XML) has three
  running members at ~41/45/49% CPU: a balanced group, no finding. Its members are a third page of the EC2 listings
  (after patch_estate.py's second pages, which this script points at them): run this script after patch_estate.py.
- GCP instance web-1 runs at ~96% (Cloud Monitoring timeSeries.list): `instance-overloaded`; the project has no
  managed instance groups (the aggregated lists answer with their per-scope "no results" warnings).
"""
import datetime
import json
import math
import os
import random

ROOT = "examples/sandbox/recorded"
SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-prod"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
PROJECT = "cw-demo-prod"
DAYS = 7
END = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone.utc)
COMPUTE = "https://www.googleapis.com/compute/v1/projects/" + PROJECT


def write(rel, obj, compact=False):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if compact:
            json.dump(obj, f, separators=(",", ":"))
        else:
            json.dump(obj, f, indent=2)
        f.write("\n")


def load(seed, base, amp, lo=0.0, hi=100.0):
    """DAYS*288 five-minute values around base, a daily wave of amplitude amp plus noise."""
    r = random.Random(seed)
    out = []
    for i in range(DAYS * 288):
        v = base + amp * math.sin(i / 288 * 2 * math.pi) + r.uniform(-amp / 2, amp / 2)
        out.append(round(max(lo, min(hi, v)), 4))
    return out


def iso_ms(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def azure_entry(resource_id, namespace, values):
    start = END - datetime.timedelta(days=DAYS)
    data = [{"timeStamp": iso_ms(start + datetime.timedelta(minutes=5 * i)), "average": v}
            for i, v in enumerate(values)]
    return {"starttime": iso_ms(start), "endtime": iso_ms(END), "interval": "PT5M",
            "value": [{"id": resource_id + "/providers/Microsoft.Insights/metrics/Percentage CPU",
                       "type": "Microsoft.Insights/metrics",
                       "name": {"value": "Percentage CPU", "localizedValue": "Percentage CPU"},
                       "displayDescription": "The percentage of allocated compute units that are currently in use by"
                                             " the Virtual Machine(s)",
                       "errorCode": "Success", "unit": "Percent",
                       "timeseries": [{"metadatavalues": [], "data": data}]}],
            "namespace": namespace, "resourceregion": "westeurope", "resourceid": resource_id}


def graph_page(rows):
    return {"totalRecords": len(rows), "count": len(rows), "resultTruncated": "false", "data": rows, "facets": []}


def graph_stub(contains, body_file, priority=None):
    m = {"request": {"method": "POST", "urlPath": "/providers/Microsoft.ResourceGraph/resources",
                     "queryParameters": {"api-version": {"equalTo": "2021-03-01"}},
                     "bodyPatterns": [{"matchesJsonPath": {"expression": "$.subscriptions[0]", "equalTo": SUB}},
                                      {"matchesJsonPath": {"expression": "$.query", "contains": contains}}]},
         "response": {"status": 200, "headers": {"Content-Type": "application/json; charset=utf-8"},
                      "bodyFileName": body_file}}
    if priority:
        m["priority"] = priority
    return m


def metrics_stub(namespace, body_file):
    return {"request": {"method": "POST",
                        "urlPath": f"/metrics/westeurope/subscriptions/{SUB}/metrics:getBatch",
                        "queryParameters": {"metricnamespace": {"equalTo": namespace},
                                            "metricnames": {"equalTo": "Percentage CPU"}}},
            "response": {"status": 200, "headers": {"Content-Type": "application/json; charset=utf-8"},
                         "bodyFileName": body_file}}


# ---- Azure ----
VM = RG + "/providers/Microsoft.Compute/virtualMachines/web-01"
SET = RG + "/providers/Microsoft.Compute/virtualMachineScaleSets/api-vmss"
write("__files/azure/monitor/batch-web-01.json",
      {"values": [azure_entry(VM, "Microsoft.Compute/virtualMachines", load(21, 1.8, 0.8))]}, compact=True)
write("__files/azure/monitor/batch-api-vmss.json", {"values": [
    azure_entry(SET + "/virtualMachines/0", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines",
                load(22, 94, 3)),
    azure_entry(SET + "/virtualMachines/1", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines",
                load(23, 3, 1.2))]}, compact=True)
api_vmss = {
    "id": SET, "name": "api-vmss", "type": "microsoft.compute/virtualmachinescalesets", "tenantId": TENANT,
    "kind": "", "location": "westeurope", "resourceGroup": "rg-prod", "subscriptionId": SUB, "managedBy": "",
    "sku": {"name": "Standard_D2s_v5", "tier": "Standard", "capacity": 2}, "plan": None,
    "properties": {"orchestrationMode": "Uniform", "provisioningState": "Succeeded", "overprovision": True,
                   "upgradePolicy": {"mode": "Manual"}, "singlePlacementGroup": True,
                   "uniqueId": "a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d",
                   "timeCreated": "2026-03-02T09:14:51.2203386+00:00",
                   "virtualMachineProfile": {
                       "osProfile": {"computerNamePrefix": "api", "adminUsername": "azureuser",
                                     "linuxConfiguration": {"disablePasswordAuthentication": True,
                                                            "provisionVMAgent": True}},
                       "storageProfile": {"imageReference": {"publisher": "Canonical",
                                                             "offer": "0001-com-ubuntu-server-jammy",
                                                             "sku": "22_04-lts-gen2", "version": "latest"},
                                          "osDisk": {"osType": "Linux", "createOption": "FromImage",
                                                     "caching": "ReadWrite",
                                                     "managedDisk": {"storageAccountType": "Premium_LRS"}}}}},
    "tags": {"env": "prod", "role": "api"}, "identity": None, "zones": None, "extendedLocation": None}
write("__files/azure/compute/vmss.json", graph_page([api_vmss]))
write("__files/azure/compute/graph-empty.json", graph_page([]))
write("__files/azure/compute/vmss-uniform-members.json", graph_page(
    [{"id": SET + "/virtualMachines/0", "location": "westeurope"},
     {"id": SET + "/virtualMachines/1", "location": "westeurope"}]))
write("mappings/azure-load.json", {"mappings": [
    graph_stub("'Microsoft.Compute/virtualMachineScaleSets'", "azure/compute/vmss.json"),
    graph_stub("'microsoft.insights/autoscalesettings'", "azure/compute/graph-empty.json"),
    graph_stub("isnotempty(properties.virtualMachineScaleSet.id)", "azure/compute/graph-empty.json", priority=1),
    graph_stub("'microsoft.compute/virtualmachinescalesets/virtualmachines'",
               "azure/compute/vmss-uniform-members.json"),
    metrics_stub("Microsoft.Compute/virtualMachines", "azure/monitor/batch-web-01.json"),
    metrics_stub("Microsoft.Compute/virtualMachineScaleSets/virtualMachines", "azure/monitor/batch-api-vmss.json"),
]})


# ---- GCP ----
def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


web1 = load(31, 0.96, 0.025, hi=1.0)
points = [{"interval": {"startTime": iso(END - datetime.timedelta(minutes=5 * i)),
                        "endTime": iso(END - datetime.timedelta(minutes=5 * i))},
           "value": {"doubleValue": round(v, 6)}} for i, v in enumerate(web1)]
write("__files/gcp/monitoring/cpu.json", {"timeSeries": [{
    "metric": {"labels": {"instance_name": "web-1"}, "type": "compute.googleapis.com/instance/cpu/utilization"},
    "resource": {"type": "gce_instance", "labels": {"project_id": PROJECT, "instance_id": "3920011928374650012",
                                                     "zone": "us-central1-a"}},
    "metricKind": "GAUGE", "valueType": "DOUBLE", "points": points}], "unit": "10^2.%"}, compact=True)


def no_results(scope):
    return {"warning": {"code": "NO_RESULTS_ON_PAGE",
                        "message": f"There are no results for scope '{scope}' on this page.",
                        "data": [{"key": "scope", "value": scope}]}}


SCOPES = ["zones/us-central1-a", "zones/europe-west1-b", "regions/us-central1", "regions/europe-west1"]
for kind, field in (("instanceGroupManager", "instanceGroupManagers"), ("autoscaler", "autoscalers")):
    write(f"__files/gcp/compute/{field}-aggregated-empty.json", {
        "kind": f"compute#{kind}AggregatedList", "id": f"projects/{PROJECT}/aggregated/{field}",
        "items": {s: no_results(s) for s in SCOPES},
        "selfLink": f"{COMPUTE}/aggregated/{field}"})


def get_stub(path, body_file):
    return {"request": {"method": "GET", "urlPath": path},
            "response": {"status": 200, "headers": {"Content-Type": "application/json; charset=UTF-8"},
                         "bodyFileName": body_file}}


write("mappings/gcp-load.json", {"mappings": [
    get_stub(f"/v3/projects/{PROJECT}/timeSeries", "gcp/monitoring/cpu.json"),
    get_stub(f"/compute/v1/projects/{PROJECT}/aggregated/instanceGroupManagers",
             "gcp/compute/instanceGroupManagers-aggregated-empty.json"),
    get_stub(f"/compute/v1/projects/{PROJECT}/aggregated/autoscalers",
             "gcp/compute/autoscalers-aggregated-empty.json"),
]})


# ---- AWS ----
# The Auto Scaling group cw-sandbox-workers (min 2, max 6, desired 3), created by hand (not in aws.tfstate, like
# Azure's api-vmss): three queue workers at ~41/45/49% CPU, a balanced group (spread a few points: no finding), so
# the AWS path of compute.group shows without a new finding. The members are served as a third DescribeInstances
# page (and a third DescribeVolumes page: encrypted root volumes), tagged aws:autoscaling:groupName as EC2 tags the
# instances an ASG launches; IMDSv2 required, no public IP. Systems Manager lists them as managed and compliant
# (patch_estate.py's SSM_NODES), so no patch rule fires and the install-patches rollout is unchanged.
ACCOUNT = "111122223333"
REGION = "us-east-1"
ASG = "cw-sandbox-workers"
ASG_ARN = (f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:autoScalingGroup:7c2e4a91-3b5d-4f60-8e1a-9d0c2b4f6a81"
           f":autoScalingGroupName/{ASG}")
LAUNCH_TEMPLATE = ("lt-0c3a5b7d9e1f2a3b4", ASG, "3")
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# id, private ip, az, subnet, volume, (seed, base, amplitude) of its CPU
WORKERS = [
    ("i-0c3a5b7d9e1f20001", "10.0.1.31", "us-east-1a", "subnet-0123456789abcdef0", "vol-0c3a5b7d9e1f20001",
     (51, 41, 7)),
    ("i-0c3a5b7d9e1f20002", "10.0.2.32", "us-east-1b", "subnet-0fedcba9876543210", "vol-0c3a5b7d9e1f20002",
     (52, 45, 7)),
    ("i-0c3a5b7d9e1f20003", "10.0.1.33", "us-east-1a", "subnet-0123456789abcdef0", "vol-0c3a5b7d9e1f20003",
     (53, 49, 7)),
]
WEB_1 = "i-0abc1234def567890"
# every instance of the shard in DescribeInstances order (record.py's page, patch_estate.py's, this script's):
# the instance collector's GetMetricData asks one query per instance, q0.. in this order
SHARD = [WEB_1, "i-0def5678abc123450", "i-0a11aa00000000001", "i-0a11aa00000000002", "i-0a11aa00000000003",
         "i-0a11aa00000000004"] + [w[0] for w in WORKERS]
NEXT_INSTANCES = "eyJhc2ctd29ya2VycyI6MX0"  # {"asg-workers":1}
NEXT_VOLUMES = "eyJhc2ctdm9sdW1lcyI6MX0"  # {"asg-volumes":1}
# the patch estate's second pages, which this script's third pages follow
PAGE2_INSTANCES = "__files/aws/patch/describe-instances-page2.xml"
PAGE2_VOLUMES = "__files/aws/patch/describe-volumes-page2.xml"


def text(rel, s):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(s)


def worker_item(iid, ip, az, subnet, vol):
    lt_id, lt_name, lt_version = LAUNCH_TEMPLATE
    tags = [("Name", "cw-sandbox-worker"), ("env", "prod"), ("role", "worker"),
            ("aws:autoscaling:groupName", ASG), ("aws:ec2launchtemplate:id", lt_id),
            ("aws:ec2launchtemplate:version", lt_version)]
    tag_set = "".join(f"<item><key>{k}</key><value>{v}</value></item>" for k, v in tags)
    return f"""        <item>
            <reservationId>r-{iid[2:]}</reservationId>
            <ownerId>{ACCOUNT}</ownerId>
            <requesterId>940372691376</requesterId>
            <groupSet/>
            <instancesSet>
                <item>
                    <instanceId>{iid}</instanceId>
                    <imageId>ami-0c55b159cbfafe1f0</imageId>
                    <instanceState><code>16</code><name>running</name></instanceState>
                    <privateDnsName>ip-{ip.replace('.', '-')}.ec2.internal</privateDnsName>
                    <instanceType>t3.medium</instanceType>
                    <launchTime>2026-11-02T06:12:40.000Z</launchTime>
                    <placement><availabilityZone>{az}</availabilityZone><tenancy>default</tenancy></placement>
                    <platformDetails>Linux/UNIX</platformDetails>
                    <subnetId>{subnet}</subnetId>
                    <vpcId>vpc-0123456789abcdef0</vpcId>
                    <privateIpAddress>{ip}</privateIpAddress>
                    <architecture>x86_64</architecture>
                    <rootDeviceType>ebs</rootDeviceType>
                    <rootDeviceName>/dev/xvda</rootDeviceName>
                    <blockDeviceMapping>
                        <item>
                            <deviceName>/dev/xvda</deviceName>
                            <ebs><volumeId>{vol}</volumeId><status>attached</status><attachTime>2026-11-02T06:12:41.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></ebs>
                        </item>
                    </blockDeviceMapping>
                    <iamInstanceProfile><arn>arn:aws:iam::{ACCOUNT}:instance-profile/worker-profile</arn><id>AIPAEXAMPLEPROFILE03</id></iamInstanceProfile>
                    <tagSet>{tag_set}</tagSet>
                    <metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>1</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions>
                </item>
            </instancesSet>
        </item>
"""


def describe_instances_page3():
    # an Auto Scaling group launches each instance in its own reservation (requesterId: the Auto Scaling service)
    items = "".join(worker_item(*w[:5]) for w in WORKERS)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>6e3a9c74-1d66-4a21-b0f4-8b2d3e4f5a63</requestId>
    <reservationSet>
{items}    </reservationSet>
</DescribeInstancesResponse>
"""


def describe_volumes_page3():
    items = "".join(
        f"        <item><volumeId>{w[4]}</volumeId><size>30</size><availabilityZone>{w[2]}</availabilityZone>"
        f"<status>in-use</status><createTime>2026-11-02T06:12:40.000Z</createTime><volumeType>gp3</volumeType>"
        f"<encrypted>true</encrypted><kmsKeyId>{KMS_KEY}</kmsKeyId></item>\n" for w in WORKERS)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>7f4b0d85-2e77-4b32-c1a5-9c3e4f5a6b74</requestId>
    <volumeSet>
{items}    </volumeSet>
</DescribeVolumesResponse>
"""


def describe_auto_scaling_groups():
    lt_id, lt_name, lt_version = LAUNCH_TEMPLATE
    members = "".join(f"""          <member>
            <InstanceId>{w[0]}</InstanceId>
            <InstanceType>t3.medium</InstanceType>
            <AvailabilityZone>{w[2]}</AvailabilityZone>
            <LifecycleState>InService</LifecycleState>
            <HealthStatus>Healthy</HealthStatus>
            <LaunchTemplate>
              <LaunchTemplateId>{lt_id}</LaunchTemplateId>
              <LaunchTemplateName>{lt_name}</LaunchTemplateName>
              <Version>{lt_version}</Version>
            </LaunchTemplate>
            <ProtectedFromScaleIn>false</ProtectedFromScaleIn>
          </member>
""" for w in WORKERS)
    tags = "".join(f"""          <member>
            <ResourceId>{ASG}</ResourceId>
            <ResourceType>auto-scaling-group</ResourceType>
            <Key>{k}</Key>
            <Value>{v}</Value>
            <PropagateAtLaunch>true</PropagateAtLaunch>
          </member>
""" for k, v in (("Name", "cw-sandbox-worker"), ("env", "prod"), ("role", "worker")))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <DescribeAutoScalingGroupsResult>
    <AutoScalingGroups>
      <member>
        <AutoScalingGroupName>{ASG}</AutoScalingGroupName>
        <AutoScalingGroupARN>{ASG_ARN}</AutoScalingGroupARN>
        <LaunchTemplate>
          <LaunchTemplateId>{lt_id}</LaunchTemplateId>
          <LaunchTemplateName>{lt_name}</LaunchTemplateName>
          <Version>$Latest</Version>
        </LaunchTemplate>
        <MinSize>2</MinSize>
        <MaxSize>6</MaxSize>
        <DesiredCapacity>3</DesiredCapacity>
        <DefaultCooldown>300</DefaultCooldown>
        <AvailabilityZones>
          <member>us-east-1a</member>
          <member>us-east-1b</member>
        </AvailabilityZones>
        <LoadBalancerNames/>
        <TargetGroupARNs/>
        <HealthCheckType>EC2</HealthCheckType>
        <HealthCheckGracePeriod>300</HealthCheckGracePeriod>
        <Instances>
{members}        </Instances>
        <CreatedTime>2026-08-14T09:31:07.512Z</CreatedTime>
        <SuspendedProcesses/>
        <VPCZoneIdentifier>subnet-0123456789abcdef0,subnet-0fedcba9876543210</VPCZoneIdentifier>
        <EnabledMetrics/>
        <Tags>
{tags}        </Tags>
        <TerminationPolicies>
          <member>Default</member>
        </TerminationPolicies>
        <NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn>
        <ServiceLinkedRoleARN>arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling</ServiceLinkedRoleARN>
        <CapacityRebalance>false</CapacityRebalance>
      </member>
    </AutoScalingGroups>
  </DescribeAutoScalingGroupsResult>
  <ResponseMetadata>
    <RequestId>8d1f4e2a-63b5-4c7d-9e0f-1a2b3c4d5e6f</RequestId>
  </ResponseMetadata>
</DescribeAutoScalingGroupsResponse>
"""


def next_page(rel, closing, token):
    """patch_estate.py's second page points at this script's third page (idempotent: re-run after patch_estate.py)."""
    path = os.path.join(ROOT, rel)
    with open(path) as f:
        s = f.read()
    mark = f"    <nextToken>{token}</nextToken>\n"
    if mark not in s:
        assert closing in s, f"{rel}: expected {closing!r}"
        text(rel, s.replace(closing, closing + mark, 1))


# CloudWatch speaks Smithy RPC v2 CBOR: the GetMetricData responses are written as CBOR (Timestamps as tag 1, epoch
# seconds). A query's id is q<index> of the request's instances; every query gets a result, an instance without
# datapoints an empty one (utilization null, never 0). Which read is which is told by the instance ids in the
# request (the CBOR request carries them as text): the instance collector's shard read (every instance: web-1 ~35%,
# the workers, the rest without datapoints: stopped or basic monitoring), the group collector's read (the group's
# members only, q0..q2 in the group's order) and a one-instance re-read (an event's or a fix's fetch: q0).
import struct


def cbor(v):
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for size, code, fmt in ((1, 24, ">B"), (2, 25, ">H"), (4, 26, ">I"), (8, 27, ">Q")):
            if n < 1 << (8 * size):
                return bytes([major << 5 | code]) + struct.pack(fmt, n)
        raise ValueError(n)
    if isinstance(v, Epoch):
        return bytes([0xc1]) + cbor(v.seconds)
    if isinstance(v, bool):
        return bytes([0xf5 if v else 0xf4])
    if isinstance(v, int):
        return head(0, v)
    if isinstance(v, float):
        return bytes([0xfb]) + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode("utf-8")
        return head(3, len(b)) + b
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(type(v))


class Epoch:
    def __init__(self, seconds):
        self.seconds = seconds


start = END - datetime.timedelta(days=DAYS)
SERIES = {WEB_1: load(41, 35, 8)}
for w in WORKERS:
    SERIES[w[0]] = load(*w[5])


def metric_data(ids):
    results = []
    for q, iid in enumerate(ids):
        values = SERIES.get(iid, [])
        results.append({"Id": f"q{q}", "Label": "CPUUtilization",
                        "Timestamps": [Epoch(int((start + datetime.timedelta(minutes=5 * i)).timestamp()))
                                       for i in range(len(values))],
                        "Values": [float(v) for v in values], "StatusCode": "Complete"})
    return cbor({"MetricDataResults": results, "Messages": []})


def cbor_file(rel, ids):
    path = os.path.join(ROOT, "__files", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(metric_data(ids))
    return rel


def metric_stub(rel, patterns, priority):
    m = {"request": {"method": "POST", "urlPath": "/service/GraniteServiceVersion20100801/operation/GetMetricData"},
         "response": {"status": 200, "headers": {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"},
                      "bodyFileName": rel},
         "priority": priority}
    if patterns:
        m["request"]["bodyPatterns"] = patterns
    return m


members = [w[0] for w in WORKERS]
stubs = [
    metric_stub(cbor_file("aws/cloudwatch/get-metric-data-shard.cbor", SHARD),
                [{"contains": WEB_1}, {"contains": members[0]}], 1),
    metric_stub(cbor_file(f"aws/cloudwatch/get-metric-data-{ASG}.cbor", members),
                [{"contains": m} for m in members] + [{"doesNotContain": WEB_1}], 2),
]
for iid in SERIES:
    others = [{"doesNotContain": o} for o in SHARD if o != iid]
    stubs.append(metric_stub(cbor_file(f"aws/cloudwatch/get-metric-data-{iid}.cbor", [iid]),
                             [{"contains": iid}] + others, 3))
# any other one-instance read: an instance without datapoints
stubs.append(metric_stub(cbor_file("aws/cloudwatch/get-metric-data-no-datapoints.cbor", ["(no datapoints)"]), [], 5))
write("mappings/aws-cloudwatch.json", {"mappings": stubs})

text("__files/aws/autoscaling/describe-auto-scaling-groups.xml", describe_auto_scaling_groups())
text("__files/aws/autoscaling/describe-instances-page3.xml", describe_instances_page3())
text("__files/aws/autoscaling/describe-volumes-page3.xml", describe_volumes_page3())
next_page(PAGE2_INSTANCES, "    </reservationSet>\n", NEXT_INSTANCES)
next_page(PAGE2_VOLUMES, "    </volumeSet>\n", NEXT_VOLUMES)


def query_stub(action, extra, rel):
    return {"request": {"method": "POST", "urlPath": "/",
                        "bodyPatterns": [{"contains": f"Action={action}&"}] + extra},
            "response": {"status": 200, "headers": {"Content-Type": "text/xml;charset=UTF-8"}, "bodyFileName": rel}}


write("mappings/aws-autoscaling.json", {"mappings": [
    # the group listing (MaxRecords=100) and the instance collector's by-name read (AutoScalingGroupNames.member.N)
    query_stub("DescribeAutoScalingGroups", [], "aws/autoscaling/describe-auto-scaling-groups.xml"),
    query_stub("DescribeInstances", [{"contains": f"NextToken={NEXT_INSTANCES}"}],
               "aws/autoscaling/describe-instances-page3.xml"),
    query_stub("DescribeVolumes", [{"contains": f"NextToken={NEXT_VOLUMES}"}],
               "aws/autoscaling/describe-volumes-page3.xml"),
]})
