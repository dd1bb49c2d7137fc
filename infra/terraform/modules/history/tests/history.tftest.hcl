# Offline: a mocked AWS provider, plan only.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  environment  = "dev"
  data_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "table_matches_what_the_sdk_creates" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.history.name == "synthdata-datagen-ddb-dev-history"
    error_message = "the table name follows the naming convention"
  }
  assert {
    condition     = aws_dynamodb_table.history.hash_key == "generation_id" && aws_dynamodb_table.history.range_key == null
    error_message = "the table's key is generation_id alone (create_history_table)"
  }
  assert {
    condition = {
      for a in aws_dynamodb_table.history.attribute : a.name => a.type
    } == { generation_id = "S", fingerprint = "S", requested_at = "S" }
    error_message = "attribute types must match create_history_table"
  }
  assert {
    condition = [
      for ix in aws_dynamodb_table.history.global_secondary_index :
      [ix.name, ix.hash_key, ix.range_key, ix.projection_type]
    ] == [["by_fingerprint", "fingerprint", "requested_at", "ALL"]]
    error_message = "the by_fingerprint index: fingerprint + requested_at, all attributes"
  }
  assert {
    condition     = output.fingerprint_index_name == "by_fingerprint"
    error_message = "the output names the index the SDK queries"
  }
  assert {
    condition     = aws_dynamodb_table.history.billing_mode == "PAY_PER_REQUEST"
    error_message = "on-demand billing"
  }
  assert {
    condition     = one(aws_dynamodb_table.history.ttl).attribute_name == "ttl" && one(aws_dynamodb_table.history.ttl).enabled
    error_message = "TTL on the ttl attribute"
  }
}

run "encrypted_with_the_data_key_and_recoverable" {
  command = plan

  assert {
    condition     = one(aws_dynamodb_table.history.server_side_encryption).enabled && one(aws_dynamodb_table.history.server_side_encryption).kms_key_arn == var.data_key_arn
    error_message = "SSE with the customer-managed data key"
  }
  assert {
    condition     = one(aws_dynamodb_table.history.point_in_time_recovery).enabled
    error_message = "point-in-time recovery is on by default"
  }
  assert {
    condition     = !aws_dynamodb_table.history.deletion_protection_enabled
    error_message = "deletion protection is off unless asked for (dev)"
  }
  assert {
    condition     = length(aws_backup_plan.history) == 0 && length(aws_backup_vault.history) == 0 && length(aws_iam_role.backup) == 0
    error_message = "no backups by default (dev)"
  }
}

run "prod_settings" {
  command = plan

  variables {
    environment            = "prod"
    point_in_time_recovery = true
    deletion_protection    = true
    backup_schedule        = "daily"
    backup_copy_vault_arn  = "arn:aws:backup:eu-central-1:123456789012:backup-vault:synthdata-datagen-backup-prod-copy"
  }

  override_resource {
    target          = aws_dynamodb_table.history
    override_during = plan
    values          = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/synthdata-datagen-ddb-prod-history" }
  }

  assert {
    condition     = aws_dynamodb_table.history.deletion_protection_enabled
    error_message = "deletion protection for prod"
  }
  assert {
    condition     = aws_backup_vault.history[0].name == "synthdata-datagen-backup-prod-history" && aws_backup_vault.history[0].kms_key_arn == var.data_key_arn
    error_message = "the vault follows the naming convention and is encrypted with the data key"
  }
  assert {
    condition     = one(aws_backup_plan.history[0].rule).schedule == "cron(0 3 * * ? *)" && one(one(aws_backup_plan.history[0].rule).lifecycle).delete_after == 35
    error_message = "a daily backup kept backup_retention_days"
  }
  assert {
    condition     = [for c in one(aws_backup_plan.history[0].rule).copy_action : c.destination_vault_arn] == [var.backup_copy_vault_arn]
    error_message = "each backup is copied to the other region's vault"
  }
  assert {
    condition     = aws_backup_selection.history[0].resources == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/synthdata-datagen-ddb-prod-history"])
    error_message = "the selection backs up the history table only"
  }
  assert {
    condition     = jsondecode(aws_iam_role.backup[0].assume_role_policy).Statement[0].Principal.Service == "backup.amazonaws.com" && jsondecode(aws_iam_role.backup[0].assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "only AWS Backup of this account assumes the backup role"
  }
  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.backup[0].policy).Statement : [
        for action in flatten([s.Action]) : action != "*" && !endswith(action, ":*")
      ]
    ]))
    error_message = "no wildcard action in the backup role's policy"
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.backup[0].policy).Statement : s.Resource != "*"])
    error_message = "no Resource * in the backup role's policy"
  }
  assert {
    condition = contains([
      for s in jsondecode(aws_iam_role_policy.backup[0].policy).Statement : s.Resource if contains(s.Action, "dynamodb:CreateBackup")
    ], "arn:aws:dynamodb:eu-west-1:123456789012:table/synthdata-datagen-ddb-prod-history")
    error_message = "the backup role backs up the history table only"
  }
}

run "stg_daily_without_copy" {
  command = plan

  variables {
    environment     = "stg"
    backup_schedule = "daily"
  }

  assert {
    condition     = length(one(aws_backup_plan.history[0].rule).copy_action) == 0
    error_message = "no copy without a copy vault"
  }
  assert {
    condition     = !anytrue([for s in jsondecode(aws_iam_role_policy.backup[0].policy).Statement : contains(s.Action, "backup:CopyIntoBackupVault")])
    error_message = "no copy permission without a copy vault"
  }
}

run "pitr_follows_the_variable" {
  command = plan

  variables {
    point_in_time_recovery = false
  }

  assert {
    condition     = !one(aws_dynamodb_table.history.point_in_time_recovery).enabled
    error_message = "point_in_time_recovery = false turns it off"
  }
}

run "unknown_schedule_is_refused" {
  command = plan

  variables {
    backup_schedule = "hourly"
  }

  expect_failures = [var.backup_schedule]
}

run "copy_needs_daily_backups" {
  command = plan

  variables {
    backup_copy_vault_arn = "arn:aws:backup:eu-central-1:123456789012:backup-vault:copy"
  }

  expect_failures = [aws_dynamodb_table.history]
}

run "copy_vault_in_the_same_region_is_refused" {
  command = plan

  variables {
    backup_schedule       = "daily"
    backup_copy_vault_arn = "arn:aws:backup:eu-west-1:123456789012:backup-vault:copy"
  }

  expect_failures = [aws_dynamodb_table.history]
}

run "longest_names_fit_aws_limits" {
  command = plan

  variables {
    project         = "abcdefghijklmnop"
    environment     = "prod"
    backup_schedule = "daily"
  }

  assert {
    condition     = length(aws_backup_vault.history[0].name) <= 50 && length(aws_backup_plan.history[0].name) <= 50 && length(aws_backup_selection.history[0].name) <= 50
    error_message = "AWS Backup names are at most 50 characters, with the longest project and environment"
  }
  assert {
    condition     = length(aws_iam_role.backup[0].name) <= 64 && length(aws_iam_role_policy.backup[0].name) <= 128
    error_message = "IAM role names are at most 64 characters, with the longest project and environment"
  }
}
