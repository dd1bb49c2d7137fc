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

This module makes signatures and fetches the key's public half from KMS; checking them needs
no AWS library and lives in ``cloud/manifest_signature.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key

from synthdata_sdk.cloud.aws_errors import backend_error
from synthdata_sdk.cloud.manifest_signature import (
    ALGORITHMS,
    ManifestSigner,
    ManifestVerifier,
    PublicKey,
    SignatureVerifier,
    signed_message,
)
from synthdata_sdk.errors import RequestError

__all__ = [
    "KmsSigner",
    "ManifestSigner",
    "ManifestVerifier",
    "SignatureVerifier",
    "SigningKey",
    "signed_message",
]


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
        self._public: PublicKey | None = None

    def __repr__(self) -> str:
        return f"SigningKey({self.key_id!r})"

    @property
    def public(self) -> PublicKey:
        """The key's ARN, algorithm and public key (fetched once)."""
        with self._lock:
            if self._public is None:
                self._public = self._fetch()
            return self._public

    def _fetch(self) -> PublicKey:
        try:
            answer = self.kms.get_public_key(KeyId=self.key_id)
        except (BotoCoreError, ClientError) as error:
            raise backend_error(error, doing="KMS GetPublicKey", resource=self.key_id) from None
        offered = [str(name) for name in answer.get("SigningAlgorithms") or ()]
        algorithms = [name for name in ALGORITHMS if name in offered]
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
        return PublicKey(arn=arn, algorithm=algorithms[0], key=key)


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
