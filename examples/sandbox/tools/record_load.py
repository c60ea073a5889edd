#!/usr/bin/env python3
"""Builds the sandbox's load data (issue 15): the metrics and scale-out groups that make the three utilization rules
show in `cloudwarden sandbox`. Run from the repository root; the output is committed. Kept apart from record.py
(which copies the providers' fixtures): these responses are written here, in each API's wire format, for a 7-day
window of 5-minute periods (the default `cloudwarden.utilization.window-days`).

- Azure VM web-01 is idle (Percentage CPU ~2%: `instance-idle`), from the metrics batch API.
- Azure Uniform scale set api-vmss has two instances, one at ~94% and one at ~3%: `group-load-imbalanced`.
- AWS instance web-1 runs at ~35% (CloudWatch GetMetricData, Smithy RPC v2 CBOR): no finding; the AWS sandbox has
  no Auto Scaling group yet.
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
# CloudWatch speaks Smithy RPC v2 CBOR: the GetMetricData response is written as CBOR (Timestamps as tag 1, epoch
# seconds). The instance collector asks for its shard's instances in DescribeInstances order: q0 = web-1 (running,
# ~35% CPU: no finding), q1 = the stopped instance (no datapoints: utilization null, never 0).
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
web = load(41, 35, 8)
result = {"MetricDataResults": [
    {"Id": "q0", "Label": "CPUUtilization",
     "Timestamps": [Epoch(int((start + datetime.timedelta(minutes=5 * i)).timestamp())) for i in range(len(web))],
     "Values": [float(v) for v in web], "StatusCode": "Complete"},
    {"Id": "q1", "Label": "CPUUtilization", "Timestamps": [], "Values": [], "StatusCode": "Complete"}],
    "Messages": []}
path = os.path.join(ROOT, "__files/aws/cloudwatch/get-metric-data.cbor")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "wb") as f:
    f.write(cbor(result))
write("mappings/aws-cloudwatch.json", {"mappings": [
    {"request": {"method": "POST", "urlPath": "/service/GraniteServiceVersion20100801/operation/GetMetricData"},
     "response": {"status": 200, "headers": {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"},
                  "bodyFileName": "aws/cloudwatch/get-metric-data.cbor"}}]})
