"""The shared dataset cache of a CI setup: an S3 prefix read by many jobs, written by one.

``open_shared_cache`` turns the settings (``s3://bucket/prefix``, whether this job writes,
the signing key, whether signatures are required) into an ``S3Store`` the resolver uses as
its shared tier. Nothing here calls AWS: the first lookup does.
"""

from __future__ import annotations

from synthdata_sdk.cloud.clients import kms_client, s3_client
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.signing import KmsSigner, SignatureVerifier, SigningKey
from synthdata_sdk.errors import RequestError


def open_shared_cache(
    uri: str,
    *,
    write: bool = False,
    signing_key: str | None = None,
    require_signed: bool = False,
    endpoint: str | None = None,
    region_name: str | None = None,
) -> S3Store:
    """The shared cache at ``uri``.

    With ``signing_key`` (a KMS key id, ARN or alias) every manifest read is checked against
    the key's signature, and a writer (``write``) signs every manifest it puts;
    ``require_signed`` refuses entries without a signature and needs the key.
    """
    if require_signed and not signing_key:
        raise RequestError(
            "signed shared cache entries are required, but no signing key is configured "
            "(the KMS key whose signatures are trusted)"
        )
    s3 = s3_client(endpoint=endpoint, region_name=region_name)
    if not signing_key:
        return S3Store.from_uri(uri, s3)
    key = SigningKey(kms_client(endpoint=endpoint, region_name=region_name), signing_key)
    return S3Store.from_uri(
        uri,
        s3,
        signer=KmsSigner(key) if write else None,
        verifier=SignatureVerifier(key),
        require_signed=require_signed,
    )
