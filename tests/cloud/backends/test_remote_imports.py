"""A remote backend loads boto3 only when chosen, never powertools, and names the extra to
install when boto3 is missing."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.cloud.test_core_imports import imported_after
from tests.conftest import ROOT

CLIENTS = """
    import os
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    from synthdata_sdk import SynthDataClient
    SynthDataClient(backend="lambda", function_name="f", bucket="b-b", region="eu-west-1")
    SynthDataClient(backend="agent", agent_id="A1", agent_alias_id="B2", bucket="b-b",
                    region="eu-west-1")
"""


def test_a_remote_backend_loads_boto3_but_not_the_function_side() -> None:
    loaded = imported_after(CLIENTS)
    assert {"boto3", "botocore"} <= set(loaded)
    assert "aws_lambda_powertools" not in loaded


def test_without_the_aws_extra_a_remote_backend_names_what_to_install() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["boto3"] = None  # as if the aws extra were not installed
        sys.modules["botocore"] = None
        from synthdata_sdk import SynthDataClient
        from synthdata_sdk.errors import ExtraNotInstalledError, RequestError
        for backend, settings in [
            ("lambda", {"function_name": "f"}),
            ("agent", {"agent_id": "A1", "agent_alias_id": "B2"}),
        ]:
            try:
                SynthDataClient(backend=backend, bucket="b-b", **settings)
            except ExtraNotInstalledError as error:
                assert isinstance(error, RequestError)
                print(error)
        SynthDataClient().generate("customer", rows=2)  # the local backend needs none of it
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.splitlines() == [
        f"the {backend} backend needs the aws extra (botocore is not installed): "
        "pip install 'synthdata[aws]'"
        for backend in ("lambda", "agent")
    ]
