"""The core stack, applied for real: infra/terraform/tests/moto_core (kms, storage, history and
functions modules, environment dev) applied to a moto server on 127.0.0.1, then used by the
SDK end to end, then destroyed.

One apply and one destroy (each terraform call has its own time limit). Between them: the
action function's handler runs in-process with the environment Terraform gave the Lambda
function (read back from moto), writes a dataset to the provisioned bucket under the
provisioned key and a history item to the provisioned table; ``synthdata cache pull`` reads
it back through the shared cache byte for byte as a local generation makes it; and
``synthdata cache push --signing-key`` signs with the provisioned asymmetric key, which
``pull --require-signed`` then checks.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import subprocess
import sys
import zipimport
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, SIGNATURE
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.dataset import Dataset
from tests.infra.moto_stack import (
    aws_env,
    bucket_policy_conditions_not_enforced,
    client,
    moto_server,
    outputs,
    run_terraform,
    write_override,
)
from tests.infra.terraform_cli import REPO, Terraform, copy_tree
from tests.plugin.helpers import shared_hits

pytest.importorskip("moto", reason="needs the [test] extra (moto[server])")
pytest.importorskip("boto3", reason="needs the [aws] extra")

from botocore.exceptions import ClientError

# Loaded here, outside the inner pytest run: pytester drops what an inner run imports, and the
# compiled part of cryptography cannot be loaded twice in one process.
import synthdata_sdk.cloud.signing  # noqa: F401
from synthdata_sdk.packaging import build_package

pytestmark = [pytest.mark.infra, pytest.mark.slow]

FIXTURE = ("tests", "moto_core")
TEMPLATE, ROWS, SEED = "customer", 25, 2026
SESSION = "moto-core-e2e"
#: what the function's environment must name (synthdata_sdk/cloud/config.py reads them)
SDK_SETTINGS = {
    "SYNTHDATA_BUCKET",
    "SYNTHDATA_PREFIX",
    "SYNTHDATA_HISTORY_TABLE",
    "SYNTHDATA_KMS_KEY_ID",
    "SYNTHDATA_MAX_ACTION_ROWS",
}
#: seconds each terraform command may take (the provider alone needs several to start, and
#: it waits ~50 s for an S3 lifecycle configuration to read back the same three times)
INIT_S, APPLY_S, DESTROY_S = 180, 600, 420
#: destroy one resource at a time: moto's S3 lists a versioned bucket's versions while other
#: threads delete from it and fails now and then with a 500 (``'NoneType' object is not
#: iterable`` in ``list_object_versions``), which the provider meets on every object delete
DESTROY = ("destroy", "-auto-approve", "-input=false", "-parallelism=1")
CLI_S = 120


def test_core_stack_applies_to_moto_serves_the_sdk_and_destroys(
    terraform: Terraform,
    tmp_path: Path,
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local = SynthDataClient().generate(TEMPLATE, rows=ROWS, seed=SEED)
    package = build_package(tmp_path / "lambda")
    manifest = json.loads(package.manifest.read_text(encoding="utf-8"))
    root = copy_tree(tmp_path, FIXTURE)
    (root / "moto.auto.tfvars.json").write_text(
        json.dumps(
            {
                "function_zip": str(package.function_zip.path),
                "layer_zip": str(package.layer_zip.path),
                "template_files": manifest["template_files"],
            }
        ),
        encoding="utf-8",
    )
    bucket_policy_conditions_not_enforced(monkeypatch)
    with moto_server() as endpoint:
        write_override(root, endpoint)
        tf = functools.partial(run_terraform, terraform, root)
        tf("init", "-backend=false", "-input=false", timeout=INIT_S)
        try:
            tf("apply", "-auto-approve", "-input=false", timeout=APPLY_S)
            out = outputs(terraform, root)
            _check_provisioned(endpoint, out, manifest["handler"])
            _check_action_function(
                endpoint, out, local, package.function_zip.path, tmp_path, monkeypatch
            )
            _check_signed_shared_cache(endpoint, out, local, tmp_path, pytester, monkeypatch)
        except BaseException as error:
            # destroy what a partial apply made too, but report the first failure
            try:
                tf(*DESTROY, timeout=DESTROY_S)
            except AssertionError as also:
                error.add_note(f"the destroy after this failure failed too:\n{also}")
            raise
        tf(*DESTROY, timeout=DESTROY_S)
        _check_destroyed(endpoint, out)


# ---------------------------------------------------------------------------------------------
# What the apply made


def _check_provisioned(endpoint: str, out: dict[str, Any], handler: str) -> None:
    kms, s3 = client(endpoint, "kms"), client(endpoint, "s3")
    dynamodb, lam = client(endpoint, "dynamodb"), client(endpoint, "lambda")
    data_key = out["data_key_arn"]
    assert kms.get_key_rotation_status(KeyId=data_key)["KeyRotationEnabled"] is True
    signing = kms.describe_key(KeyId=out["signing_key_alias"])["KeyMetadata"]
    assert (signing["Arn"], signing["KeySpec"], signing["KeyUsage"]) == (
        out["signing_key_arn"],
        "ECC_NIST_P256",
        "SIGN_VERIFY",
    )

    bucket = out["data_bucket_name"]
    assert bucket.endswith("-" + out["account_id"])
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    (rule,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    default = rule["ApplyServerSideEncryptionByDefault"]
    assert (default["SSEAlgorithm"], default["KMSMasterKeyID"]) == ("aws:kms", data_key)
    blocked = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(blocked.values()) and len(blocked) == 4, blocked
    logging = s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]
    assert logging["TargetBucket"] == out["log_bucket_name"]
    expirations = [
        rule["Expiration"]["Days"]
        for rule in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        if rule["Status"] == "Enabled" and "Days" in rule.get("Expiration", {})
    ]
    assert expirations == [90], expirations
    policy = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    assert '"aws:SecureTransport"' in policy, policy
    templates = s3.list_objects_v2(Bucket=out["templates_bucket_name"]).get("Contents", [])
    assert {item["Key"] for item in templates} >= {"customer.json"}, templates

    table = dynamodb.describe_table(TableName=out["table_name"])["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert (table["SSEDescription"]["SSEType"], table["SSEDescription"]["KMSMasterKeyArn"]) == (
        "KMS",
        data_key,
    )
    assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == [
        out["fingerprint_index_name"]
    ]
    backups = dynamodb.describe_continuous_backups(TableName=out["table_name"])
    recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"
    ttl = dynamodb.describe_time_to_live(TableName=out["table_name"])["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "ttl")

    config = lam.get_function_configuration(FunctionName=out["function_name"])
    assert (config["Handler"], config["MemorySize"], config["Timeout"]) == (handler, 1024, 300)
    assert config["KMSKeyArn"] == data_key
    concurrency = lam.get_function_concurrency(FunctionName=out["function_name"])
    assert concurrency["ReservedConcurrentExecutions"] == 5
    (group,) = client(endpoint, "logs").describe_log_groups(
        logGroupNamePrefix=out["log_group_name"]
    )["logGroups"]
    assert (group["kmsKeyId"], group["retentionInDays"]) == (out["logs_key_arn"], 365)
    iam = client(endpoint, "iam")
    names = iam.list_role_policies(RoleName=out["role_name"])["PolicyNames"]
    for name in names:
        document = iam.get_role_policy(RoleName=out["role_name"], PolicyName=name)
        for statement in document["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            for action in [actions] if isinstance(actions, str) else actions:
                assert "*" not in action, (name, statement)


# ---------------------------------------------------------------------------------------------
# The SDK against it


def _check_action_function(
    endpoint: str,
    out: dict[str, Any],
    local: Dataset,
    function_zip: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The handler, with the environment Terraform set on the function, stores the dataset in
    the bucket (SSE-KMS, the data key) and completes its history item; a CI job pulls it."""
    config = client(endpoint, "lambda").get_function_configuration(
        FunctionName=out["function_name"]
    )
    environment = config["Environment"]["Variables"]
    assert set(environment) >= SDK_SETTINGS, sorted(environment)
    bucket, prefix = environment["SYNTHDATA_BUCKET"], environment["SYNTHDATA_PREFIX"]
    assert (bucket, environment["SYNTHDATA_HISTORY_TABLE"]) == (
        out["data_bucket_name"],
        out["table_name"],
    )

    handler = _entry_point(function_zip, config["Handler"], monkeypatch)
    with monkeypatch.context() as patch:
        # as the Lambda runtime runs it: Terraform's variables plus credentials and region;
        # the endpoint is the one setting a deployed function does not have
        _isolate(patch, {**environment, **aws_env(endpoint)})
        context = SimpleNamespace(
            aws_request_id="moto-request-1", function_name=out["function_name"], client_context=None
        )
        event = {
            "action": "generate",
            "request": {"template": TEMPLATE, "rows": ROWS, "seed": SEED},
            "session_id": SESSION,
            "requester": "ci",
        }
        answer = handler(event, context)
    assert answer["status"] == 200, answer
    fingerprint = local.fingerprint
    folder = f"{prefix}/datasets/{fingerprint}/"
    assert answer["body"]["fingerprint"] == fingerprint
    assert answer["body"]["s3_uri"] == f"s3://{bucket}/{folder}"

    s3 = client(endpoint, "s3")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix=folder)["Contents"]]
    assert folder + MANIFEST in keys, keys
    for key in keys:
        head = s3.head_object(Bucket=bucket, Key=key)
        assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == (
            "aws:kms",
            out["data_key_arn"],
        ), key
    pointer = s3.get_object(Bucket=bucket, Key=f"{prefix}/sessions/{SESSION}/result.json")
    assert json.loads(pointer["Body"].read())["fingerprint"] == fingerprint

    items = client(endpoint, "dynamodb").query(
        TableName=out["table_name"],
        IndexName=out["fingerprint_index_name"],
        KeyConditionExpression="fingerprint = :fingerprint",
        ExpressionAttributeValues={":fingerprint": {"S": fingerprint}},
    )["Items"]
    assert len(items) == 1, items
    (item,) = items
    assert item["status"] == {"S": "completed"}, item
    assert (item["rows"], item["session_id"], item["s3_uri"]) == (
        {"N": str(ROWS)},
        {"S": SESSION},
        {"S": f"s3://{bucket}/{folder}"},
    )

    # a CI job reads it through the shared cache: the same bytes as a local generation
    pulled = tmp_path / "pulled"
    done = _cli(
        endpoint,
        "cache",
        "pull",
        "--shared-cache",
        f"s3://{bucket}/{prefix}",
        "--all",
        "--cache-dir",
        str(pulled),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    _assert_same_entry(LocalStore(pulled), local, tmp_path / "reference")


def _entry_point(function_zip: Path, handler: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The Lambda handler named ``handler`` (module.attribute), imported from the function's
    zip as the runtime does; a fresh handler over the same code, so that its services are
    built from this test's environment (the module-level one keeps the first it builds)."""
    from synthdata_sdk.cloud.handler import lambda_handler, make_handler

    module_name, attribute = handler.rsplit(".", 1)
    spec = zipimport.zipimporter(str(function_zip)).find_spec(module_name)
    assert spec is not None and spec.loader is not None, f"{module_name} is not in {function_zip}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert getattr(module, attribute) is lambda_handler
    return make_handler()


def _check_signed_shared_cache(
    endpoint: str,
    out: dict[str, Any],
    local: Dataset,
    tmp_path: Path,
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The CI writer signs what it pushes with the provisioned key; a test run that requires
    signatures (the plugin, --synthdata-require-signed) reads it from the shared cache, and
    a pull that requires them refuses the function's unsigned entry."""
    bucket, alias = out["data_bucket_name"], out["signing_key_alias"]
    reference = tmp_path / "reference"  # the local generation, stored by _assert_same_entry
    signed = f"s3://{bucket}/ci/signed"
    done = _cli(
        endpoint,
        "cache",
        "push",
        "--shared-cache",
        signed,
        "--signing-key",
        alias,
        "--cache-dir",
        str(reference),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    signature = f"ci/signed/datasets/{local.fingerprint}/{SIGNATURE}"
    assert client(endpoint, "s3").head_object(Bucket=bucket, Key=signature)["ContentLength"] > 0

    # the plugin of a CI run that trusts signed entries only, and may not generate
    pytester.path.joinpath("expected.json").write_text(json.dumps(local.records), "utf-8")
    pytester.makepyfile(
        test_signed=f"""
        import json
        from pathlib import Path

        import pytest

        @pytest.mark.synthdata({TEMPLATE!r}, rows={ROWS}, seed={SEED})
        def test_records_come_from_the_signed_shared_cache(synthdata):
            assert synthdata.fingerprint == {local.fingerprint!r}
            assert synthdata.records == json.loads(Path("expected.json").read_text("utf-8"))
        """
    )
    with monkeypatch.context() as patch:
        _isolate(patch, aws_env(endpoint))
        run = pytester.runpytest(
            f"--synthdata-shared-cache={signed}",
            f"--synthdata-signing-key={alias}",
            "--synthdata-require-signed",
            "--synthdata-mode=none",
            "--synthdata-cache-dir=reader-cache",
            "-p",
            "no:cacheprovider",
        )
    run.assert_outcomes(passed=1)
    assert shared_hits(run) == 1
    _assert_same_entry(LocalStore(pytester.path / "reader-cache"), local, reference)

    unsigned = f"s3://{bucket}/{out['dataset_prefix']}"
    done = _cli(
        endpoint,
        "cache",
        "pull",
        "--shared-cache",
        unsigned,
        "--all",
        "--require-signed",
        "--signing-key",
        alias,
        "--cache-dir",
        str(tmp_path / "refused"),
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "refused" in done.stdout + done.stderr
    assert not LocalStore(tmp_path / "refused").contains(local.fingerprint)


def _assert_same_entry(store: LocalStore, local: Dataset, reference_root: Path) -> None:
    """``store`` holds ``local``'s entry: the same records and the same record files, byte
    for byte, as the local cache stores for a local generation."""
    reference = LocalStore(reference_root)
    reference.put(local)
    fingerprint = local.fingerprint
    assert store.load(fingerprint).records == local.records
    expected = {
        path.name: path.read_bytes()
        for path in reference.path_for(fingerprint).iterdir()
        if path.name != MANIFEST
    }
    got = {
        path.name: path.read_bytes()
        for path in store.path_for(fingerprint).iterdir()
        if path.name in expected
    }
    assert expected and got == expected
    files = {item["path"]: item["sha256"] for item in store.manifest(fingerprint)["files"]}
    assert files == {
        item["path"]: item["sha256"] for item in reference.manifest(fingerprint)["files"]
    }


def _isolate(patch: pytest.MonkeyPatch, environment: dict[str, str]) -> None:
    """Exactly ``environment`` of the AWS and synthdata settings, none of this process's."""
    for name in [name for name in os.environ if name.startswith(("SYNTHDATA_", "AWS_"))]:
        patch.delenv(name)
    for name, value in environment.items():
        patch.setenv(name, value)


def _cli(endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``synthdata args...`` in a process of its own, as a CI job runs it: fake credentials
    and moto's endpoint (``SYNTHDATA_ENDPOINT_URL``), nothing else of AWS."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "SYNTHDATA_"))
    }
    env.update(aws_env(endpoint))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "synthdata_sdk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=CLI_S,
        check=False,
    )


# ---------------------------------------------------------------------------------------------
# What the destroy left


def _check_destroyed(endpoint: str, out: dict[str, Any]) -> None:
    s3, dynamodb, lam = (client(endpoint, name) for name in ("s3", "dynamodb", "lambda"))
    for bucket in (out["data_bucket_name"], out["templates_bucket_name"], out["log_bucket_name"]):
        with pytest.raises(ClientError) as gone:
            s3.head_bucket(Bucket=bucket)
        assert gone.value.response["Error"]["Code"] in ("404", "NoSuchBucket"), bucket
    with pytest.raises(dynamodb.exceptions.ResourceNotFoundException):
        dynamodb.describe_table(TableName=out["table_name"])
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=out["function_name"])
    kms = client(endpoint, "kms")
    for key in (out["data_key_arn"], out["logs_key_arn"], out["signing_key_arn"]):
        assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"
