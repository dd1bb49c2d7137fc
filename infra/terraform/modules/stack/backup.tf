# Backups per environment: none (dev), a daily AWS Backup plan (stg), daily plus a copy of
# each backup to a vault in another region (prod; point-in-time recovery is the history
# module's). The vaults are encrypted with customer-managed keys; the copy's key lives in
# the replica region because a KMS key cannot leave its region.
locals {
  backup_tags = { Domain = "infra" }
  # what AWS Backup needs to back up and restore DynamoDB and S3 (AWS managed policies)
  backup_managed_policies = toset([
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
  ])
  daily   = var.daily_backups ? 1 : 0
  replica = var.cross_region_backup ? 1 : 0
  # the administration of a key by its account, listed (no kms:*)
  key_admin_actions = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:DeleteAlias",
    "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey",
    "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases",
    "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags", "kms:PutKeyPolicy",
    "kms:RetireGrant", "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource",
    "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
  ]
}

resource "aws_iam_role" "backup" {
  count = local.daily
  name  = format(local.name.infra, "role", "backup")
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })
  tags = local.backup_tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each   = var.daily_backups ? local.backup_managed_policies : toset([])
  role       = aws_iam_role.backup[0].name
  policy_arn = each.value
}

resource "aws_backup_vault" "daily" {
  count       = local.daily
  name        = format(local.name.infra, "backup", "vault")
  kms_key_arn = module.kms.data_key_arn
  tags        = local.backup_tags
}

resource "aws_backup_plan" "daily" {
  count = local.daily
  name  = format(local.name.infra, "backup", "daily")

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.daily[0].name
    schedule          = "cron(0 3 * * ? *)"
    lifecycle {
      delete_after = var.backup_retention_days
    }
    dynamic "copy_action" {
      for_each = aws_backup_vault.replica[*].arn
      content {
        destination_vault_arn = copy_action.value
        lifecycle {
          delete_after = var.backup_retention_days
        }
      }
    }
  }
  tags = local.backup_tags
}

resource "aws_backup_selection" "daily" {
  count        = local.daily
  name         = format(local.name.infra, "backup", "core")
  plan_id      = aws_backup_plan.daily[0].id
  iam_role_arn = aws_iam_role.backup[0].arn
  resources    = [module.storage.data_bucket_arn, module.history.table_arn]
}

resource "aws_kms_key" "replica" {
  provider                = aws.replica
  count                   = local.replica
  description             = "Backup copies of ${var.project} ${var.environment} in the replica region"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  # "Resource": "*" in a key policy means this key (AWS requires it there)
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
        Sid       = "BackupCopiesUseTheKey"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.backup[0].arn }
        Action = [
          "kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt",
          "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
          "kms:ReEncryptFrom", "kms:ReEncryptTo",
        ]
        Resource = "*"
      },
    ]
  })
  tags = local.backup_tags
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
  tags        = local.backup_tags
}
