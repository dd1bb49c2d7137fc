"""The cloud backend (the ``aws`` extra): the S3 dataset store, session pointers, the
generation history in DynamoDB, publishing a dataset to them, the shared CI cache with its
signed manifests, and the action functions (one Lambda handler,
``synthdata_sdk.cloud.handler.lambda_handler``, for a Bedrock agent, an AgentCore gateway and
the SDK).

The core never imports this package; this package imports boto3 only in the modules that
call AWS, so importing it stays cheap. Names load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from synthdata_sdk._lazy import lazy_attributes

if TYPE_CHECKING:
    from synthdata_sdk.cloud.history import GenerationHistory, create_history_table
    from synthdata_sdk.cloud.publish import publish
    from synthdata_sdk.cloud.s3_store import S3Store
    from synthdata_sdk.cloud.shared import open_shared_cache
    from synthdata_sdk.cloud.signing import KmsSigner, SignatureVerifier, SigningKey

_LAZY = {
    "GenerationHistory": "synthdata_sdk.cloud.history",
    "create_history_table": "synthdata_sdk.cloud.history",
    "publish": "synthdata_sdk.cloud.publish",
    "S3Store": "synthdata_sdk.cloud.s3_store",
    "open_shared_cache": "synthdata_sdk.cloud.shared",
    "KmsSigner": "synthdata_sdk.cloud.signing",
    "SignatureVerifier": "synthdata_sdk.cloud.signing",
    "SigningKey": "synthdata_sdk.cloud.signing",
}

__all__ = [
    "GenerationHistory",
    "KmsSigner",
    "S3Store",
    "SignatureVerifier",
    "SigningKey",
    "create_history_table",
    "open_shared_cache",
    "publish",
]

__getattr__ = lazy_attributes(__name__, _LAZY, globals())
