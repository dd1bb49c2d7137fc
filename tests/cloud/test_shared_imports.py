"""Checking the shared cache's settings imports no cloud library (pytest checks them at start)."""

from __future__ import annotations

from tests.cloud.test_core_imports import imported_after


def test_checking_a_shared_cache_uri_imports_no_cloud_library() -> None:
    code = """
        import pytest_synthdata.plugin
        from synthdata_sdk.cloud.s3_uri import parse_s3_uri
        assert parse_s3_uri("s3://team-datasets/ci/") == ("team-datasets", "ci")
    """
    assert imported_after(code) == []
