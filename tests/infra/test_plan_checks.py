"""The convention checks find what they are for, name the resource, and let the rest pass
(synthetic resources: these run without Terraform)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.infra import plan_checks
from tests.infra.plan_checks import Resource

DOCS = Path(__file__).resolve().parents[2] / "docs" / "infra.md"
ACCOUNT = "123456789012"
TAGS = {
    "Project": "synthdata",
    "Environment": "dev",
    "Domain": "datagen",
    "Owner": "data-platform",
    "CostCenter": "engineering",
    "DataClassification": "internal",
    "Compliance": "GDPR",
    "ManagedBy": "terraform",
}


def _policy(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_names_are_checked_after_aws_prefixes_and_the_account_suffix() -> None:
    good = [
        Resource(
            "a.aws_s3_bucket.d",
            "aws_s3_bucket",
            {"bucket": f"synthdata-datagen-s3-dev-datasets-{ACCOUNT}"},
        ),
        Resource(
            "a.aws_kms_alias.k", "aws_kms_alias", {"name": "alias/synthdata-infra-kms-dev-data"}
        ),
        Resource(
            "a.aws_cloudwatch_log_group.l",
            "aws_cloudwatch_log_group",
            {"name": "/aws/lambda/synthdata-datagen-lambda-dev-actions"},
        ),
        Resource("a.aws_lambda_permission.p", "aws_lambda_permission", {"statement_id": "x"}),
    ]
    assert plan_checks.naming_problems(good, "dev", ACCOUNT) == []
    bad = [
        Resource(
            "a.aws_s3_bucket.d", "aws_s3_bucket", {"bucket": "synthdata-datagen-s3-dev-datasets"}
        ),
        Resource("a.aws_iam_role.r", "aws_iam_role", {"name": "synthdata-functions-role"}),
        Resource(
            "a.aws_sns_topic.t", "aws_sns_topic", {"name": "synthdata-quality-sns-prod-alarms"}
        ),
    ]
    problems = plan_checks.naming_problems(bad, "dev", ACCOUNT)
    assert [line.split(":")[0] for line in problems] == [
        "a.aws_s3_bucket.d",
        "a.aws_iam_role.r",
        "a.aws_sns_topic.t",
    ]
    assert "names prod, not dev" in problems[2]


def test_a_missing_or_wrong_tag_is_reported_per_resource() -> None:
    resources = [
        Resource("ok", "aws_sns_topic", {"tags_all": TAGS}),
        Resource("no_owner", "aws_sns_topic", {"tags_all": {**TAGS, "Owner": ""}}),
        Resource("wrong_env", "aws_sns_topic", {"tags_all": {**TAGS, "Environment": "prod"}}),
        Resource("untaggable", "aws_iam_role_policy_attachment", {"role": "x"}),
    ]
    problems = plan_checks.tag_problems(resources, "dev")
    assert problems == ["no_owner: missing tags Owner", "wrong_env: Environment='prod'"]


def test_a_store_without_a_key_of_this_stack_is_reported() -> None:
    key = Resource("k", "aws_kms_key", {"arn": "arn:aws:kms:us-east-1:1:key/abc", "key_id": "abc"})
    resources = [
        key,
        Resource("bucket", "aws_s3_bucket", {"id": "b1", "bucket": "b1"}),
        Resource("open_bucket", "aws_s3_bucket", {"id": "b2", "bucket": "b2"}),
        Resource(
            "sse",
            "aws_s3_bucket_server_side_encryption_configuration",
            {
                "bucket": "b1",
                "rule": [
                    {
                        "apply_server_side_encryption_by_default": [
                            {"sse_algorithm": "aws:kms", "kms_master_key_id": "abc"}
                        ]
                    }
                ],
            },
        ),
        Resource("topic", "aws_sns_topic", {"kms_master_key_id": "alias/aws/sns"}),
        Resource("logs", "aws_cloudwatch_log_group", {"kms_key_id": None}),
        Resource(
            "table",
            "aws_dynamodb_table",
            {"server_side_encryption": [{"enabled": True, "kms_key_arn": key.values["arn"]}]},
        ),
        Resource(
            "aoss",
            "aws_opensearchserverless_security_policy",
            {"type": "encryption", "policy": json.dumps({"AWSOwnedKey": True})},
        ),
    ]
    problems = plan_checks.encryption_problems(resources)
    assert sorted(line.split(":")[0] for line in problems) == [
        "aoss",
        "logs",
        "open_bucket",
        "topic",
    ]


def test_wide_actions_and_resource_star_are_reported_with_the_resource() -> None:
    resources = [
        Resource(
            "role_policy",
            "aws_iam_role_policy",
            {
                "policy": _policy(
                    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"},
                    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b"},
                    {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "*"},
                    {"Effect": "Deny", "Action": "*", "Resource": "*"},
                )
            },
        ),
        Resource(
            "key",
            "aws_kms_key",
            {"policy": _policy({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})},
        ),
        Resource(
            "aoss",
            "aws_opensearchserverless_access_policy",
            {
                "policy": json.dumps(
                    [{"Rules": [{"Resource": ["index/c/*"], "Permission": ["aoss:*"]}]}]
                )
            },
        ),
    ]
    found, unreadable = plan_checks.statements(resources)
    assert unreadable == []
    assert [line.split(" ")[0] for line in plan_checks.action_problems(found)] == [
        "role_policy",
        "aoss",
    ]
    star = plan_checks.resource_star_problems(found)
    assert len(star) == 1 and star[0].startswith(
        'role_policy (policy): Resource "*" for dynamodb:GetItem'
    )


def test_a_policy_that_is_not_json_is_read_from_the_plan_or_reported() -> None:
    mocked = Resource("p", "aws_iam_policy", {"policy": "x7kq2"})
    planned = Resource(
        "p", "aws_iam_policy", {"policy": _policy({"Effect": "Allow", "Action": "*"})}
    )
    found, unreadable = plan_checks.statements([mocked], {"p": planned})
    assert unreadable == [] and found[0].actions == ("*",)
    _, unreadable = plan_checks.statements([mocked])
    assert unreadable and unreadable[0].startswith("p: policy cannot be read")


def test_the_resource_star_allow_list_is_the_one_in_the_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Where a policy says Resource", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(aws_[a-z_]+)` \| ([^|]+) \|", section, flags=re.MULTILINE)
    documented = {(kind, actions.strip()) for kind, actions in rows}
    listed = {
        (kind, "every statement" if actions is None else ", ".join(sorted(actions)))
        for kind, actions in plan_checks.RESOURCE_STAR_ALLOWED
    }
    assert documented == listed
    aws_keys = set(re.findall(r"^\| `(module\.[a-z0-9_.]+)` \|", section, flags=re.MULTILINE))
    assert aws_keys == set(plan_checks.AWS_KEY_ALLOWED)
