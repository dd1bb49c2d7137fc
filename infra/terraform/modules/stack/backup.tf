# Backups per environment: none (dev), a daily AWS Backup of the history table (stg), daily
# plus a copy of each backup in another region (prod). The history module makes the plan and
# its vault; the copy's vault is here because it lives in the aws.replica provider's region,
# encrypted with a key of that region (a KMS key cannot leave its region). The datasets in
# the bucket are not backed up: versioned, and reproducible from their fingerprint's request.
locals {
  replica = var.cross_region_backup ? 1 : 0
  # the administration of the key by its account, listed (no kms:*)
  key_admin_actions = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey",
    "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
    "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants",
    "kms:ListKeyPolicies", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RetireGrant",
    "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
    "kms:UpdateAlias", "kms:UpdateKeyDescription",
  ]
}

data "aws_region" "replica" {
  provider = aws.replica
}

resource "aws_kms_key" "replica" {
  provider                = aws.replica
  count                   = local.replica
  description             = "Cross-region backup copies of ${var.project} ${var.environment}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  # "Resource": "*" in a key policy means this key (AWS accepts no other value there)
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
        Action    = local.key_admin_actions
        Resource  = "*"
      },
      {
        # the history module's backup role holds the matching IAM permission
        Sid       = "AccountUsesTheKeyThroughBackup"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
        Action = [
          "kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt",
          "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
          "kms:ReEncryptFrom", "kms:ReEncryptTo",
        ]
        Resource = "*"
        Condition = {
          StringEquals = {
            "kms:ViaService"    = "backup.${data.aws_region.replica.name}.amazonaws.com"
            "kms:CallerAccount" = var.account_id
          }
        }
      },
    ]
  })
  tags = { Domain = "infra" }
}

resource "aws_kms_alias" "replica" {
  provider      = aws.replica
  count         = local.replica
  name          = "alias/${format(local.name.infra, "kms", "backup")}"
  target_key_id = aws_kms_key.replica[0].key_id
}

resource "aws_backup_vault" "replica" {
  provider    = aws.replica
  count       = local.replica
  name        = format(local.name.infra, "backup", "replica")
  kms_key_arn = aws_kms_key.replica[0].arn
  tags        = { Domain = "infra" }
}
