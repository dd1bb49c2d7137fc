"""The ``synthdata`` command line (``synthdata_sdk.cli.main``); ``python -m synthdata_sdk``."""

from synthdata_sdk.cli.main import main

__all__ = ["main"]
