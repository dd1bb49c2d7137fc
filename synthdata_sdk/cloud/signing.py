"""Signed manifests: the writer of a shared cache signs, readers check before serving.

A sha256 in a manifest catches damage, not tampering: whoever can write to the bucket can
replace a part and its digest. So the one CI job that fills a shared cache signs each
manifest with a KMS asymmetric key (``kms:Sign``), and every reader checks the signature with
the key's public half (``kms:GetPublicKey`` once, then offline with ``cryptography``) before
it serves anything the manifest lists. A verified manifest vouches for every part through
their sha256.

What is signed: KMS signs at most 4096 bytes of a raw message, and a manifest can be larger,
so the message is a short statement naming the sha256 of the manifest's exact bytes,
``synthdata manifest sha256 <hex digest>``. Changing one byte of the manifest changes the
statement; the prefix keeps a signature of a manifest from meaning anything else.

The signature lives next to the manifest as ``manifest.json.sig``: a JSON object with the
key's id (``key_id``), the algorithm (``algorithm``, ECDSA only), the base64 signature
(``signature``) and the digest it covers (``manifest_sha256``, which lets a reader tell a
signature of another manifest from a forged one).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key

from synthdata_sdk.cache.entry_format import MANIFEST, SIGNATURE
from synthdata_sdk.cloud.aws_errors import backend_error
from synthdata_sdk.errors import EntrySignatureError, RequestError

#: the ECDSA algorithms KMS offers, strongest hash last (ECC_NIST_P256, P384, P521 keys)
_ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "ECDSA_SHA_256": hashes.SHA256,
    "ECDSA_SHA_384": hashes.SHA384,
    "ECDSA_SHA_512": hashes.SHA512,
}
#: a signature file is a few hundred bytes; anything much larger is not one
_SIGNATURE_LIMIT = 16 * 1024
_STATEMENT = b"synthdata manifest sha256 "


class ManifestSigner(Protocol):
    """Signs a manifest's exact bytes; returns the bytes of its signature file."""

    def sign(self, manifest: bytes) -> bytes: ...


class ManifestVerifier(Protocol):
    """Checks a signature file against a manifest's exact bytes before the entry is served."""

    def verify(self, fingerprint: str, manifest: bytes, signature: bytes, where: str) -> None:
        """Return if ``signature`` is the trusted key's signature of ``manifest``; otherwise
        raise EntrySignatureError naming ``where`` (the entry's URI)."""


def signed_message(manifest: bytes) -> bytes:
    """The message signed for a manifest: a statement naming the sha256 of its bytes."""
    return _STATEMENT + hashlib.sha256(manifest).hexdigest().encode("ascii")


@dataclass(frozen=True)
class _PublicKey:
    arn: str
    algorithm: str
    key: ec.EllipticCurvePublicKey


class SigningKey:
    """A KMS asymmetric key (id, ARN or alias) that signs manifests, and its public half.

    The public key, the key's ARN and its ECDSA algorithm are fetched with one
    ``kms:GetPublicKey`` call, the first time they are needed, then kept: checking signatures
    makes no more calls.
    """

    def __init__(self, kms: Any, key_id: str) -> None:
        if not isinstance(key_id, str) or not key_id.strip():
            raise RequestError(f"{key_id!r} is not a KMS key id, ARN or alias")
        self.kms = kms
        self.key_id = key_id.strip()
        self._lock = threading.Lock()
        self._public: _PublicKey | None = None

    def __repr__(self) -> str:
        return f"SigningKey({self.key_id!r})"

    @property
    def public(self) -> _PublicKey:
        """The key's ARN, algorithm and public key (fetched once)."""
        with self._lock:
            if self._public is None:
                self._public = self._fetch()
            return self._public

    def _fetch(self) -> _PublicKey:
        try:
            answer = self.kms.get_public_key(KeyId=self.key_id)
        except (BotoCoreError, ClientError) as error:
            raise backend_error(error, doing="KMS GetPublicKey", resource=self.key_id) from None
        offered = [str(name) for name in answer.get("SigningAlgorithms") or ()]
        algorithms = [name for name in _ALGORITHMS if name in offered]
        if answer.get("KeyUsage") != "SIGN_VERIFY" or not algorithms:
            raise RequestError(
                f"KMS key {self.key_id} cannot sign manifests: it needs key usage SIGN_VERIFY "
                "and an elliptic curve key spec (ECC_NIST_P256, ECC_NIST_P384 or "
                f"ECC_NIST_P521); it has key usage {answer.get('KeyUsage') or 'unknown'} and "
                f"{', '.join(offered) or 'no signing algorithm'}"
            )
        try:
            key = load_der_public_key(bytes(answer["PublicKey"]))
        except (KeyError, TypeError, ValueError, UnsupportedAlgorithm) as error:
            raise RequestError(
                f"KMS key {self.key_id} gave no usable public key: {error}"
            ) from None
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise RequestError(f"KMS key {self.key_id} is not an elliptic curve key")
        arn = str(answer.get("KeyId") or self.key_id)
        return _PublicKey(arn=arn, algorithm=algorithms[0], key=key)


class KmsSigner:
    """Signs manifests with ``kms:Sign`` (the writer of a shared cache needs that permission)."""

    def __init__(self, key: SigningKey) -> None:
        self.key = key

    def sign(self, manifest: bytes) -> bytes:
        """The bytes of ``manifest.json.sig`` for these manifest bytes."""
        algorithm = self.key.public.algorithm
        try:
            answer = self.key.kms.sign(
                KeyId=self.key.key_id,
                Message=signed_message(manifest),
                MessageType="RAW",
                SigningAlgorithm=algorithm,
            )
        except (BotoCoreError, ClientError) as error:
            raise backend_error(error, doing="KMS Sign", resource=self.key.key_id) from None
        document = {
            "algorithm": algorithm,
            "key_id": str(answer.get("KeyId") or self.key.public.arn),
            "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
            "signature": base64.b64encode(bytes(answer["Signature"])).decode("ascii"),
        }
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("ascii")


class SignatureVerifier:
    """Checks signature files offline against one trusted key's public half.

    Only the key configured here is trusted: the key id a signature file names is compared
    with it, never used to fetch another key.
    """

    def __init__(self, key: SigningKey) -> None:
        self.key = key

    def verify(self, fingerprint: str, manifest: bytes, signature: bytes, where: str) -> None:
        """Return if ``signature`` is the trusted key's signature of ``manifest``; otherwise
        raise EntrySignatureError naming ``where`` (the entry's URI)."""
        trusted = self.key.public
        document = _read_signature(fingerprint, signature, where)
        named = str(document["key_id"])
        if _bare_key_id(named) != _bare_key_id(trusted.arn):
            raise EntrySignatureError(
                fingerprint,
                f"{SIGNATURE} in {where} is signed with KMS key {named}, not the trusted key "
                f"{self.key.key_id}",
            )
        digest = hashlib.sha256(manifest).hexdigest()
        if document.get("manifest_sha256", digest) != digest:
            raise EntrySignatureError(
                fingerprint,
                f"{SIGNATURE} in {where} is the signature of another {MANIFEST} (its sha256 "
                f"is {document['manifest_sha256']}, this one's is {digest})",
            )
        algorithm = str(document["algorithm"])
        if algorithm != trusted.algorithm:
            raise EntrySignatureError(
                fingerprint,
                f"{SIGNATURE} in {where} uses {algorithm}, not the trusted key's "
                f"{trusted.algorithm}",
            )
        try:
            trusted.key.verify(
                document["signature"],
                signed_message(manifest),
                ec.ECDSA(_ALGORITHMS[algorithm]()),
            )
        except InvalidSignature:
            raise EntrySignatureError(
                fingerprint,
                f"{SIGNATURE} in {where} does not match {MANIFEST}: the manifest was changed "
                "after it was signed, or signed by someone else",
            ) from None


def _read_signature(fingerprint: str, data: bytes, where: str) -> dict[str, Any]:
    """The fields of a signature file, the signature decoded; EntrySignatureError if malformed."""

    def refuse(problem: str) -> EntrySignatureError:
        return EntrySignatureError(
            fingerprint, f"{SIGNATURE} in {where} is not a signature file: {problem}"
        )

    if len(data) > _SIGNATURE_LIMIT:
        raise refuse(f"{len(data)} bytes")
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise refuse(f"not JSON ({error})") from None
    if not isinstance(document, Mapping):
        raise refuse("not a JSON object")
    for field in ("key_id", "algorithm", "signature"):
        if not isinstance(document.get(field), str) or not document[field]:
            raise refuse(f"no {field}")
    if document["algorithm"] not in _ALGORITHMS:
        raise refuse(f"unknown algorithm {document['algorithm']!r}")
    if not isinstance(document.get("manifest_sha256", ""), str):
        raise refuse("manifest_sha256 is not a string")
    try:
        signature = base64.b64decode(document["signature"], validate=True)
    except (binascii.Error, ValueError):
        raise refuse("the signature is not base64") from None
    return {**document, "signature": signature}


def _bare_key_id(key: str) -> str:
    """The key id of a key ARN (``arn:aws:kms:...:key/<id>``), or the id itself."""
    return key.rsplit("/", 1)[-1] if key.startswith("arn:") else key
