"""``python -m synthdata_sdk``: the ``synthdata`` command line."""

from __future__ import annotations

import sys

from synthdata_sdk.cli import main

if __name__ == "__main__":
    sys.exit(main())
