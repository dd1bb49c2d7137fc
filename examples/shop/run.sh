#!/bin/sh
# Runs the shop's tests from a clean checkout, the way CI runs them.
# 1. Record: mode new generates the datasets missing from the cache (.synthdata/, never
#    committed) and serves the ones it holds.
# 2. Replay: mode none (pytest.ini) serves every dataset from the cache and generates none;
#    a dataset the cache lacks fails its test with the command that records it.
set -eu
cd "$(dirname "$0")"
python="${PYTHON:-python}"
"$python" -m pytest --synthdata-mode=new -q
"$python" -m pytest "$@"
