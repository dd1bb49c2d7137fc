"""What a running local stack serves: its endpoint and the names of what it provisioned.

``StackSettings`` is what ``LocalStack.settings`` returns, what ``synthdata backend serve``
prints, and what it writes to ``<data dir>/stack.json`` for other processes (the SDK, the
plugin, a CI script) to read with ``StackSettings.read``. Plain values, no boto3.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from synthdata_sdk.cloud.config import BUCKET_ENV, ENDPOINT_ENV, KMS_KEY_ENV, PREFIX_ENV, TABLE_ENV
from synthdata_sdk.errors import RequestError

#: the file ``--data-dir`` holds
SETTINGS_FILE = "stack.json"
#: the account moto answers for
ACCOUNT_ID = "123456789012"


@dataclass(frozen=True)
class StackSettings:
    """The endpoint of a local stack and the resources it provisioned at start."""

    #: the one URL of every service (S3 path style, DynamoDB, KMS, Lambda, InvokeAgent)
    endpoint_url: str
    region: str
    #: the dataset bucket; datasets go under ``<prefix>/datasets/``
    bucket: str
    prefix: str
    #: the generation history table (``create_history_table``)
    table: str
    #: ARN of the symmetric KMS key the dataset parts are encrypted with (SSE-KMS)
    kms_key_id: str
    kms_key_alias: str
    #: ARN of the ECC_NIST_P256 SIGN_VERIFY key for manifest signatures
    signing_key_id: str
    signing_key_alias: str
    #: the Lambda function served by the Invoke API (the action functions)
    function_name: str
    function_arn: str
    #: the Bedrock agent served by InvokeAgent, and its alias whose action group runs the
    #: function
    agent_id: str
    agent_alias_id: str
    #: an alias of the same agent whose action group returns control to the caller
    return_control_alias_id: str

    def as_dict(self) -> dict[str, str]:
        """The settings as a JSON-ready dict, keyed by field name."""
        return asdict(self)

    def environment(self) -> dict[str, str]:
        """The environment variables that point the action functions and the SDK here."""
        return {
            ENDPOINT_ENV: self.endpoint_url,
            BUCKET_ENV: self.bucket,
            PREFIX_ENV: self.prefix,
            TABLE_ENV: self.table,
            KMS_KEY_ENV: self.kms_key_id,
            "AWS_DEFAULT_REGION": self.region,
        }

    def write(self, folder: Path) -> Path:
        """Write ``folder/stack.json`` (replacing a regular file there); returns its path."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / SETTINGS_FILE
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise RequestError(f"{target} exists and is not a regular file; not replacing it")
        handle, temporary = tempfile.mkstemp(prefix=f".{SETTINGS_FILE}.", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.as_dict(), out, indent=2)
                out.write("\n")
            Path(temporary).replace(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def read(cls, path: Path) -> StackSettings:
        """The settings in ``path`` (a ``stack.json``, or the folder holding one)."""
        file = path / SETTINGS_FILE if path.is_dir() else path
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise RequestError(f"cannot read the local stack's settings {file}: {error}") from None
        return cls.from_dict(data, str(file))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "settings") -> StackSettings:
        """The settings in ``data``; a RequestError names a missing or non-text field."""
        if not isinstance(data, Mapping):
            raise RequestError(f"{source}: expected a JSON object")
        values: dict[str, str] = {}
        for item in fields(cls):
            value = data.get(item.name)
            if not isinstance(value, str) or not value:
                raise RequestError(f"{source}: {item.name} is missing or not a string")
            values[item.name] = value
        return cls(**values)
