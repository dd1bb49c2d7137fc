"""The action function's deployment package (``synthdata backend package``): a function zip,
a layer zip and their hashes, built reproducibly from the installed package. No boto3."""

from __future__ import annotations

from synthdata_sdk.packaging.lambda_package import (
    DEFAULT_OUT,
    HANDLER,
    BuiltPackage,
    PackagingError,
    build_package,
    runtime_requirements,
    template_files,
)
from synthdata_sdk.packaging.reproducible_zip import BuiltFile, entry_time, zip_bytes

__all__ = [
    "DEFAULT_OUT",
    "HANDLER",
    "BuiltFile",
    "BuiltPackage",
    "PackagingError",
    "build_package",
    "entry_time",
    "runtime_requirements",
    "template_files",
    "zip_bytes",
]
