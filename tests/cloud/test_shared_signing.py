"""Signed manifests against moto's KMS: what the signed_writer puts, what readers refuse."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS, SIGNATURE, part_name
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.cloud import s3_store as s3_store_module
from synthdata_sdk.cloud.s3_source import S3Source
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.shared import open_shared_cache
from synthdata_sdk.cloud.signing import KmsSigner, SignatureVerifier, SigningKey, signed_message
from synthdata_sdk.cloud.transfer import REFUSED, plan_pull
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import (
    CacheError,
    DatasetNotCachedError,
    EntrySignatureError,
    RequestError,
    UnsignedEntryWarning,
)
from tests.cloud.conftest import BUCKET, PREFIX, signing_store
from tests.cloud.shared_helpers import (
    body,
    create_signing_key,
    key_of,
    replace_object,
    signature_of,
    tamper_records,
)


@pytest.fixture(scope="module")
def prepared(client: SynthDataClient) -> PreparedRequest:
    return client.prepare("customer", rows=12, seed=4)


@pytest.fixture
def generated(client: SynthDataClient, prepared: PreparedRequest) -> Dataset:
    return client.generate_prepared(prepared)


# --------------------------------------------------------------------------------------------
# Writing and reading a signed entry


@pytest.mark.parametrize(
    ("spec", "algorithm"),
    [("ECC_NIST_P256", "ECDSA_SHA_256"), ("ECC_NIST_P384", "ECDSA_SHA_384")],
)
def test_the_signature_goes_before_the_manifest_and_a_reader_checks_it(
    s3: Any,
    bucket: str,
    kms: Any,
    generated: Dataset,
    prepared: PreparedRequest,
    spec: str,
    algorithm: str,
) -> None:
    key = create_signing_key(kms, spec)
    sent: list[str] = []
    s3.meta.events.register(
        "provide-client-params.s3.PutObject", lambda params, **_: sent.append(params["Key"])
    )
    fingerprint = prepared.fingerprint
    signing_store(s3, kms, key).put(generated)
    assert sent == [key_of(fingerprint, n) for n in (RECORDS, SIGNATURE, MANIFEST)]

    manifest = body(s3, fingerprint, MANIFEST)
    signature = signature_of(s3, fingerprint)
    assert signature["key_id"] == key
    assert signature["algorithm"] == algorithm
    assert signature["manifest_sha256"] == hashlib.sha256(manifest).hexdigest()
    # KMS agrees that it is the key's signature of the statement naming the manifest's digest
    verdict = kms.verify(
        KeyId=key,
        Message=signed_message(manifest),
        MessageType="RAW",
        Signature=base64.b64decode(signature["signature"]),
        SigningAlgorithm=algorithm,
    )
    assert verdict["SignatureValid"]

    signed_reader = signing_store(s3, kms, key, write=False, require_signed=True)
    assert signed_reader.load(fingerprint, prepared.request).records == generated.records


def test_a_fan_out_entry_is_signed_when_it_is_finished(
    signed_writer: S3Store,
    signed_reader: S3Store,
    generated: Dataset,
    prepared: PreparedRequest,
    s3: Any,
) -> None:
    records = list(generated.records)
    signed_writer.put_part(prepared.fingerprint, 1, [records[6:]])
    signed_writer.put_part(prepared.fingerprint, 0, [records[:6]])
    signed_writer.finish(prepared.request, parts=2)
    assert (
        signature_of(s3, prepared.fingerprint)["manifest_sha256"]
        == hashlib.sha256(body(s3, prepared.fingerprint, MANIFEST)).hexdigest()
    )
    assert signed_reader.load(prepared.fingerprint).records == generated.records
    assert [item["path"] for item in signed_reader.manifest(prepared.fingerprint)["files"]] == [
        part_name(0),
        part_name(1),
    ]


def test_the_public_key_is_fetched_once_then_signatures_are_checked_offline(
    s3: Any, bucket: str, kms: Any, signing_key: str, client: SynthDataClient
) -> None:
    signed_writer = signing_store(s3, kms, signing_key)
    datasets = [client.generate("order", rows=3, seed=seed) for seed in range(3)]
    for dataset in datasets:
        signed_writer.put(dataset)
    calls: list[str] = []
    kms.meta.events.register("before-call.kms", lambda model, **_: calls.append(model.name))
    signed_reader = signing_store(s3, kms, signing_key, write=False, require_signed=True)
    for dataset in datasets * 2:
        assert signed_reader.load(dataset.fingerprint).records == dataset.records
    assert calls == ["GetPublicKey"]


def test_removing_an_entry_removes_its_signature(
    signed_writer: S3Store, generated: Dataset, prepared: PreparedRequest, s3: Any
) -> None:
    signed_writer.put(generated)
    assert signed_writer.remove(prepared.fingerprint)
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/")
    assert listed.get("Contents", []) == []


# --------------------------------------------------------------------------------------------
# Tampering


def test_without_signatures_a_tampered_part_with_its_sha256_recomputed_is_served(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    """Why signatures: the sha256 in a manifest catches damage, not someone who rewrites both."""
    s3_store.put(generated)
    tamper_records(s3, prepared.fingerprint)
    served = s3_store.load(prepared.fingerprint, prepared.request)
    assert served.records != generated.records
    assert "tampered" in json.dumps(list(served.records))


@pytest.fixture
def forged(s3: Any, signed_writer: S3Store, generated: Dataset, prepared: PreparedRequest) -> bytes:
    """A signed entry whose records were changed, with the manifest's sha256 and size
    rewritten to match (the old signature left in place); the new manifest's bytes."""
    signed_writer.put(generated)
    return tamper_records(s3, prepared.fingerprint)


@pytest.fixture
def attackers_signer(kms: Any) -> KmsSigner:
    """Signatures with a key of the attacker's own."""
    return KmsSigner(SigningKey(kms, create_signing_key(kms)))


def test_a_tampered_part_under_the_old_signature_is_refused(
    forged: bytes, signed_reader: S3Store, prepared: PreparedRequest
) -> None:
    with pytest.raises(
        EntrySignatureError, match=re.escape("the signature of another manifest.json")
    ):
        signed_reader.load(prepared.fingerprint, prepared.request)


def test_a_tampered_part_in_a_manifest_signed_with_another_key_is_refused(
    s3: Any,
    forged: bytes,
    attackers_signer: KmsSigner,
    signed_reader: S3Store,
    prepared: PreparedRequest,
    signing_key: str,
) -> None:
    replace_object(s3, prepared.fingerprint, SIGNATURE, attackers_signer.sign(forged))
    with pytest.raises(EntrySignatureError, match=f"not the trusted key {signing_key}") as info:
        signed_reader.load(prepared.fingerprint, prepared.request)
    assert f"s3://{BUCKET}/{PREFIX}/datasets/{prepared.fingerprint}/" in str(info.value)


def test_a_forged_signature_file_naming_the_trusted_key_is_refused(
    s3: Any,
    forged: bytes,
    attackers_signer: KmsSigner,
    signed_reader: S3Store,
    prepared: PreparedRequest,
    signing_key: str,
) -> None:
    """The attacker signs with their own key and writes the trusted key's id in the file."""
    document = json.loads(attackers_signer.sign(forged))
    document["key_id"] = signing_key
    replace_object(s3, prepared.fingerprint, SIGNATURE, json.dumps(document).encode())
    with pytest.raises(EntrySignatureError, match=re.escape("does not match manifest.json")):
        signed_reader.load(prepared.fingerprint, prepared.request)


@pytest.mark.parametrize("digest", ["as signed", "rewritten to match"])
def test_the_signature_of_another_manifest_is_refused(
    s3: Any,
    signed_writer: S3Store,
    signed_reader: S3Store,
    client: SynthDataClient,
    generated: Dataset,
    prepared: PreparedRequest,
    digest: str,
) -> None:
    other = client.generate("order", rows=5, seed=9)
    signed_writer.put(generated)
    signed_writer.put(other)
    borrowed = signature_of(s3, other.fingerprint)
    if digest == "rewritten to match":
        manifest = body(s3, prepared.fingerprint, MANIFEST)
        borrowed["manifest_sha256"] = hashlib.sha256(manifest).hexdigest()
    replace_object(s3, prepared.fingerprint, SIGNATURE, json.dumps(borrowed).encode())
    reason = "another manifest.json" if digest == "as signed" else "does not match manifest.json"
    with pytest.raises(EntrySignatureError, match=re.escape(reason)):
        signed_reader.load(prepared.fingerprint)
    assert signed_reader.load(other.fingerprint).records == other.records


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"not json", "not JSON"),
        (b"[]", "not a JSON object"),
        (b'{"key_id": "k", "algorithm": "ECDSA_SHA_256"}', "no signature"),
        (
            b'{"key_id": "k", "algorithm": "ECDSA_SHA_256", "signature": "%%"}',
            "the signature is not base64",
        ),
        (b'{"key_id": "k", "algorithm": "RSASSA_PSS_SHA_256", "signature": "AA=="}', "unknown"),
        (b" " * 20_000, "20000 bytes"),
    ],
)
def test_a_malformed_signature_file_is_refused(
    s3: Any,
    signed_writer: S3Store,
    signed_reader: S3Store,
    generated: Dataset,
    prepared: PreparedRequest,
    data: bytes,
    problem: str,
) -> None:
    signed_writer.put(generated)
    replace_object(s3, prepared.fingerprint, SIGNATURE, data)
    with pytest.raises(EntrySignatureError, match=f"is not a signature file: {problem}"):
        signed_reader.load(prepared.fingerprint)


def test_a_pull_checks_signatures_through_its_manifest_hook(
    s3: Any,
    signed_writer: S3Store,
    signed_reader: S3Store,
    client: SynthDataClient,
    generated: Dataset,
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    other = client.generate("order", rows=5, seed=9)
    signed_writer.put(generated)
    signed_writer.put(other)
    tamper_records(s3, prepared.fingerprint)
    plans = plan_pull(
        S3Source(signed_reader),
        LocalStore(tmp_path / "cache"),
        [prepared.fingerprint, other.fingerprint],
        check_manifest=signed_reader.check_signature,
    )
    refused, kept = plans
    assert refused.outcome is not None and refused.outcome.status == REFUSED
    assert "another manifest.json" in refused.outcome.detail
    assert kept.outcome is None  # to be downloaded


# --------------------------------------------------------------------------------------------
# Unsigned entries


def test_an_unsigned_entry_is_refused_when_signatures_are_required(
    s3_store: S3Store, signed_reader: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    s3_store.put(generated)  # a signed_writer without a signing key
    with pytest.raises(EntrySignatureError, match=re.escape("has no manifest.json.sig")) as info:
        signed_reader.load(prepared.fingerprint)
    assert info.value.fingerprint == prepared.fingerprint
    assert "is not trusted" in str(info.value)


def test_an_unsigned_entry_is_served_with_a_warning_when_signatures_are_not_required(
    s3: Any,
    kms: Any,
    signing_key: str,
    s3_store: S3Store,
    generated: Dataset,
    prepared: PreparedRequest,
) -> None:
    s3_store.put(generated)
    lenient = signing_store(s3, kms, signing_key, write=False, require_signed=False)
    with pytest.warns(UnsignedEntryWarning, match="is not signed"):
        served = lenient.load(prepared.fingerprint)
    assert served.records == generated.records


def test_contains_and_a_writers_put_do_not_check_signatures(
    s3_store: S3Store, signed_reader: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    s3_store.put(generated)
    assert signed_reader.contains(prepared.fingerprint)
    assert signed_reader.put(generated)["fingerprint"] == prepared.fingerprint


# --------------------------------------------------------------------------------------------
# Two writers


def test_a_writer_that_finds_another_writers_signature_takes_its_manifest_once_it_is_there(
    s3: Any,
    kms: Any,
    signing_key: str,
    signed_writer: S3Store,
    signed_reader: S3Store,
    generated: Dataset,
    prepared: PreparedRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fingerprint = prepared.fingerprint
    signed_writer.put(generated)
    winners = body(s3, fingerprint, MANIFEST)
    s3.delete_object(Bucket=BUCKET, Key=key_of(fingerprint, MANIFEST))  # between its two puts
    waits: list[float] = []

    def other_writer_finishes(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            s3.put_object(Bucket=BUCKET, Key=key_of(fingerprint, MANIFEST), Body=winners)

    monkeypatch.setattr(s3_store_module.time, "sleep", other_writer_finishes)
    second = signing_store(s3, kms, signing_key)
    assert second.put(generated) == json.loads(winners)  # its own manifest was not put
    assert waits[:2] == [0.0, 0.1]
    assert body(s3, fingerprint, MANIFEST) == winners
    assert signed_reader.load(fingerprint).records == generated.records


def test_a_signature_left_without_its_manifest_blocks_the_entry_with_a_clear_error(
    s3: Any,
    signed_writer: S3Store,
    generated: Dataset,
    prepared: PreparedRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fingerprint = prepared.fingerprint
    signed_writer.put(generated)
    s3.delete_object(
        Bucket=BUCKET, Key=key_of(fingerprint, MANIFEST)
    )  # a signed_writer that stopped
    s3.delete_object(Bucket=BUCKET, Key=key_of(fingerprint, RECORDS))
    monkeypatch.setattr(s3_store_module.time, "sleep", lambda seconds: None)
    with pytest.raises(CacheError, match=re.escape("without manifest.json")) as info:
        signed_writer.put(generated)
    assert "remove the entry to write it again" in str(info.value)
    with pytest.raises(DatasetNotCachedError):
        signed_writer.load(fingerprint)
    assert signed_writer.remove(fingerprint)
    signed_writer.put(generated)
    assert signed_writer.load(fingerprint).records == generated.records


# --------------------------------------------------------------------------------------------
# Configuration


def test_a_key_that_cannot_sign_is_a_clear_error(
    s3: Any, bucket: str, kms: Any, kms_key: str, generated: Dataset
) -> None:
    store = signing_store(s3, kms, kms_key)  # a symmetric encryption key
    with pytest.raises(RequestError, match="cannot sign manifests: it needs key usage SIGN_VERIFY"):
        store.put(generated)


def test_signatures_required_need_a_key(s3: Any, bucket: str) -> None:
    with pytest.raises(RequestError, match="require_signed needs a verifier"):
        S3Store(s3, bucket, PREFIX, require_signed=True)
    with pytest.raises(RequestError, match="no signing key is configured"):
        open_shared_cache(f"s3://{bucket}/{PREFIX}", require_signed=True)


def test_open_shared_cache_signs_only_when_it_writes(bucket: str, signing_key: str) -> None:
    reading = open_shared_cache(f"s3://{bucket}/{PREFIX}", signing_key=signing_key)
    writing = open_shared_cache(f"s3://{bucket}/{PREFIX}", signing_key=signing_key, write=True)
    assert reading.signer is None
    assert isinstance(reading.verifier, SignatureVerifier)
    assert not reading.require_signed
    assert isinstance(writing.signer, KmsSigner)
    assert (reading.bucket, reading.prefix) == (BUCKET, PREFIX)
