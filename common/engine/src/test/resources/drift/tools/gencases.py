# Authoring aid for ../cases: writes every case directory (inputs AND the hand-written expected report.json).
# The expected reports below are written by hand, not computed by the engine. Run from the cases directory:
#   cd common/engine/src/test/resources/drift/cases && python3 ../tools/gencases.py
import json, os, copy
T0="2026-11-23T10:00:00Z"; T1="2026-11-23T11:00:00Z"
UNK={"kind":"unknown","id":"","name":"","via":""}
def bucket(name, cloud="aws", **over):
    a={"encryption":{"enabled":True,"keyType":"provider-managed"},"logging":True,"minTlsVersion":None,"publicAccess":False,"versioning":True}
    for k,v in over.items(): a[k]=v
    ids={"aws":"arn:aws:s3:::"+name,"gcp":"//storage.googleapis.com/"+name}
    return {"cloud":cloud,"account":"111122223333" if cloud=="aws" else "proj-1","region":"us-east-1" if cloud=="aws" else "global",
            "type":"storage.bucket","id":ids[cloud],"name":name,"nativeType":"AWS::S3::Bucket" if cloud=="aws" else "storage.googleapis.com/Bucket",
            "tags":{},"attributes":a,"raw":{},"observedAt":T0}
def fw(name, rules):
    ingress=[{"protocol":r["protocol"],"fromPort":r["fromPort"],"toPort":r["toPort"]} for r in rules if r["direction"]=="ingress" and r["action"]=="allow" and "0.0.0.0/0" in r["ranges"]]
    return {"cloud":"gcp","account":"proj-1","region":"global","type":"network.firewall",
            "id":"//compute.googleapis.com/projects/proj-1/global/firewalls/"+name,"name":name,"nativeType":"compute.googleapis.com/Firewall",
            "tags":{},"attributes":{"rules":rules,"internetIngress":ingress},"raw":{},"observedAt":T0}
def rule(port, ranges, direction="ingress"):
    return {"direction":direction,"action":"allow","protocol":"tcp","fromPort":port,"toPort":port,"ranges":ranges}
def ref(r): return {k:r[k] for k in ("cloud","account","region","type","id")}
def snap(rs, t=T0): return {"schema":"cloudwarden/snapshot/v1","takenAt":t,"resources":rs,"errors":[]}
def report(mode, managed, unchanged, drift, ignored=0):
    return {"schema":"cloudwarden/drift/v1","mode":mode,"comparedAt":"2026-11-23T12:00:00Z","managed":managed,"unchanged":unchanged,
            "drift":drift,"notCompared":[],"ignored":ignored}
def d(kind, r, patch=(), actor=UNK): return {"kind":kind,"resource":ref(r),"patch":list(patch),"actor":actor}
def op(o,p,v=None,f=None): return {"op":o,"path":p,"value":v,"from":f}
def write(name, mode, expected, observed, rep, desc, ignore=None, actors=None):
    os.makedirs(name, exist_ok=True)
    json.dump({"mode":mode,"description":desc}, open(name+"/case.json","w"), indent=2)
    json.dump(expected, open(name+"/expected.json","w"), indent=2)
    json.dump(observed, open(name+"/observed.json","w"), indent=2)
    json.dump(rep, open(name+"/report.json","w"), indent=2)
    if ignore: open(name+"/.cloudwardenignore","w").write(ignore)
    if actors: json.dump(actors, open(name+"/actors.json","w"), indent=2)

# 1 no drift: raw and observedAt differ, which is not drift
logs=bucket("logs"); web=fw("allow-https",[rule(443,["0.0.0.0/0"])])
logs_obs=copy.deepcopy(logs); logs_obs["raw"]={"Name":"logs"}; logs_obs["observedAt"]=T1
write("no-drift","baseline",snap([logs,web]),snap([web,logs_obs],T1),report("baseline",2,2,[]),
      "identical attributes; raw, observedAt and order differ")

# 2 unmanaged
extra=bucket("shadow-it", publicAccess=True)
write("unmanaged","baseline",snap([logs]),snap([logs,extra]),report("baseline",1,1,[d("unmanaged",extra)]),
      "a bucket nobody declared")

# 3 missing
data=bucket("data")
write("missing","baseline",snap([logs,data]),snap([logs]),report("baseline",1,1,[d("missing",data)]),
      "a declared bucket is gone")

# 4 changed: nested object and array
logs_chg=copy.deepcopy(logs); logs_chg["attributes"]["encryption"]["keyType"]="customer-managed"; logs_chg["attributes"]["versioning"]=False
web_chg=fw("allow-https",[rule(443,["0.0.0.0/0"]),rule(22,["0.0.0.0/0"])])
write("changed-nested-and-array","baseline",snap([logs,web]),snap([logs_chg,web_chg]),
      report("baseline",2,0,[
        d("changed",logs,[op("replace","/encryption/keyType","customer-managed","provider-managed"),op("replace","/versioning",False,True)]),
        d("changed",web,[op("add","/rules/1",rule(22,["0.0.0.0/0"])),op("add","/internetIngress/1",{"protocol":"tcp","fromPort":22,"toPort":22})]),
      ]),"encryption key type and versioning changed; an SSH rule was added")

# 5 azure ids compare case-insensitively
az={"cloud":"azure","account":"00000000-0000-0000-0000-000000000001","region":"westeurope","type":"kms.key",
    "id":"https://kv-prod.vault.azure.net/keys/app","name":"app","nativeType":"Microsoft.KeyVault/vaults/keys","tags":{},
    "attributes":{"enabled":True,"rotationEnabled":True,"rotationPeriodDays":90},"raw":{},"observedAt":T0}
sa={"cloud":"azure","account":"00000000-0000-0000-0000-000000000001","region":"westeurope","type":"storage.bucket",
    "id":"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG-Data/providers/Microsoft.Storage/storageAccounts/stdata01",
    "name":"stdata01","nativeType":"Microsoft.Storage/storageAccounts","tags":{},"attributes":bucket("x")["attributes"],"raw":{},"observedAt":T0}
sa_obs=copy.deepcopy(sa); sa_obs["id"]=sa["id"].lower(); sa_obs["attributes"]["minTlsVersion"]="TLS1_0"
write("azure-case-insensitive-ids","baseline",snap([sa,az]),snap([sa_obs,az]),
      report("baseline",2,1,[d("changed",sa_obs,[op("replace","/minTlsVersion","TLS1_0",None)])]),
      "ARM id differs only in case: matched, so only the TLS change is reported (with the observed id)")

# 6 ignore rules
scratch=bucket("scratch-42", publicAccess=True)
tmp_missing=bucket("scratch-old")
logs_ign=copy.deepcopy(logs); logs_ign["attributes"]["logging"]=False; logs_ign["attributes"]["publicAccess"]=True
logs_ign["tags"]={"costcenter":"42"}
web_tag=copy.deepcopy(web); web_tag["tags"]={"team":"net"}; web_tag2=copy.deepcopy(web_tag); web_tag2["tags"]={"team":"sec"}
write("ignore-rules","baseline",snap([logs,tmp_missing,web_tag]),snap([logs_ign,scratch,web_tag2]),
      report("baseline",2,1,[d("changed",logs,[op("replace","/publicAccess",True,False)])],ignored=2),
      "scratch buckets ignored (both unmanaged and missing), logging and tag changes ignored by attribute rules",
      ignore="# scratch buckets come and go\naws:storage.bucket:arn:aws:s3:::scratch-*\n\nattribute: storage.bucket /logging\nattribute: /tags/*\n")

# 7 baseline pruning: the baseline knows only what Terraform manages
user_base={"cloud":"aws","account":"111122223333","region":"global","type":"identity.user","id":"arn:aws:iam::111122223333:user/ci",
    "name":"ci","nativeType":"AWS::IAM::User","tags":{},"attributes":{"admin":False},"raw":{},"observedAt":T0}
user_obs=copy.deepcopy(user_base); user_obs["attributes"]={"admin":False,"consoleAccess":True,"lastUsedAt":"2026-11-20T08:00:00Z","mfaEnabled":None}
user_obs["tags"]={"owner":"platform"}
vm_base={"cloud":"aws","account":"111122223333","region":"us-east-1","type":"compute.instance","id":"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc",
    "name":"app","nativeType":"AWS::EC2::Instance","tags":{"env":"prod"},
    "attributes":{"imageId":"ami-0123","metadataHardened":True,"nested":{"a":1}},"raw":{},"observedAt":T0}
vm_obs=copy.deepcopy(vm_base); vm_obs["attributes"]={"state":"running","publicIp":"203.0.113.7","imageId":"ami-0123","identity":None,
    "diskEncryption":True,"metadataHardened":False,"nested":{"a":1,"b":2}}
vm_obs["tags"]={"env":"dev","owner":"a/b"}
write("baseline-pruning","baseline",snap([user_base,vm_base]),snap([user_obs,vm_obs]),
      report("baseline",2,1,[d("changed",vm_base,[op("replace","/metadataHardened",False,True),
                                               op("replace","/tags/env","dev","prod"),op("add","/tags/owner","a/b")])]),
      "observed attributes and keys the baseline does not know are pruned; tags compared only when the baseline has tags")

# 8 snapshot vs snapshot with actor
k_old={"cloud":"gcp","account":"proj-1","region":"global","type":"kms.key",
    "id":"//cloudkms.googleapis.com/projects/proj-1/locations/global/keyRings/r/cryptoKeys/app","name":"app","nativeType":"cloudkms.googleapis.com/CryptoKey",
    "tags":{},"attributes":{"enabled":True,"rotationEnabled":True,"rotationPeriodDays":90},"raw":{},"observedAt":T0}
k_new=copy.deepcopy(k_old); k_new["attributes"]["rotationEnabled"]=False; k_new["attributes"]["rotationPeriodDays"]=None; k_new["observedAt"]=T1
actor={"kind":"user","id":"alice@example.com","name":"alice@example.com","via":"cloudkms.googleapis.com"}
added=bucket("new-bucket","gcp"); removed=bucket("old-bucket","gcp")
logs_t=copy.deepcopy(logs); logs_t["tags"]={"env":"prod"}; logs_t2=copy.deepcopy(logs_t); logs_t2["tags"]={}
write("snapshot-with-actor","snapshot",snap([k_old,removed,logs_t]),snap([k_new,added,logs_t2],T1),
      report("snapshot",2,0,[
        d("unmanaged",added,actor={"kind":"service","id":"deployer@proj-1.iam.gserviceaccount.com","name":"","via":""}),
        d("missing",removed),
        d("changed",logs_t,[op("remove","/tags/env",None,"prod")]),
        d("changed",k_old,[op("replace","/rotationEnabled",False,True),op("replace","/rotationPeriodDays",None,90)],actor=actor)]),
      "key rotation turned off by alice (actor from the event), one bucket added, one removed, a tag dropped",
      actors={"gcp|kms.key|//cloudkms.googleapis.com/projects/proj-1/locations/global/keyRings/r/cryptoKeys/app":actor,
              "gcp|storage.bucket|//storage.googleapis.com/new-bucket":{"kind":"service","id":"deployer@proj-1.iam.gserviceaccount.com","name":"","via":""}})

# 9 partial scan: a shard that could not be read is not "missing"
kms={"cloud":"aws","account":"111122223333","region":"eu-west-1","type":"kms.key",
     "id":"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","name":"alias/app","nativeType":"AWS::KMS::Key",
     "tags":{},"attributes":{"enabled":True,"rotationEnabled":True,"rotationPeriodDays":365},"raw":{},"observedAt":T0}
user={"cloud":"aws","account":"111122223333","region":"global","type":"identity.user","id":"arn:aws:iam::111122223333:user/ci",
      "name":"ci","nativeType":"AWS::IAM::User","tags":{},"attributes":{"admin":False},"raw":{},"observedAt":T0}
obs=snap([logs]); obs["errors"]=[{"cloud":"aws","account":"111122223333","region":"eu-west-1","type":"kms.key",
      "message":"User: arn:aws:sts::111122223333:assumed-role/cloudwarden-reader/scan is not authorized to perform: kms:ListKeys","code":"AccessDeniedException"}]
rep=report("baseline",1,1,[d("missing",user)])
rep["notCompared"]=[{"source":"observed snapshot errors","address":"aws:kms.key:"+kms["id"],
    "reason":"not observed: the aws 111122223333/eu-west-1/kms.key shard could not be read (AccessDeniedException)"}]
write("partial-scan","baseline",snap([logs,kms,user]),obs,rep,
      "the eu-west-1 KMS shard failed: its key is not compared (not missing); the IAM user really is missing")

# 10 snapshot mode over partial scans: neither "removed" nor "added" when a shard was unread on that side
k2=copy.deepcopy(kms); k2["region"]="eu-central-1"; k2["id"]="arn:aws:kms:eu-central-1:111122223333:key/9999ffff-12ab-34cd-56ef-1234567890ab"
fresh=bucket("fresh"); fresh["region"]="us-west-2"
older=snap([logs,kms]); older["errors"]=[{"cloud":"aws","account":"111122223333","region":"us-west-2","type":"storage.bucket",
      "message":"Rate exceeded","code":"SlowDown"}]
newer=snap([logs,k2,fresh],T1); newer["errors"]=[{"cloud":"aws","account":"111122223333","region":"eu-west-1","type":"kms.key",
      "message":"not authorized to perform: kms:ListKeys","code":"AccessDeniedException"}]
rep=report("snapshot",1,1,[d("unmanaged",k2)])
rep["notCompared"]=[
  {"source":"older snapshot errors","address":"aws:storage.bucket:arn:aws:s3:::fresh",
   "reason":"not in the older snapshot: the aws 111122223333/us-west-2/storage.bucket shard could not be read (SlowDown)"},
  {"source":"observed snapshot errors","address":"aws:kms.key:"+kms["id"],
   "reason":"not observed: the aws 111122223333/eu-west-1/kms.key shard could not be read (AccessDeniedException)"}]
write("snapshot-partial-scans","snapshot",older,newer,rep,
      "the older scan missed us-west-2 buckets, so 'fresh' is not reported added; the newer scan missed eu-west-1 KMS, "
      "so the old key is not reported removed; the eu-central-1 key really was added")
