"""S3 bucket names, prefixes and ``s3://bucket/prefix`` URIs, checked without boto3.

The plugin checks ``--synthdata-shared-cache`` with these when it starts, so a bad value stops
the run before anything imports the AWS libraries. The rules are the core's
(``backend_config``, which checks the backends' ``bucket`` and ``prefix`` settings too).
"""

from __future__ import annotations

import re

from synthdata_sdk.backend_config import BUCKET_PATTERN
from synthdata_sdk.backend_config import clean_prefix as prefix_rule
from synthdata_sdk.errors import RequestError

_S3_URI = re.compile(r"s3://(?P<bucket>[^/]+)/?(?P<prefix>.*)", re.DOTALL)


def check_bucket(bucket: str) -> str:
    """``bucket`` if it is an S3 bucket name; RequestError otherwise."""
    if not isinstance(bucket, str) or not BUCKET_PATTERN.fullmatch(bucket):
        raise RequestError(
            f"{bucket!r} is not an S3 bucket name (expected 3 to 63 lowercase letters, "
            "digits, '.' or '-')"
        )
    return bucket


def clean_prefix(prefix: str) -> str:
    """``prefix`` without surrounding slashes; RequestError for empty, ``.`` or ``..`` parts."""
    if not isinstance(prefix, str):
        raise RequestError(f"S3 prefix {prefix!r} is not a string")
    try:
        return prefix_rule(prefix)
    except ValueError:
        raise RequestError(
            f"S3 prefix {prefix!r} is not a plain path (expected names separated by single "
            "'/', without '.' or '..', at most 512 characters)"
        ) from None


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``(bucket, prefix)`` of ``s3://bucket/prefix``; RequestError for anything else."""
    found = _S3_URI.fullmatch(uri) if isinstance(uri, str) else None
    if found is None:
        raise RequestError(f"{uri!r} is not an S3 URI (expected s3://bucket/prefix)")
    return check_bucket(found["bucket"]), clean_prefix(found["prefix"])
