"""The conventions every planned resource must follow, as checks over Terraform's JSON.

Each check takes resources (``Resource``: address, type and attribute values, from a plan's
``resource_changes`` or a state's ``resources``) and returns the problems found, one line
per resource, naming it: a test asserts the list is empty and shows every line at once.

``RESOURCE_STAR_ALLOWED`` is the one list of the places where a policy statement may say
``"Resource": "*"``, each with the reason AWS requires it; docs/infra.md shows the same list
(tests/infra/test_plan_checks.py keeps them equal).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

ENVIRONMENTS = ("dev", "stg", "prod")
DOMAINS = ("datagen", "schema", "quality", "infra")
NAME = re.compile(
    r"^synthdata-(?P<domain>datagen|schema|quality|infra)-[a-z0-9]+-(?P<env>dev|stg|prod)-[a-z0-9-]+$"
)
REQUIRED_TAGS = (
    "Project",
    "Environment",
    "Domain",
    "Owner",
    "CostCenter",
    "DataClassification",
    "Compliance",
    "ManagedBy",
)

#: the attribute holding the AWS name of each named resource type ("name" when not listed)
NAME_ATTRIBUTE = {
    "aws_s3_bucket": "bucket",
    "aws_lambda_function": "function_name",
    "aws_lambda_layer_version": "layer_name",
    "aws_cloudwatch_metric_alarm": "alarm_name",
    "aws_cloudwatch_dashboard": "dashboard_name",
    "aws_bedrockagent_agent": "agent_name",
    "aws_bedrockagent_agent_alias": "agent_alias_name",
    "aws_bedrockagent_agent_action_group": "action_group_name",
}
#: types whose "name" attribute is not the name of an AWS resource of their own
NOT_NAMED = frozenset(
    {
        "aws_iam_role_policy_attachment",
        "aws_lambda_permission",
        "aws_s3_object",
        "aws_sns_topic_subscription",
    }
)
#: AWS's own prefixes, stripped before the convention is checked
_NAME_PREFIXES = {
    "aws_kms_alias": "alias/",
}

#: Resource "*" is allowed only here: (resource type, the statement's actions) -> why.
#: An entry whose actions are None covers every statement of that resource type.
RESOURCE_STAR_ALLOWED: dict[tuple[str, frozenset[str] | None], str] = {
    ("aws_kms_key", None): (
        'in a key policy, "Resource": "*" means the key the policy is attached to; AWS '
        "accepts no other value there"
    ),
    ("aws_iam_role_policy", frozenset({"xray:PutTelemetryRecords", "xray:PutTraceSegments"})): (
        "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource-level permission: "
        'AWS documents them with "Resource": "*" only (the function\'s active tracing)'
    ),
}

#: stores that may use an AWS key instead of a customer-managed one: the end of the
#: resource's address (inside the stack) -> why. docs/infra.md shows the same list.
AWS_KEY_ALLOWED: dict[str, str] = {
    "module.storage.aws_s3_bucket_server_side_encryption_configuration.logs": (
        "S3 delivers server access logs only to a bucket encrypted with SSE-S3; AWS does not "
        "support SSE-KMS on a log target bucket. It holds access logs, no datasets"
    ),
}

#: what stores data, and the attribute naming its key (a path into the values)
_STORE_KEYS: dict[str, tuple[str, ...]] = {
    "aws_dynamodb_table": ("server_side_encryption", "0", "kms_key_arn"),
    "aws_cloudwatch_log_group": ("kms_key_id",),
    "aws_sns_topic": ("kms_master_key_id",),
    "aws_lambda_function": ("kms_key_arn",),
    "aws_backup_vault": ("kms_key_arn",),
    "aws_bedrockagent_agent": ("customer_encryption_key_arn",),
}


@dataclass(frozen=True)
class Resource:
    """A managed resource's address, type and (known) attribute values."""

    address: str
    type: str
    values: Mapping[str, Any]


def planned(plan: Mapping[str, Any]) -> list[Resource]:
    """The managed resources a plan (``terraform show -json PLAN``) creates or keeps."""
    return [
        Resource(change["address"], change["type"], change["change"].get("after") or {})
        for change in plan.get("resource_changes", [])
        if change.get("mode") == "managed" and "delete" not in change["change"]["actions"]
    ]


def unknown_in_plan(plan: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Per address, which attributes the plan leaves unknown (``after_unknown``)."""
    return {
        change["address"]: change["change"].get("after_unknown") or {}
        for change in plan.get("resource_changes", [])
    }


def in_state(state: Mapping[str, Any]) -> list[Resource]:
    """The managed resources of a state (``values`` of ``terraform show -json``)."""

    def walk(module: Mapping[str, Any]) -> Iterator[Resource]:
        for resource in module.get("resources", []):
            if resource.get("mode") == "managed":
                yield Resource(resource["address"], resource["type"], resource["values"] or {})
        for child in module.get("child_modules", []):
            yield from walk(child)

    return list(walk(state.get("root_module", {})))


def _dig(values: Any, path: Iterable[str]) -> Any:
    for part in path:
        if isinstance(values, list):
            values = values[int(part)] if part.isdigit() and int(part) < len(values) else None
        elif isinstance(values, Mapping):
            values = values.get(part)
        else:
            return None
    return values


# ---- naming ----------------------------------------------------------------------------


def resource_name(resource: Resource) -> str | None:
    """The AWS name of ``resource`` with AWS's prefixes stripped, or None if it has none."""
    if resource.type in NOT_NAMED:
        return None
    attribute = NAME_ATTRIBUTE.get(resource.type, "name")
    if attribute not in resource.values and resource.type not in NAME_ATTRIBUTE:
        return None
    name = resource.values.get(attribute)
    if not isinstance(name, str):
        return ""
    if resource.type == "aws_cloudwatch_log_group":
        # /aws/lambda/<function>, /aws/vendedlogs/<...>/<name>: the convention is the last part
        return name.rsplit("/", 1)[-1]
    return name.removeprefix(_NAME_PREFIXES.get(resource.type, ""))


def naming_problems(resources: Iterable[Resource], environment: str, account_id: str) -> list[str]:
    """Named resources whose name breaks {project}-{domain}-{type}-{env}-{description}."""
    problems = []
    for resource in resources:
        name = resource_name(resource)
        if name is None:
            continue
        if resource.type == "aws_s3_bucket":
            if not name.endswith(f"-{account_id}"):
                problems.append(
                    f"{resource.address}: bucket {name!r} does not end with -{account_id}"
                )
                continue
            name = name.removesuffix(f"-{account_id}")
        matched = NAME.match(name)
        if not name:
            problems.append(f"{resource.address}: its name is not known at plan time")
        elif not matched:
            problems.append(f"{resource.address}: {name!r} does not match {NAME.pattern}")
        elif matched["env"] != environment:
            problems.append(
                f"{resource.address}: {name!r} names {matched['env']}, not {environment}"
            )
    return problems


# ---- tags ------------------------------------------------------------------------------


def tag_problems(
    resources: Iterable[Resource],
    environment: str,
    unknown: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[str]:
    """Taggable resources (with ``tags_all``) missing a required tag or holding a wrong one."""
    problems = []
    for resource in resources:
        if "tags_all" not in resource.values and not (unknown or {}).get(resource.address, {}).get(
            "tags_all"
        ):
            continue
        tags = resource.values.get("tags_all")
        if not isinstance(tags, Mapping):
            problems.append(f"{resource.address}: tags_all is not known at plan time")
            continue
        missing = [tag for tag in REQUIRED_TAGS if not tags.get(tag)]
        if missing:
            problems.append(f"{resource.address}: missing tags {', '.join(missing)}")
            continue
        if tags["Environment"] != environment:
            problems.append(f"{resource.address}: Environment={tags['Environment']!r}")
        if tags["Domain"] not in DOMAINS:
            problems.append(
                f"{resource.address}: Domain={tags['Domain']!r} is not one of {DOMAINS}"
            )
        if tags["ManagedBy"] != "terraform":
            problems.append(f"{resource.address}: ManagedBy={tags['ManagedBy']!r}")
    return problems


# ---- encryption ------------------------------------------------------------------------


def customer_keys(resources: Iterable[Resource]) -> set[str]:
    """Every way the configuration can name one of its own KMS keys (ARN, id, alias)."""
    names: set[str] = set()
    for resource in resources:
        if resource.type in ("aws_kms_key", "aws_kms_replica_key"):
            names.update(str(resource.values.get(a)) for a in ("arn", "key_id", "id"))
        elif resource.type == "aws_kms_alias":
            names.update(str(resource.values.get(a)) for a in ("arn", "name"))
    names.discard("None")
    return names


def _aws_key_allowed(address: str) -> bool:
    plain = re.sub(r"\[[^\]]*\]", "", address)
    return any(plain.endswith(allowed) for allowed in AWS_KEY_ALLOWED)


def encryption_problems(resources: Iterable[Resource]) -> list[str]:
    """Stores not encrypted with a key this configuration manages (none, or an AWS key)."""
    resources = list(resources)
    keys = customer_keys(resources)
    problems = []

    def check(resource: Resource, key: Any, what: str) -> None:
        if not key:
            problems.append(f"{resource.address}: {what} names no KMS key")
        elif key not in keys:
            problems.append(
                f"{resource.address}: {what} uses {key!r}, not a customer-managed key of this stack"
            )

    encrypted_buckets: set[str] = set()
    for resource in resources:
        if resource.type in _STORE_KEYS:
            if resource.type == "aws_dynamodb_table" and not _dig(
                resource.values, ("server_side_encryption", "0", "enabled")
            ):
                problems.append(f"{resource.address}: server-side encryption is not enabled")
                continue
            check(resource, _dig(resource.values, _STORE_KEYS[resource.type]), "encryption")
        elif resource.type == "aws_s3_bucket_server_side_encryption_configuration":
            encrypted_buckets.add(str(resource.values.get("bucket")))
            if _aws_key_allowed(resource.address):
                continue
            for rule in resource.values.get("rule") or []:
                default = _dig(rule, ("apply_server_side_encryption_by_default", "0")) or {}
                if default.get("sse_algorithm") not in ("aws:kms", "aws:kms:dsse"):
                    problems.append(
                        f"{resource.address}: sse_algorithm is {default.get('sse_algorithm')!r}, not aws:kms"
                    )
                check(resource, default.get("kms_master_key_id"), "SSE-KMS")
        elif resource.type == "aws_opensearchserverless_security_policy" and (
            resource.values.get("type") == "encryption"
        ):
            policy = _json(resource.values.get("policy"))
            if not isinstance(policy, Mapping) or policy.get("AWSOwnedKey") is not False:
                problems.append(f"{resource.address}: the collection uses an AWS-owned key")
            else:
                check(resource, policy.get("KmsARN"), "the collection's encryption")
    for resource in resources:
        if resource.type == "aws_s3_bucket" and not (
            {str(resource.values.get("id")), str(resource.values.get("bucket"))} & encrypted_buckets
        ):
            problems.append(f"{resource.address}: no SSE-KMS configuration names this bucket")
    return problems


# ---- policies --------------------------------------------------------------------------

#: the attributes holding a policy document, per resource type (paths into the values)
_POLICY_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "aws_iam_role": (("assume_role_policy",),),
    "aws_iam_policy": (("policy",),),
    "aws_iam_role_policy": (("policy",),),
    "aws_iam_user_policy": (("policy",),),
    "aws_iam_group_policy": (("policy",),),
    "aws_kms_key": (("policy",),),
    "aws_kms_replica_key": (("policy",),),
    "aws_s3_bucket_policy": (("policy",),),
    "aws_sns_topic_policy": (("policy",),),
    "aws_sns_topic": (("policy",),),
    "aws_opensearchserverless_access_policy": (("policy",),),
}


#: policy attributes the provider computes when the configuration leaves them unset (a
#: separate policy resource holds the document): a mocked value there is not a document
_COMPUTED_WHEN_UNSET = frozenset({("aws_sns_topic", "policy")})


def _json(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Statement:
    """One statement of one policy document, with where it comes from."""

    address: str
    type: str
    where: str
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_action: bool


def statements(
    resources: Iterable[Resource], fallback: Mapping[str, Resource] | None = None
) -> tuple[list[Statement], list[str]]:
    """Every policy statement of ``resources``, and the documents that cannot be read.

    ``fallback``: the same resources from another source (the plan), read when a document
    is not JSON in ``resources`` (a mocked provider's value for a computed document)."""
    found: list[Statement] = []
    unreadable: list[str] = []
    for resource in resources:
        paths = list(_POLICY_PATHS.get(resource.type, ()))
        if resource.type == "aws_iam_role":
            for index, _ in enumerate(resource.values.get("inline_policy") or []):
                paths.append(("inline_policy", str(index), "policy"))
        for path in paths:
            text = _dig(resource.values, path)
            if text in (None, ""):
                continue
            document = _json(text)
            if document is None and fallback and resource.address in fallback:
                document = _json(_dig(fallback[resource.address].values, path))
            where = ".".join(path)
            if document is None and (resource.type, where) in _COMPUTED_WHEN_UNSET:
                continue
            if document is None:
                unreadable.append(
                    f"{resource.address}: {where} cannot be read (build it with jsonencode() "
                    "so that its statements are known without AWS)"
                )
                continue
            found.extend(_statements_of(resource, where, document))
    return found, unreadable


def _statements_of(resource: Resource, where: str, document: Any) -> Iterator[Statement]:
    if resource.type == "aws_opensearchserverless_access_policy":
        # a data-access policy: a list of rule sets, each rule with its permissions
        for rules in _as_list(document):
            for rule in (rules or {}).get("Rules", []):
                yield Statement(
                    resource.address,
                    resource.type,
                    where,
                    "Allow",
                    tuple(rule.get("Permission", [])),
                    tuple(_as_list(rule.get("Resource", []))),
                    False,
                )
        return
    for statement in _as_list(document.get("Statement", [])):
        not_action = "NotAction" in statement
        yield Statement(
            resource.address,
            resource.type,
            where,
            statement.get("Effect", ""),
            tuple(_as_list(statement.get("NotAction" if not_action else "Action", []))),
            tuple(_as_list(statement.get("Resource", []))),
            not_action,
        )


def _every_action(action: str) -> bool:
    return action == "*" or action.endswith(":*")


def action_problems(found: Iterable[Statement]) -> list[str]:
    """Allow statements granting "*" or "service:*", or granting through NotAction."""
    problems = []
    for statement in found:
        if statement.effect != "Allow":
            continue
        if statement.not_action:
            problems.append(f"{statement.address} ({statement.where}): allows by NotAction")
        wide = [action for action in statement.actions if _every_action(action)]
        if wide:
            problems.append(
                f"{statement.address} ({statement.where}): allows {', '.join(wide)}; list the actions"
            )
    return problems


def resource_star_problems(found: Iterable[Statement]) -> list[str]:
    """Allow statements on "Resource": "*" that RESOURCE_STAR_ALLOWED does not list."""
    problems = []
    for statement in found:
        if statement.effect != "Allow" or "*" not in statement.resources:
            continue
        if (statement.type, None) in RESOURCE_STAR_ALLOWED or (
            statement.type,
            frozenset(statement.actions),
        ) in RESOURCE_STAR_ALLOWED:
            continue
        problems.append(
            f'{statement.address} ({statement.where}): Resource "*" for '
            f"{', '.join(statement.actions)}; name the resources, or add the case with AWS's "
            "reason to RESOURCE_STAR_ALLOWED (tests/infra/plan_checks.py) and docs/infra.md"
        )
    return problems
