"""The shared dataset cache of a CI setup: an S3 prefix read by many jobs, written by one.

``open_shared_cache`` turns the settings (``s3://bucket/prefix``, whether this job writes,
the signing key or its public half, whether signatures are required) into an ``S3Store``:
the plugin's shared tier, and what ``synthdata cache pull`` and ``push`` move entries with.
Nothing here calls AWS: the first lookup does.
"""

from __future__ import annotations

import os

from synthdata_sdk.cloud.clients import kms_client, s3_client
from synthdata_sdk.cloud.manifest_signature import PemKey, TrustedKey
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.signing import KmsSigner, SignatureVerifier, SigningKey
from synthdata_sdk.errors import RequestError


def open_shared_cache(
    uri: str,
    *,
    write: bool = False,
    signing_key: str | None = None,
    public_key: str | os.PathLike[str] | None = None,
    require_signed: bool = False,
    endpoint: str | None = None,
    region_name: str | None = None,
    connections: int = 10,
) -> S3Store:
    """The shared cache at ``uri``, its S3 client sized for ``connections`` threads.

    With ``signing_key`` (a KMS key id, ARN or alias) every manifest read is checked against
    the key's signature, and a writer (``write``) signs every manifest it puts. With
    ``public_key`` (a PEM file of that key's public half) signatures are checked against it
    instead, with no call to KMS. ``require_signed`` refuses entries without a signature and
    needs one of the two.
    """
    if require_signed and not (signing_key or public_key):
        raise RequestError(
            "signed shared cache entries are required, but no signing key is configured "
            "(the KMS key whose signatures are trusted)"
        )
    s3 = s3_client(endpoint=endpoint, region_name=region_name, connections=connections)
    # the public half at hand (a PEM file) is trusted without a kms:GetPublicKey call
    trusted: TrustedKey | None = PemKey(public_key) if public_key else None
    signer = None
    if signing_key:
        key = SigningKey(kms_client(endpoint=endpoint, region_name=region_name), signing_key)
        signer = KmsSigner(key) if write else None
        trusted = trusted or key
    if trusted is None:
        return S3Store.from_uri(uri, s3)
    return S3Store.from_uri(
        uri,
        s3,
        signer=signer,
        verifier=SignatureVerifier(trusted),
        require_signed=require_signed,
    )
