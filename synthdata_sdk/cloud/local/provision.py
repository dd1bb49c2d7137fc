"""What the local stack creates at start, through its own endpoint, as infra/ does in AWS:
the KMS keys and their aliases, the dataset bucket (versioned, SSE-KMS with the key by
default) and the generation history table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from synthdata_sdk.cloud.aws_errors import backend_error
from synthdata_sdk.cloud.history import create_history_table
from synthdata_sdk.cloud.s3_store import S3Store


@dataclass(frozen=True)
class Provisioned:
    """The ARNs of the keys made."""

    kms_key_id: str
    signing_key_id: str


def provision(
    session: Any,
    endpoint: str,
    *,
    bucket: str,
    prefix: str,
    table: str,
    kms_alias: str,
    signing_alias: str,
) -> Provisioned:
    """Create the keys, the bucket and the table at ``endpoint`` with ``session``'s clients."""
    config = Config(s3={"addressing_style": "path"}, retries={"mode": "standard"})

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=endpoint, config=config)

    s3, kms = client("s3"), client("kms")
    S3Store(s3, bucket, prefix)  # refuses a bad prefix before anything is made
    doing = "KMS CreateKey"
    try:
        kms_key = _key(
            kms,
            kms_alias,
            "synthdata datasets (SSE-KMS)",
            KeySpec="SYMMETRIC_DEFAULT",
            KeyUsage="ENCRYPT_DECRYPT",
        )
        signing_key = _key(
            kms,
            signing_alias,
            "synthdata manifest signatures",
            KeySpec="ECC_NIST_P256",
            KeyUsage="SIGN_VERIFY",
        )
        doing = "S3 CreateBucket"
        location = session.region_name
        if location == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": location}
            )
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        rule = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key}
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": rule, "BucketKeyEnabled": True}]
            },
        )
    except (BotoCoreError, ClientError) as error:
        raise backend_error(error, doing=doing, resource=bucket) from None
    create_history_table(client("dynamodb"), table)
    return Provisioned(kms_key, signing_key)


def _key(kms: Any, alias: str, description: str, **spec: str) -> str:
    """A new key named ``alias``; its ARN."""
    metadata = kms.create_key(Description=description, **spec)["KeyMetadata"]
    kms.create_alias(AliasName=alias, TargetKeyId=metadata["KeyId"])
    return str(metadata["Arn"])
