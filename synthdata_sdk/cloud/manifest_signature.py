"""Checking a manifest's signature offline, with ``cryptography`` alone (no AWS library).

The format and what is signed are described in ``cloud/signing.py``, which makes signatures
with KMS. This module holds what a reader needs once it has the signing key's public half:
fetched from KMS (``signing.SigningKey``) or read from a PEM file (``PemKey``, written by
``synthdata cache public-key``), so a runner without AWS credentials can check signatures
too. ``check_signed`` is the one rule every reader applies: a signature must verify, and an
entry without one is refused when signed entries are required, else served with a warning.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from synthdata_sdk.cache.entry_format import MANIFEST, MAX_SIGNATURE_BYTES, SIGNATURE
from synthdata_sdk.errors import EntrySignatureError, RequestError, UnsignedEntryWarning

#: the ECDSA algorithms KMS offers, strongest hash last (ECC_NIST_P256, P384, P521 keys)
ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "ECDSA_SHA_256": hashes.SHA256,
    "ECDSA_SHA_384": hashes.SHA384,
    "ECDSA_SHA_512": hashes.SHA512,
}
#: the one algorithm KMS signs with for each curve
_CURVE_ALGORITHMS = {
    "secp256r1": "ECDSA_SHA_256",
    "secp384r1": "ECDSA_SHA_384",
    "secp521r1": "ECDSA_SHA_512",
}
#: a public key file is a few hundred bytes too
_KEY_FILE_LIMIT = 64 * 1024
_STATEMENT = b"synthdata manifest sha256 "
#: the line of a public key file naming the KMS key it is the public half of
_KEY_LINE = re.compile(r"^KMS key: (\S+)$", re.MULTILINE)


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
class PublicKey:
    """A signing key's public half: ``arn`` the KMS key's ARN (None when unknown: any key id
    a signature file names is then accepted, the signature still has to verify)."""

    arn: str | None
    algorithm: str
    key: ec.EllipticCurvePublicKey


class TrustedKey(Protocol):
    """The key whose signatures count: ``key_id`` as configured (for messages), ``public``."""

    @property
    def key_id(self) -> str: ...

    @property
    def public(self) -> PublicKey: ...


class SignatureVerifier:
    """Checks signature files offline against one trusted key's public half.

    Only the key configured here is trusted: the key id a signature file names is compared
    with it, never used to fetch another key.
    """

    def __init__(self, key: TrustedKey) -> None:
        self.key = key

    def verify(self, fingerprint: str, manifest: bytes, signature: bytes, where: str) -> None:
        """Return if ``signature`` is the trusted key's signature of ``manifest``; otherwise
        raise EntrySignatureError naming ``where`` (the entry's URI)."""
        trusted = self.key.public
        document = _read_signature(fingerprint, signature, where)
        named = str(document["key_id"])
        if trusted.arn is not None and _bare_key_id(named) != _bare_key_id(trusted.arn):
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
                ec.ECDSA(ALGORITHMS[algorithm]()),
            )
        except InvalidSignature:
            raise EntrySignatureError(
                fingerprint,
                f"{SIGNATURE} in {where} does not match {MANIFEST}: the manifest was changed "
                "after it was signed, or signed by someone else",
            ) from None


def check_signed(
    verifier: ManifestVerifier,
    fingerprint: str,
    manifest: bytes,
    signature: bytes | None,
    where: str,
    *,
    require_signed: bool,
) -> None:
    """Return if ``manifest`` (its exact bytes) may be served with ``signature`` (the bytes of
    its signature file, None if the entry has none); EntrySignatureError otherwise.

    An entry without a signature is refused when ``require_signed``, and otherwise allowed
    with an UnsignedEntryWarning.
    """
    if signature is not None:
        verifier.verify(fingerprint, manifest, signature, where)
        return
    if require_signed:
        raise EntrySignatureError(
            fingerprint,
            f"{where} has no {SIGNATURE}, and signed entries are required; the job that "
            "writes the shared cache must sign (a signing key configured)",
        )
    warnings.warn(
        UnsignedEntryWarning(
            f"dataset {fingerprint[:12]} in {where} is not signed ({SIGNATURE} is "
            "missing); it was served because signed entries are not required"
        ),
        stacklevel=5,  # the caller of S3Store.load, as before this rule moved here
    )


# --------------------------------------------------------------------------------------------
# Public keys in PEM files


def algorithm_of(key: ec.EllipticCurvePublicKey) -> str | None:
    """The algorithm KMS signs with for ``key``'s curve; None for a curve KMS does not sign with."""
    return _CURVE_ALGORITHMS.get(key.curve.name)


def public_key_pem(public: PublicKey) -> str:
    """The text of a public key file: a line naming the KMS key, then the key in PEM."""
    pem = public.key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    header = f"KMS key: {public.arn}\n" if public.arn else ""
    return f"synthdata manifest signing key ({public.algorithm})\n{header}{pem}"


class PemKey:
    """A trusted public key read from a PEM file (``synthdata cache public-key`` writes one;
    any SubjectPublicKeyInfo PEM of an ECC_NIST_P256, P384 or P521 key works).

    A ``KMS key: <arn>`` line before the key names the key, so that a signature made with
    another key is refused by name; without it, only the signature check tells them apart.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.key_id = str(path)
        text = _read_key_file(self.path)
        try:
            key = serialization.load_pem_public_key(text.encode("ascii", "replace"))
        except (ValueError, UnsupportedAlgorithm) as error:
            raise RequestError(f"{path} holds no PEM public key ({error})") from None
        algorithm = algorithm_of(key) if isinstance(key, ec.EllipticCurvePublicKey) else None
        if algorithm is None or not isinstance(key, ec.EllipticCurvePublicKey):
            raise RequestError(
                f"{path} is not the public key of an ECC_NIST_P256, P384 or P521 key (the key "
                "specs KMS signs manifests with)"
            )
        named = _KEY_LINE.search(text.split("-----BEGIN", 1)[0])
        self._public = PublicKey(named[1] if named else None, algorithm, key)

    def __repr__(self) -> str:
        return f"PemKey({self.key_id!r})"

    @property
    def public(self) -> PublicKey:
        """The key, its algorithm and (when the file names it) its KMS ARN."""
        return self._public


def _read_key_file(path: Path) -> str:
    """A key file's text; RequestError unless a regular file of at most _KEY_FILE_LIMIT bytes."""
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode):
            raise RequestError(f"{path} is not a regular file (expected a PEM public key)")
        if found.st_size > _KEY_FILE_LIMIT:
            raise RequestError(f"{path} has {found.st_size:,} bytes: not a PEM public key")
        return path.read_bytes()[:_KEY_FILE_LIMIT].decode("ascii", "replace")
    except FileNotFoundError:
        raise RequestError(
            f"{path} does not exist (write it with synthdata cache public-key)"
        ) from None
    except OSError as error:
        raise RequestError(f"{path} cannot be read: {error.strerror or error}") from None


# --------------------------------------------------------------------------------------------


def _read_signature(fingerprint: str, data: bytes, where: str) -> dict[str, Any]:
    """The fields of a signature file, the signature decoded; EntrySignatureError if malformed."""

    def refuse(problem: str) -> EntrySignatureError:
        return EntrySignatureError(
            fingerprint, f"{SIGNATURE} in {where} is not a signature file: {problem}"
        )

    if len(data) > MAX_SIGNATURE_BYTES:
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
    if document["algorithm"] not in ALGORITHMS:
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
