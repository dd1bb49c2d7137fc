# The generation history table, as synthdata_sdk.cloud.history.create_history_table makes it
# for tests (same key, index, attribute types and TTL attribute), plus what a deployed table
# needs: the customer-managed key, point-in-time recovery, deletion protection and backups.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition

  table_name     = format(local.name.datagen, "ddb", "history")
  table_arn      = "arn:${local.partition}:dynamodb:${local.region}:${local.account}:table/${local.table_name}"
  fingerprint_ix = "by_fingerprint"

  backups     = var.backup_schedule == "daily"
  backup_name = format(local.name.datagen, "backup", "history")
  # The region and account of the copy vault (empty without one), for the key the copies are
  # encrypted with there.
  copy_arn     = split(":", coalesce(var.backup_copy_vault_arn, ":::::"))
  copy_region  = local.copy_arn[3]
  copy_account = local.copy_arn[4]
}

resource "aws_dynamodb_table" "history" {
  name                        = local.table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "generation_id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "generation_id"
    type = "S"
  }
  attribute {
    name = "fingerprint"
    type = "S"
  }
  # ISO 8601 text with milliseconds: the index sorts a dataset's generations by it
  attribute {
    name = "requested_at"
    type = "S"
  }

  global_secondary_index {
    name            = local.fingerprint_ix
    hash_key        = "fingerprint"
    range_key       = "requested_at"
    projection_type = "ALL"
  }

  # epoch seconds written by the SDK (90 days after the request by default)
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.data_key_arn
  }

  lifecycle {
    precondition {
      condition     = var.backup_copy_vault_arn == null || local.backups
      error_message = "backup_copy_vault_arn copies daily backups: it needs backup_schedule = \"daily\"."
    }
    precondition {
      condition     = local.copy_region != local.region
      error_message = "backup_copy_vault_arn must name a vault in another region than the table's."
    }
  }
}

# ---- AWS Backup: a daily backup into a vault encrypted with the data key, and for prod a
# copy of each backup into a vault in another region.

resource "aws_backup_vault" "history" {
  count = local.backups ? 1 : 0

  name        = local.backup_name
  kms_key_arn = var.data_key_arn
}

resource "aws_backup_plan" "history" {
  count = local.backups ? 1 : 0

  name = local.backup_name

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.history[0].name
    schedule          = "cron(0 3 * * ? *)" # 03:00 UTC, outside working hours in Europe
    start_window      = 60
    completion_window = 180

    lifecycle {
      delete_after = var.backup_retention_days
    }

    dynamic "copy_action" {
      for_each = var.backup_copy_vault_arn == null ? [] : [var.backup_copy_vault_arn]
      content {
        destination_vault_arn = copy_action.value
        lifecycle {
          delete_after = coalesce(var.backup_copy_retention_days, var.backup_retention_days)
        }
      }
    }
  }
}

resource "aws_iam_role" "backup" {
  count = local.backups ? 1 : 0

  name = format(local.name.datagen, "role", "backup")
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "BackupServiceOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })
}

# What AWS Backup does with this one table (the DynamoDB part of the managed policy
# AWSBackupServiceRolePolicyForBackup, narrowed to the table, its backups and the keys).
resource "aws_iam_role_policy" "backup" {
  count = local.backups ? 1 : 0

  name = format(local.name.datagen, "policy", "backup")
  role = aws_iam_role.backup[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid    = "BackUpTheHistoryTable"
          Effect = "Allow"
          Action = [
            "dynamodb:CreateBackup",
            "dynamodb:DescribeTable",
            "dynamodb:ListTagsOfResource",
            "dynamodb:StartAwsBackupJob",
          ]
          Resource = local.table_arn
        },
        {
          Sid      = "ManageItsBackups"
          Effect   = "Allow"
          Action   = ["dynamodb:DeleteBackup", "dynamodb:DescribeBackup"]
          Resource = "${local.table_arn}/backup/*"
        },
        {
          Sid      = "UseTheDataKey"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource = var.data_key_arn
        },
        {
          Sid       = "GrantTheDataKeyToAwsResources"
          Effect    = "Allow"
          Action    = ["kms:CreateGrant"]
          Resource  = var.data_key_arn
          Condition = { Bool = { "kms:GrantIsForAWSResource" = "true" } }
        },
      ],
      [for statement in [
        {
          Sid      = "CopyIntoTheOtherRegionVault"
          Effect   = "Allow"
          Action   = ["backup:CopyIntoBackupVault", "backup:DescribeBackupVault"]
          Resource = var.backup_copy_vault_arn
        },
        {
          # The copy vault's key is created with that vault, in its region: only keys of that
          # account and region, and only through AWS Backup there.
          Sid      = "UseTheCopyVaultKeyThroughBackup"
          Effect   = "Allow"
          Action   = ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource = "arn:${local.partition}:kms:${local.copy_region}:${local.copy_account}:key/*"
          Condition = {
            StringEquals = { "kms:ViaService" = "backup.${local.copy_region}.amazonaws.com" }
          }
        },
      ] : statement if var.backup_copy_vault_arn != null],
    )
  })
}

resource "aws_backup_selection" "history" {
  count = local.backups ? 1 : 0

  name         = local.backup_name
  plan_id      = aws_backup_plan.history[0].id
  iam_role_arn = aws_iam_role.backup[0].arn
  resources    = [aws_dynamodb_table.history.arn]
}
