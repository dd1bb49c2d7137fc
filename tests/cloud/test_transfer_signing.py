"""Signed manifests through ``push`` and ``pull``: a push signs each manifest through the
shared store's signer, a pull checks each signature (``plan_pull``'s ``check_manifest``)
before any of the entry's files is fetched, from S3 or through presigned URLs, with the KMS
key or offline with its public half in a PEM file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS, SIGNATURE
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud.manifest_signature import PemKey, SignatureVerifier, public_key_pem
from synthdata_sdk.cloud.presign import presign
from synthdata_sdk.cloud.s3_source import S3Source
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.signing import KmsSigner, SigningKey
from synthdata_sdk.cloud.transfer import PULLED, PUSHED, REFUSED, Outcome, plan_pull, run_pull
from synthdata_sdk.cloud.url_file import UrlEntry, read_url_file, render_url_file
from synthdata_sdk.cloud.url_source import UrlSource
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import RequestError, UnsignedEntryWarning
from tests.cloud.conftest import BUCKET, PREFIX, REGION, signing_store
from tests.cloud.http_servers import DroppingProxy, moto_server
from tests.cloud.shared_helpers import body, create_signing_key, replace_object, tamper_records
from tests.cloud.transfer_helpers import counting_gets, folder_names, push, statuses


@pytest.fixture(scope="module")
def dataset(client: SynthDataClient) -> Dataset:
    return client.generate("customer", rows=30, seed=5)


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "cache")


@pytest.fixture
def pushed(tmp_path: Path, signed_writer: S3Store, dataset: Dataset) -> Dataset:
    """``dataset`` pushed signed into the shared cache from another job's local cache."""
    origin = LocalStore(tmp_path / "origin")
    origin.put(dataset)
    assert statuses(push(origin, signed_writer, [dataset.fingerprint])) == [PUSHED]
    return dataset


def checked_pull(store: S3Store, local: LocalStore, fingerprint: str) -> list[Outcome]:
    """Pull one entry from ``store`` with its signature checked, as ``cache pull`` does."""
    source = S3Source(store)
    plans = plan_pull(source, local, [fingerprint], check_manifest=store.check_signature)
    return list(run_pull(source, local, plans))


def refusal(s3: Any, store: S3Store, local: LocalStore, fingerprint: str) -> str:
    """Pull ``fingerprint`` from ``store``, expecting it refused having fetched only its
    manifest and signature and written nothing; the reason given."""
    with counting_gets(s3) as keys:
        outcomes = checked_pull(store, local, fingerprint)

    assert statuses(outcomes) == [REFUSED]
    fetched = [key.rsplit("/", 1)[-1] for key in keys]
    assert fetched == [MANIFEST, SIGNATURE]  # no data file
    assert folder_names(local) == []
    return outcomes[0].detail


# --------------------------------------------------------------------------------------------
# push signs, pull checks


def test_push_signs_each_manifest_with_the_key(
    s3: Any, kms: Any, signing_key: str, pushed: Dataset
) -> None:
    manifest = body(s3, pushed.fingerprint, MANIFEST)
    signature = body(s3, pushed.fingerprint, SIGNATURE)
    verifier = SignatureVerifier(SigningKey(kms, signing_key))

    verifier.verify(pushed.fingerprint, manifest, signature, "here")  # does not raise


def test_a_signed_entry_is_pulled_after_its_signature_verifies(
    s3: Any, signed_reader: S3Store, pushed: Dataset, local: LocalStore
) -> None:
    with counting_gets(s3) as keys:
        outcomes = checked_pull(signed_reader, local, pushed.fingerprint)

    assert statuses(outcomes) == [PULLED]
    assert keys[:2] == [
        f"{PREFIX}/datasets/{pushed.fingerprint}/{MANIFEST}",
        f"{PREFIX}/datasets/{pushed.fingerprint}/{SIGNATURE}",
    ]
    assert local.load(pushed.fingerprint).records == pushed.records


def test_a_tampered_part_with_its_sha256_recomputed_is_refused_before_any_data_is_fetched(
    s3: Any, signed_reader: S3Store, pushed: Dataset, local: LocalStore
) -> None:
    tamper_records(s3, pushed.fingerprint)  # the old signature is left in place

    reason = refusal(s3, signed_reader, local, pushed.fingerprint)

    assert reason.startswith(f"{SIGNATURE} in s3://{BUCKET}/{PREFIX}/datasets/")
    assert "is the signature of another manifest.json" in reason


def test_a_manifest_re_signed_with_another_key_is_refused(
    s3: Any, kms: Any, signed_reader: S3Store, pushed: Dataset, local: LocalStore
) -> None:
    forged = tamper_records(s3, pushed.fingerprint)
    other = KmsSigner(SigningKey(kms, create_signing_key(kms)))
    replace_object(s3, pushed.fingerprint, SIGNATURE, other.sign(forged))

    assert "not the trusted key" in refusal(s3, signed_reader, local, pushed.fingerprint)


def test_an_unsigned_entry_is_refused_when_signatures_are_required(
    s3: Any, s3_store: S3Store, signed_reader: S3Store, dataset: Dataset, local: LocalStore
) -> None:
    s3_store.put(dataset)  # a writer without the key

    reason = refusal(s3, signed_reader, local, dataset.fingerprint)

    assert "has no manifest.json.sig, and signed entries are required" in reason


def test_an_unsigned_entry_is_pulled_with_a_warning_when_signatures_are_not_required(
    s3: Any, kms: Any, signing_key: str, s3_store: S3Store, dataset: Dataset, local: LocalStore
) -> None:
    s3_store.put(dataset)
    checking = signing_store(s3, kms, signing_key, write=False, require_signed=False)

    with pytest.warns(UnsignedEntryWarning, match=f"dataset {dataset.fingerprint[:12]} in s3://"):
        outcomes = checked_pull(checking, local, dataset.fingerprint)

    assert statuses(outcomes) == [PULLED]
    assert local.load(dataset.fingerprint).records == dataset.records


# --------------------------------------------------------------------------------------------
# the public half in a PEM file: offline


def test_a_pem_file_of_the_key_checks_signatures_without_kms(
    s3: Any, kms: Any, signing_key: str, pushed: Dataset, local: LocalStore, tmp_path: Path
) -> None:
    pem = tmp_path / "key.pem"
    public = SigningKey(kms, signing_key).public
    pem.write_text(public_key_pem(public))
    offline = S3Store(s3, BUCKET, PREFIX, verifier=SignatureVerifier(PemKey(pem)))
    kms_calls: list[str] = []
    kms.meta.events.register("before-call.kms.*", lambda **kw: kms_calls.append("kms"))

    assert statuses(checked_pull(offline, local, pushed.fingerprint)) == [PULLED]
    assert kms_calls == []
    assert PemKey(pem).public.arn == public.arn  # the key is named: another one is refused by name
    assert signing_key.endswith(str(public.arn))  # moto's GetPublicKey gives the bare key id


def test_a_pem_file_without_the_key_arn_still_refuses_another_keys_signature(
    s3: Any, kms: Any, signing_key: str, pushed: Dataset, local: LocalStore, tmp_path: Path
) -> None:
    public = SigningKey(kms, signing_key).public
    bare = tmp_path / "bare.pem"  # as openssl would write it
    bare.write_bytes(public.key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    forged = tamper_records(s3, pushed.fingerprint)
    other = KmsSigner(SigningKey(kms, create_signing_key(kms)))
    replace_object(s3, pushed.fingerprint, SIGNATURE, other.sign(forged))
    offline = S3Store(s3, BUCKET, PREFIX, verifier=SignatureVerifier(PemKey(bare)))

    outcomes = checked_pull(offline, local, pushed.fingerprint)

    assert PemKey(bare).public.arn is None
    assert statuses(outcomes) == [REFUSED]
    assert "does not match manifest.json" in outcomes[0].detail


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"not a key\n", "holds no PEM public key"),
        (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            .public_key()
            .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
            "not the public key of an ECC_NIST_P256",
        ),
        (
            ec.generate_private_key(ec.SECP256K1())
            .public_key()
            .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
            "not the public key of an ECC_NIST_P256",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_public_key_is_refused(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "key.pem"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(RequestError, match=message):
        PemKey(path)


# --------------------------------------------------------------------------------------------
# presigned URLs


@pytest.fixture
def proxy(aws_session: boto3.Session) -> Iterator[DroppingProxy]:
    with moto_server() as endpoint, DroppingProxy(endpoint).running() as proxy:
        yield proxy


@pytest.fixture
def served(proxy: DroppingProxy, aws_session: boto3.Session, kms: Any, signing_key: str) -> S3Store:
    """The shared cache over HTTP (through the proxy), its manifests signed."""
    s3 = aws_session.client(
        "s3",
        endpoint_url=proxy.url,
        region_name=REGION,
        config=Config(signature_version="s3v4"),
    )
    s3.create_bucket(Bucket=BUCKET)
    key = SigningKey(kms, signing_key)
    return S3Store(s3, BUCKET, PREFIX, signer=KmsSigner(key))


def url_entries(store: S3Store, fingerprints: list[str], path: Path) -> dict[str, UrlEntry]:
    signed = list(presign(store, fingerprints, expires=600))
    entries = {outcome.fingerprint: entry for outcome, entry in signed if entry is not None}
    path.write_text(render_url_file(entries, expires_at="2030-01-01T00:00:00+00:00"))
    return read_url_file(path)


def url_pull(source: UrlSource, local: LocalStore, fingerprint: str) -> list[Outcome]:
    plans = plan_pull(source, local, [fingerprint], check_manifest=source.check_signature)
    return list(run_pull(source, local, plans))


def test_presign_gives_the_signature_and_a_pull_through_urls_checks_it_offline(
    served: S3Store,
    kms: Any,
    signing_key: str,
    dataset: Dataset,
    local: LocalStore,
    tmp_path: Path,
) -> None:
    served.put(dataset)
    entries = url_entries(served, [dataset.fingerprint], tmp_path / "urls.json")
    pem = tmp_path / "key.pem"
    pem.write_text(public_key_pem(SigningKey(kms, signing_key).public))
    source = UrlSource(
        entries, "urls.json", verifier=SignatureVerifier(PemKey(pem)), require_signed=True
    )

    signature = entries[dataset.fingerprint].signature
    assert signature is not None and f"/{SIGNATURE}?" in signature.url
    assert statuses(url_pull(source, local, dataset.fingerprint)) == [PULLED]
    assert local.load(dataset.fingerprint).records == dataset.records


def test_a_tampered_entry_is_refused_through_urls_before_its_data_is_fetched(
    served: S3Store,
    proxy: DroppingProxy,
    kms: Any,
    signing_key: str,
    dataset: Dataset,
    local: LocalStore,
    tmp_path: Path,
) -> None:
    served.put(dataset)
    tamper_records(served.objects.client, dataset.fingerprint)
    entries = url_entries(served, [dataset.fingerprint], tmp_path / "urls.json")
    verifier = SignatureVerifier(SigningKey(kms, signing_key))
    source = UrlSource(entries, "urls.json", verifier=verifier)
    proxy.seen.clear()

    outcomes = url_pull(source, local, dataset.fingerprint)

    assert statuses(outcomes) == [REFUSED]
    assert "manifest.json.sig in the URL file urls.json is the signature of another" in (
        outcomes[0].detail
    )
    assert [seen.path.rsplit("/", 1)[-1] for seen in proxy.seen] == [MANIFEST, SIGNATURE]
    assert not any(seen.path.endswith(RECORDS) for seen in proxy.seen)
    assert folder_names(local) == []


def test_an_unsigned_entry_through_urls_is_refused_when_required_else_warned(
    proxy: DroppingProxy,
    aws_session: boto3.Session,
    kms: Any,
    signing_key: str,
    dataset: Dataset,
    local: LocalStore,
    tmp_path: Path,
) -> None:
    s3 = aws_session.client("s3", endpoint_url=proxy.url, region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    unsigned = S3Store(s3, BUCKET, PREFIX)
    unsigned.put(dataset)
    entries = url_entries(unsigned, [dataset.fingerprint], tmp_path / "urls.json")
    verifier = SignatureVerifier(SigningKey(kms, signing_key))

    assert entries[dataset.fingerprint].signature is None
    required = UrlSource(entries, "urls.json", verifier=verifier, require_signed=True)
    assert statuses(url_pull(required, local, dataset.fingerprint)) == [REFUSED]
    assert folder_names(local) == []
    allowed = UrlSource(entries, "urls.json", verifier=verifier)
    with pytest.warns(UnsignedEntryWarning, match="in the URL file urls.json is not signed"):
        assert statuses(url_pull(allowed, local, dataset.fingerprint)) == [PULLED]
