terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60.0, < 6.0.0"
    }
  }
}

variable "scanner_role_arn" {
  description = "ARN of the Cloudwarden scanner role (output scanner_role_arn of infra/aws) allowed to assume this role."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.scanner_role_arn))
    error_message = "scanner_role_arn must be an IAM role ARN such as arn:aws:iam::111122223333:role/cloudwarden-scanner."
  }
}

variable "role_name" {
  description = "Name of the role in the member account; must equal member_role_name of infra/aws."
  type        = string
  default     = "cloudwarden-member-scanner"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be a valid IAM role name."
  }
}

variable "external_id" {
  description = "Optional external id the scanner must present (the same value as member_external_id of infra/aws)."
  type        = string
  default     = ""
}

# The member account's scanner: the same generated, read-only policy as the central scanner role.
resource "aws_iam_role" "member" {
  name = var.role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [merge({
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = var.scanner_role_arn }
      }, var.external_id == "" ? {} : {
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    })]
  })
}

resource "aws_iam_role_policy" "member_scanner" {
  name   = "cloudwarden-scanner"
  role   = aws_iam_role.member.id
  policy = file("${path.module}/../../policies/scanner.json")
}

output "role_arn" {
  description = "ARN of the member scanner role."
  value       = aws_iam_role.member.arn
}
