# terraform test (offline, mocked provider): the prod row of the review's table, and what
# the optional parts create. tests/package holds what `synthdata backend package --out
# tests/package` writes: pytest (tests/infra/test_envs.py) writes placeholders there.
mock_provider "aws" {
  source = "../mocks/primary"
}

mock_provider "aws" {
  alias  = "replica"
  source = "../mocks/replica"
}

variables {
  package_dir = "tests/package"
}

run "the_prod_settings_are_the_reviews" {
  command = apply

  assert {
    condition     = var.environment == "prod" && var.memory_mb == 2048 && var.reserved_concurrency == 50
    error_message = "prod runs the function with 2048 MB and 50 reserved executions"
  }
  assert {
    condition     = var.search_capacity_ocu == 8
    error_message = "prod's knowledge base has 8 OCU"
  }
  assert {
    condition     = var.data_retention_days == 730 && var.log_retention_days == 365
    error_message = "prod keeps datasets 730 days and logs 365 days"
  }
  assert {
    condition     = var.point_in_time_recovery == true
    error_message = "point-in-time recovery is true in prod"
  }
  assert {
    condition     = output.stack.instances.backup_plan == 1 && output.stack.instances.replica_vault == 1
    error_message = "prod has 1 daily backup plan(s) and 1 cross-region vault(s)"
  }
  assert {
    condition     = output.stack.instances.knowledge_base == 1 && output.stack.instances.agent == 0
    error_message = "prod creates the knowledge base (1) and no agent by default"
  }
  assert {
    condition     = output.sdk_environment.SYNTHDATA_BACKEND == "lambda" && output.sdk_environment.SYNTHDATA_REGION == var.region
    error_message = "the SDK's settings name the lambda backend and the region"
  }
}

run "without_the_optional_parts" {
  command = apply
  variables {
    enable_agent          = false
    enable_knowledge_base = false
  }
  assert {
    condition     = output.stack.instances.agent == 0 && output.stack.instances.knowledge_base == 0
    error_message = "enable_agent = false and enable_knowledge_base = false create neither"
  }
  assert {
    condition     = output.stack.agent_id == null && output.stack.knowledge_base_id == null
    error_message = "a part not created has a null id"
  }
}

run "with_the_agent_and_the_knowledge_base" {
  command = apply
  variables {
    enable_agent          = true
    enable_knowledge_base = true
  }
  assert {
    condition     = output.stack.instances.agent == 1 && output.stack.instances.knowledge_base == 1
    error_message = "enable_agent and enable_knowledge_base create one of each"
  }
}

run "prod_copies_each_daily_backup_to_the_replica_region" {
  command = apply
  assert {
    condition     = output.stack.backup_copy_vault_arn != null && output.stack.instances.backup_plan == 1
    error_message = "the daily plan copies to the vault in the replica region"
  }
  assert {
    condition     = var.deletion_protection
    error_message = "the prod history table is protected from deletion"
  }
}
