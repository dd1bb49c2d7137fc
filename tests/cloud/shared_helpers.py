"""Helpers for the shared cache tests: signing keys in moto's KMS, and an attacker's edits."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS, SIGNATURE, manifest_bytes
from tests.cloud.conftest import BUCKET, PREFIX


def create_signing_key(kms: Any, spec: str = "ECC_NIST_P256") -> str:
    """A new asymmetric signing key in moto's KMS; its ARN."""
    metadata = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec=spec)["KeyMetadata"]
    return str(metadata["Arn"])


def key_of(fingerprint: str, name: str) -> str:
    return f"{PREFIX}/datasets/{fingerprint}/{name}"


def body(s3: Any, fingerprint: str, name: str) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=key_of(fingerprint, name))["Body"].read()  # type: ignore[no-any-return]


def replace_object(s3: Any, fingerprint: str, name: str, data: bytes) -> None:
    """What someone who may delete and put in the bucket can do to one object."""
    s3.delete_object(Bucket=BUCKET, Key=key_of(fingerprint, name))
    s3.put_object(Bucket=BUCKET, Key=key_of(fingerprint, name), Body=data)


def tamper_records(s3: Any, fingerprint: str) -> bytes:
    """Change one value in ``records.json`` and rewrite the manifest's sha256 and size to match,
    as an attacker without the signing key can; returns the new manifest's bytes."""
    records = json.loads(body(s3, fingerprint, RECORDS))
    first = records[0]
    name = next(key for key, value in first.items() if isinstance(value, str))
    first[name] = "tampered"
    data = json.dumps(records, separators=(",", ":")).encode("utf-8")
    manifest = json.loads(body(s3, fingerprint, MANIFEST))
    for item in manifest["files"]:
        if item["path"] == RECORDS:
            item["sha256"] = hashlib.sha256(data).hexdigest()
            item["size"] = len(data)
    forged = manifest_bytes(manifest)
    replace_object(s3, fingerprint, RECORDS, data)
    replace_object(s3, fingerprint, MANIFEST, forged)
    return forged


def signature_of(s3: Any, fingerprint: str) -> dict[str, Any]:
    return json.loads(body(s3, fingerprint, SIGNATURE))  # type: ignore[no-any-return]
