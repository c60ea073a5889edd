# The audit trail's signing key and write-once digest store (docs/AUDIT.md).
#
# Only the remediator role (the audit writer: it applies changes, and it seals the trail's segments) can sign with
# the key: the key policy names it for exactly the generated audit-writer actions (policies/audit-writer.json), and
# the account itself is given no kms:Sign, so no IAM policy (the scanner's included) can grant signing. The scanner
# functions append to the trail but leave digests to the writer (CLOUDWARDEN_AUDIT_SEAL=false).

resource "aws_kms_key" "audit" {
  description              = "${var.name_prefix}: signs Cloudwarden's audit digests"
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
  deletion_window_in_days  = 30
  policy                   = data.aws_iam_policy_document.audit_key.json
}

resource "aws_kms_alias" "audit" {
  name          = "alias/${var.name_prefix}-audit"
  target_key_id = aws_kms_key.audit.key_id
}

locals {
  audit_writer_actions = jsondecode(file("${path.module}/policies/audit-writer.json")).Statement[0].Action
  account_root         = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  audit_env = {
    remediator = {
      CLOUDWARDEN_AUDIT_KEY     = aws_kms_key.audit.arn
      CLOUDWARDEN_AUDIT_DIGESTS = "s3://${aws_s3_bucket.audit_digests.bucket}/digests"
    }
    scanner = {
      CLOUDWARDEN_AUDIT_SEAL = "false"
    }
  }
}

# Key policy: the account administers the key (never uses it to sign); the audit writer signs; anyone in the account
# the account allows may read the public key to verify.
data "aws_iam_policy_document" "audit_key" {
  statement {
    sid       = "AccountAdministersNotSigns"
    effect    = "Allow"
    actions   = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
  }

  statement {
    sid       = "AuditWriterSigns"
    effect    = "Allow"
    actions   = local.audit_writer_actions
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.remediator.arn]
    }
  }
}

# Digests: S3 Object Lock in COMPLIANCE mode, so no one (root included) can overwrite or delete a digest before its
# retention ends. Object Lock needs versioning, which it turns on.
resource "aws_s3_bucket" "audit_digests" {
  bucket_prefix       = "${var.name_prefix}-audit-"
  object_lock_enabled = true
  force_destroy       = false
}

resource "aws_s3_bucket_object_lock_configuration" "audit_digests" {
  bucket = aws_s3_bucket.audit_digests.id

  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = var.audit_retention_days
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "audit_digests" {
  bucket = aws_s3_bucket.audit_digests.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "audit_digests" {
  bucket = aws_s3_bucket.audit_digests.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "audit_digests" {
  bucket = aws_s3_bucket.audit_digests.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# The writer reads and creates digests (IF_ABSENT); it cannot delete them (and Object Lock would refuse anyway).
data "aws_iam_policy_document" "audit_digests" {
  statement {
    sid       = "DigestObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.audit_digests.arn}/*"]
  }

  statement {
    sid       = "DigestList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.audit_digests.arn]
  }
}

resource "aws_iam_role_policy" "remediator_audit_digests" {
  name   = "audit-digests"
  role   = aws_iam_role.remediator.id
  policy = data.aws_iam_policy_document.audit_digests.json
}
