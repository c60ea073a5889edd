# Organization variant: the scanner role assumes modules/member-role (the same generated scanner policy) in each
# member account. Instantiate that module once per member account with a provider for that account (README).

locals {
  organization     = length(var.organization_member_account_ids) > 0
  member_role_arns = [for id in var.organization_member_account_ids : "arn:${data.aws_partition.current.partition}:iam::${id}:role/${var.member_role_name}"]
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "assume_member_roles" {
  count = local.organization ? 1 : 0

  statement {
    sid       = "AssumeMemberScanRoles"
    effect    = "Allow"
    actions   = ["sts:AssumeRole"]
    resources = local.member_role_arns
  }
}

resource "aws_iam_role_policy" "scanner_assume_members" {
  count = local.organization ? 1 : 0

  name   = "assume-member-roles"
  role   = aws_iam_role.scanner.id
  policy = data.aws_iam_policy_document.assume_member_roles[0].json
}

# The queue function collects the shards of member accounts of a fanned-out scan with the same member roles.
resource "aws_iam_role_policy" "remediator_assume_members" {
  count = local.organization ? 1 : 0

  name   = "assume-member-roles"
  role   = aws_iam_role.remediator.id
  policy = data.aws_iam_policy_document.assume_member_roles[0].json
}
