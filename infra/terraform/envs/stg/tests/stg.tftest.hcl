# terraform test (offline, mocked provider): the stg row of the review's table, and what
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

run "the_stg_settings_are_the_reviews" {
  command = apply

  assert {
    condition     = var.environment == "stg" && var.memory_mb == 1536 && var.reserved_concurrency == 10
    error_message = "stg runs the function with 1536 MB and 10 reserved executions"
  }
  assert {
    condition     = var.search_capacity_ocu == 4
    error_message = "stg's knowledge base has 4 OCU"
  }
  assert {
    condition     = var.data_retention_days == 365 && var.log_retention_days == 90
    error_message = "stg keeps datasets 365 days and logs 90 days"
  }
  assert {
    condition     = var.point_in_time_recovery == false
    error_message = "point-in-time recovery is false in stg"
  }
  assert {
    condition     = output.stack.instances.backup_plan == 1 && output.stack.instances.replica_vault == 0
    error_message = "stg has 1 daily backup plan(s) and 0 cross-region vault(s)"
  }
  assert {
    condition     = output.stack.instances.knowledge_base == 1 && output.stack.instances.agent == 0
    error_message = "stg creates the knowledge base (1) and no agent by default"
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

run "stg_backs_up_daily_without_a_copy" {
  command = apply
  assert {
    condition     = output.stack.instances.backup_plan == 1 && output.stack.backup_copy_vault_arn == null
    error_message = "one daily plan, no cross-region copy"
  }
}
