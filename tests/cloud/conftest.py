"""Fixtures for the cloud backend: moto in-process, fake credentials, no network.

Every test here runs inside ``mock_aws`` with credentials that are not real and a config
folder that does not exist, so no real AWS account, profile or endpoint is ever touched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# powertools reads this when the action functions' modules are imported, before any fixture
os.environ["POWERTOOLS_TRACE_DISABLED"] = "1"

pytest.importorskip("moto", reason="needs the [test] extra (moto)")

import boto3
from botocore.config import Config
from botocore.retries.standard import ExponentialBackoff
from moto import mock_aws

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.history import GenerationHistory, create_history_table
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.signing import KmsSigner, SignatureVerifier, SigningKey
from tests.cloud.cloud_helpers import serialize_moto_calls

REGION = "us-east-1"
BUCKET = "synthdata-test"
PREFIX = "team/ci"
TABLE = "synthdata-history"
#: the key the store names in its puts; moto does not look it up (creating one is slow), the
#: test of SSE-KMS creates a real one
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000"
#: standard retries, as the SDK configures them; tests make the waits between them zero
RETRIES = Config(retries={"mode": "standard", "max_attempts": 3})


@pytest.fixture(scope="session")
def aws_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fake credentials and region and no config files, for the whole session, then restored."""
    folder = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN"):
            patch.delenv(name, raising=False)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_SESSION_TOKEN", "testing")
        patch.setenv("AWS_DEFAULT_REGION", REGION)
        patch.setenv("AWS_CONFIG_FILE", str(folder / "no-aws-config"))
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder / "no-aws-credentials"))
        yield


@pytest.fixture(autouse=True)
def aws(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto behind every client, with empty services for each test, each call handled whole
    before the next one starts (see ``serialize_moto_calls``)."""
    serialize_moto_calls(monkeypatch)
    with mock_aws():
        yield


@pytest.fixture(scope="session")
def aws_session(aws_env: None) -> boto3.Session:
    # One session for all tests: building a client loads its service model, which is slow.
    return boto3.Session(region_name=REGION)


@pytest.fixture
def no_retry_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries happen as configured, without the back-off sleeps between them."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)


@pytest.fixture
def s3(aws_session: boto3.Session) -> Any:
    return aws_session.client("s3", config=RETRIES)


@pytest.fixture
def dynamodb(aws_session: boto3.Session) -> Any:
    return aws_session.client("dynamodb", config=RETRIES)


@pytest.fixture
def kms_key(aws_session: boto3.Session) -> str:
    kms = aws_session.client("kms")
    return str(kms.create_key(Description="synthdata test key")["KeyMetadata"]["Arn"])


@pytest.fixture
def kms(aws_session: boto3.Session) -> Any:
    return aws_session.client("kms", config=RETRIES)


@pytest.fixture
def signing_key(kms: Any) -> str:
    """The ARN of a new ECC key that signs shared cache manifests."""
    created = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256")
    return str(created["KeyMetadata"]["Arn"])


@pytest.fixture
def signed_writer(s3: Any, bucket: str, kms: Any, signing_key: str) -> S3Store:
    """The shared store as the job that fills it: every manifest signed with ``signing_key``."""
    return signing_store(s3, kms, signing_key)


@pytest.fixture
def signed_reader(s3: Any, bucket: str, kms: Any, signing_key: str) -> S3Store:
    """The shared store as the jobs that read it: ``signing_key``'s signatures required."""
    return signing_store(s3, kms, signing_key, write=False, require_signed=True)


def signing_store(
    s3: Any, kms: Any, key_id: str, *, write: bool = True, require_signed: bool = False
) -> S3Store:
    """The shared store under the test prefix, signing (``write``) and checking with ``key_id``."""
    key = SigningKey(kms, key_id)
    return S3Store(
        s3,
        BUCKET,
        PREFIX,
        signer=KmsSigner(key) if write else None,
        verifier=SignatureVerifier(key),
        require_signed=require_signed,
    )


@pytest.fixture
def bucket(s3: Any) -> str:
    s3.create_bucket(Bucket=BUCKET)
    return BUCKET


@pytest.fixture
def s3_store(s3: Any, bucket: str) -> S3Store:
    return S3Store(s3, bucket, PREFIX, kms_key_id=KEY_ARN)


@pytest.fixture
def history(dynamodb: Any) -> GenerationHistory:
    create_history_table(dynamodb, TABLE)
    return GenerationHistory(dynamodb, TABLE)


@pytest.fixture(scope="session")
def client() -> SynthDataClient:
    return SynthDataClient()
