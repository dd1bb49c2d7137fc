"""Starting and stopping the local stack: the port, the settings file, the state."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from synthdata_sdk.cloud.local import LocalStack, StackSettings
from synthdata_sdk.cloud.local.settings import SETTINGS_FILE
from synthdata_sdk.errors import RequestError
from tests.cloud.stack_support import aws

__all__ = ["aws"]


def refuses_connections(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def can_listen_on(port: int) -> bool:
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind(("127.0.0.1", port))
        except OSError:
            return False
        server.listen()
        return True


def test_stop_frees_the_port_and_forgets_everything(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    stack = LocalStack(port=0, data_dir=folder, bucket="first-bucket", prefix="team/ci")
    settings = stack.start()
    try:
        assert StackSettings.read(folder) == settings
        assert StackSettings.read(folder / SETTINGS_FILE).bucket == "first-bucket"
        assert settings.prefix == "team/ci"
        stack.client("s3").put_object(Bucket="first-bucket", Key="x", Body=b"1")
        port = int(settings.endpoint_url.rsplit(":", 1)[1])
    finally:
        stack.stop()
    assert refuses_connections(port)
    assert can_listen_on(port)
    assert not (folder / SETTINGS_FILE).exists()
    stack.stop()  # a second stop does nothing
    with pytest.raises(RequestError, match="not running"):
        _ = stack.settings

    with LocalStack(port=port, bucket="first-bucket") as again:  # the same port, fresh state
        assert again.endpoint_url == settings.endpoint_url
        listed = again.client("s3").list_objects_v2(Bucket="first-bucket")
        assert listed["KeyCount"] == 0


def test_a_settings_file_that_is_a_link_is_left_alone(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}", encoding="utf-8")
    folder = tmp_path / "state"
    folder.mkdir()
    (folder / SETTINGS_FILE).symlink_to(elsewhere)
    with pytest.raises(RequestError, match="not a regular file"):
        LocalStack(port=0, data_dir=folder).start()
    assert elsewhere.read_text(encoding="utf-8") == "{}"
    with LocalStack(port=0):  # the failed start stopped cleanly: another can run
        pass


def test_a_port_in_use_is_a_clear_error(aws_env: None) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(RequestError, match=f"cannot listen on 127.0.0.1:{port}"):
            LocalStack(port=port).start()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"region": "nowhere-1"}, "not an AWS region"),
        ({"prefix": "../x"}, "not a plain path"),
        ({"bucket": "Bad_Bucket!"}, "not an S3 bucket name"),
    ],
)
def test_bad_names_are_refused_before_anything_is_served(
    aws_env: None, options: dict[str, str], expected: str
) -> None:
    with pytest.raises(RequestError, match=expected):
        LocalStack(port=0, **options).start()  # type: ignore[arg-type]


def test_settings_files_with_a_missing_field_are_refused(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text('{"endpoint_url": "http://127.0.0.1:1"}')
    with pytest.raises(RequestError, match="region is missing"):
        StackSettings.read(tmp_path)
    with pytest.raises(RequestError, match="cannot read"):
        StackSettings.read(tmp_path / "nothing.json")
