"""Every resource an environment plans follows the conventions (tests/infra/plan_checks.py).

Each environment is planned against a moto server on 127.0.0.1 (names, default_tags and
the account id as the AWS provider computes them) and applied under a mocked provider
(policies, whose documents hold ARNs only known after apply), with the agent and the
knowledge base on so that every module is covered. A failure lists every resource at fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from tests.infra import plan_checks
from tests.infra.conftest import EnvJson
from tests.infra.env_runs import ACCOUNT_ID
from tests.infra.plan_checks import ENVIRONMENTS, Resource

pytestmark = [pytest.mark.infra, pytest.mark.slow]

#: the architecture review's table: memory MB, reserved concurrency, dataset days, log days,
#: daily backups, point-in-time recovery, cross-region copy
SETTINGS = {
    "dev": (1024, 5, 90, 30, False, False, False),
    "stg": (1536, 10, 365, 90, True, False, False),
    "prod": (2048, 50, 730, 365, True, True, True),
}


def _report(what: str, problems: Iterable[str]) -> None:
    problems = sorted(problems)
    assert not problems, f"{len(problems)} {what}:\n  " + "\n  ".join(problems)


def _of_type(resources: Iterable[Resource], kind: str) -> list[Resource]:
    return [resource for resource in resources if resource.type == kind]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_named_resources_follow_the_naming_convention(env_json: EnvJson, environment: str) -> None:
    plan, _ = env_json(environment)
    _report(
        "resources break the naming convention",
        plan_checks.naming_problems(plan_checks.planned(plan), environment, ACCOUNT_ID),
    )


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_taggable_resources_carry_every_required_tag(env_json: EnvJson, environment: str) -> None:
    plan, _ = env_json(environment)
    _report(
        "resources lack required tags",
        plan_checks.tag_problems(
            plan_checks.planned(plan), environment, plan_checks.unknown_in_plan(plan)
        ),
    )


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_store_uses_a_customer_managed_key(env_json: EnvJson, environment: str) -> None:
    _, state = env_json(environment)
    _report(
        "stores without a customer-managed key",
        plan_checks.encryption_problems(plan_checks.in_state(state)),
    )


def _statements(plan: dict[str, Any], state: dict[str, Any]) -> list[plan_checks.Statement]:
    planned = {resource.address: resource for resource in plan_checks.planned(plan)}
    found, unreadable = plan_checks.statements(plan_checks.in_state(state), planned)
    _report("policy documents cannot be checked", unreadable)
    return found


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_no_policy_statement_allows_every_action(env_json: EnvJson, environment: str) -> None:
    plan, state = env_json(environment)
    _report("statements allow every action", plan_checks.action_problems(_statements(plan, state)))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_resource_star_appears_only_where_aws_requires_it(
    env_json: EnvJson, environment: str
) -> None:
    plan, state = env_json(environment)
    _report(
        'statements on Resource "*" outside the allow-list',
        plan_checks.resource_star_problems(_statements(plan, state)),
    )


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_mocked_apply_covers_every_planned_resource(
    env_json: EnvJson, environment: str
) -> None:
    plan, state = env_json(environment)
    planned = {resource.address for resource in plan_checks.planned(plan)}
    applied = {resource.address for resource in plan_checks.in_state(state)}
    assert planned == applied
    # every module is in the plan (the optional ones are switched on for these checks)
    modules = {address.split(".")[3] for address in planned if address.count("module.") > 1}
    assert modules >= {"kms", "storage", "history", "functions", "monitoring"}, modules


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_plan_holds_the_environments_settings(env_json: EnvJson, environment: str) -> None:
    memory, concurrency, data_days, log_days, daily, pitr, cross_region = SETTINGS[environment]
    plan, state = env_json(environment)
    resources = plan_checks.planned(plan)

    functions = _of_type(resources, "aws_lambda_function")
    assert functions, "no function planned"
    for function in functions:
        assert function.values["memory_size"] == memory, function.address
        assert function.values["reserved_concurrent_executions"] == concurrency, function.address
        assert function.values["timeout"] == 300, function.address

    expirations = [
        rule["expiration"][0].get("days")
        for lifecycle in _of_type(resources, "aws_s3_bucket_lifecycle_configuration")
        for rule in lifecycle.values.get("rule") or []
        if rule.get("expiration")
    ]
    # the access-log bucket keeps its logs as long as the function's log group
    assert log_days in expirations, f"no lifecycle rule expires logs after {log_days} days"
    assert data_days in expirations, (
        f"no lifecycle rule expires after {data_days} days: {expirations}"
    )

    log_groups = _of_type(resources, "aws_cloudwatch_log_group")
    assert log_groups, "no log group planned"
    for group in log_groups:
        assert group.values["retention_in_days"] == log_days, group.address

    tables = _of_type(resources, "aws_dynamodb_table")
    assert tables, "no table planned"
    for table in tables:
        recovery = table.values.get("point_in_time_recovery") or [{}]
        assert bool(recovery[0].get("enabled")) is pitr, table.address

    assert len(_of_type(resources, "aws_backup_plan")) == int(daily)
    # the copy rule names the replica vault's ARN, known only after apply: read the mocked one
    for backup in _of_type(plan_checks.in_state(state), "aws_backup_plan"):
        (rule,) = backup.values["rule"]
        assert len(rule.get("copy_action") or []) == int(cross_region), backup.address
    assert len(_of_type(resources, "aws_backup_selection")) == int(daily)
    vaults = {vault.address.rsplit(".", 1)[-1] for vault in _of_type(resources, "aws_backup_vault")}
    assert ("replica[0]" in vaults) is cross_region


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_sdk_settings_output_names_the_provisioned_resources(
    env_json: EnvJson, environment: str
) -> None:
    _, state = env_json(environment)
    settings = state["outputs"]["sdk_environment"]["value"]
    resources = plan_checks.in_state(state)
    (bucket,) = [
        r for r in _of_type(resources, "aws_s3_bucket") if "-datasets-" in r.values["bucket"]
    ]
    assert settings["SYNTHDATA_BUCKET"] in (bucket.values["id"], bucket.values["bucket"])
    assert settings["SYNTHDATA_SHARED_CACHE"] == f"s3://{settings['SYNTHDATA_BUCKET']}/synthdata"
    (function,) = _of_type(resources, "aws_lambda_function")
    assert settings["SYNTHDATA_FUNCTION_NAME"] == function.values["function_name"]
    aliases = {alias.values["name"] for alias in _of_type(resources, "aws_kms_alias")}
    assert settings["SYNTHDATA_SIGNING_KEY"] in aliases
    (agent,) = _of_type(resources, "aws_bedrockagent_agent")
    assert settings["SYNTHDATA_AGENT_ID"] == agent.values["agent_id"]
    assert settings["SYNTHDATA_BACKEND"] == "lambda"
