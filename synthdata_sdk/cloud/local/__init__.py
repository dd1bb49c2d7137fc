"""The local stack (``synthdata backend serve``): S3, DynamoDB and KMS from moto, and the
Lambda Invoke and Bedrock InvokeAgent APIs over the action functions, at one loopback
endpoint. Needs the ``aws-local`` extra (moto's server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from synthdata_sdk._lazy import lazy_attributes

if TYPE_CHECKING:
    from synthdata_sdk.cloud.local.settings import StackSettings
    from synthdata_sdk.cloud.local.stack import LocalStack

_LAZY = {
    "LocalStack": "synthdata_sdk.cloud.local.stack",
    "StackSettings": "synthdata_sdk.cloud.local.settings",
}

__all__ = ["LocalStack", "StackSettings"]

__getattr__ = lazy_attributes(__name__, _LAZY, globals())
