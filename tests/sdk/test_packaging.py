"""``synthdata backend package``: reproducible function and layer zips, their hashes, and a
build that never writes through a link or replaces what is not a regular file."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk.errors import OutputPathError, RequestError
from synthdata_sdk.packaging import (
    HANDLER,
    PackagingError,
    build_package,
    entry_time,
    runtime_requirements,
    template_files,
    zip_bytes,
)
from synthdata_sdk.packaging.lambda_package import installed_package
from synthdata_sdk.schema.templates import list_templates
from tests.sdk.cli_support import Run

EARLIEST = (1980, 1, 1, 0, 0, 0)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the installed synthdata_sdk folder, free to touch."""
    copy = tmp_path / "src" / "synthdata_sdk"
    shutil.copytree(installed_package(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_two_builds_are_byte_identical_whatever_the_files_dates_and_modes(
    tmp_path: Path, package_copy: Path
) -> None:
    first = build_package(tmp_path / "one", package_root=package_copy, environ={})
    for number, path in enumerate(sorted(package_copy.rglob("*"))):
        if path.is_file():
            os.utime(path, (1_000_000_000 + number, 1_700_000_000 + number * 7))
    (package_copy / "errors.py").chmod(0o600)
    (package_copy / "__pycache__").mkdir()
    (package_copy / "__pycache__" / "errors.cpython-311.pyc").write_bytes(b"bytecode")
    (package_copy / "stray.pyc").write_bytes(b"bytecode")
    second = build_package(tmp_path / "two", package_root=package_copy, environ={})
    assert first.layer_zip.sha256 == second.layer_zip.sha256
    assert first.function_zip.sha256 == second.function_zip.sha256
    assert (tmp_path / "one" / "layer.zip").read_bytes() == (
        tmp_path / "two" / "layer.zip"
    ).read_bytes()


def test_a_changed_file_changes_the_layer_hash(tmp_path: Path, package_copy: Path) -> None:
    first = build_package(tmp_path / "one", package_root=package_copy, environ={})
    with (package_copy / "errors.py").open("a", encoding="utf-8") as stream:
        stream.write("# changed\n")
    second = build_package(tmp_path / "two", package_root=package_copy, environ={})
    assert first.layer_zip.sha256 != second.layer_zip.sha256
    assert first.function_zip.sha256 == second.function_zip.sha256


def test_entries_are_sorted_with_fixed_dates_and_modes(tmp_path: Path) -> None:
    build_package(tmp_path, environ={})
    for name in ("function.zip", "layer.zip"):
        with zipfile.ZipFile(tmp_path / name) as archive:
            infos = archive.infolist()
            assert archive.comment == b""
        names = [info.filename for info in infos]
        assert names == sorted(names)
        for info in infos:
            assert info.date_time == EARLIEST
            assert info.extra == b""
            assert info.create_system == 3
            mode = info.external_attr >> 16
            if info.is_dir():
                assert mode == stat.S_IFDIR | 0o755, info.filename
            else:
                assert mode == stat.S_IFREG | 0o644, info.filename


def test_source_date_epoch_sets_every_entry_date(tmp_path: Path) -> None:
    build_package(tmp_path, environ={"SOURCE_DATE_EPOCH": "1700000000"})
    with zipfile.ZipFile(tmp_path / "layer.zip") as archive:
        dates = {info.date_time for info in archive.infolist()}
    # 2023-11-14 22:13:20 UTC
    assert dates == {(2023, 11, 14, 22, 13, 20)}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", EARLIEST),
        ("0", EARLIEST),
        ("315532800", EARLIEST),
        ("315532802", (1980, 1, 1, 0, 0, 2)),
    ],
)
def test_entry_time(value: str, expected: tuple[int, ...]) -> None:
    assert entry_time({"SOURCE_DATE_EPOCH": value}) == expected


@pytest.mark.parametrize("value", ["soon", "-1", "1.5", "99999999999"])
def test_a_bad_source_date_epoch_is_refused(value: str) -> None:
    with pytest.raises(RequestError, match="SOURCE_DATE_EPOCH"):
        entry_time({"SOURCE_DATE_EPOCH": value})


@settings(max_examples=30, deadline=None)
@given(
    st.dictionaries(
        st.lists(st.text("abcxyz_.", min_size=1, max_size=4), min_size=1, max_size=3).map("/".join),
        st.binary(max_size=64),
        max_size=8,
    ).filter(lambda files: not any(f"{name}/" in other for name in files for other in files))
)
def test_zip_bytes_depend_on_the_files_only(files: dict[str, bytes]) -> None:
    shuffled = dict(reversed(list(files.items())))
    data = zip_bytes(files)
    assert data == zip_bytes(shuffled)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        assert {name: archive.read(name) for name in files} == files
        names = archive.namelist()
    assert names == sorted(names)


def test_layer_holds_the_installed_package_under_python(tmp_path: Path) -> None:
    build_package(tmp_path, environ={})
    with zipfile.ZipFile(tmp_path / "layer.zip") as archive:
        names = archive.namelist()
        init = archive.read("python/synthdata_sdk/__init__.py")
    root = installed_package()
    assert init == (root / "__init__.py").read_bytes()
    assert "python/synthdata_sdk/cloud/handler.py" in names
    assert "python/synthdata_sdk/schema/templates/customer.json" in names
    assert "python/synthdata_sdk/py.typed" in names
    assert all(name.startswith("python/synthdata_sdk/") for name in names[2:]), names[:3]
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    # nothing of the checkout besides the package: no tests, no plugin, no pyproject
    assert not [name for name in names if "pytest_synthdata" in name or "tests/" in name]


def test_function_zip_holds_the_entry_point_only(tmp_path: Path) -> None:
    build_package(tmp_path, environ={})
    with zipfile.ZipFile(tmp_path / "function.zip") as archive:
        assert archive.namelist() == ["synthdata_lambda.py"]
    assert HANDLER == "synthdata_lambda.handler"


def test_extracted_zips_import_and_the_handler_resolves(tmp_path: Path) -> None:
    """The layer's SDK imports without boto3, and function.zip's handler is the SDK's."""
    build_package(tmp_path / "build", environ={})
    layer, function = tmp_path / "opt", tmp_path / "task"
    with zipfile.ZipFile(tmp_path / "build" / "layer.zip") as archive:
        archive.extractall(layer)
    with zipfile.ZipFile(tmp_path / "build" / "function.zip") as archive:
        archive.extractall(function)
    script = (
        "import sys\n"
        "import synthdata_sdk, synthdata_sdk.client\n"
        "assert 'boto3' not in sys.modules, 'the core imported boto3'\n"
        "print(synthdata_sdk.__file__)\n"
        "import synthdata_lambda\n"
        "from synthdata_sdk.cloud.handler import lambda_handler\n"
        "assert synthdata_lambda.handler is lambda_handler\n"
        "print(synthdata_lambda.__file__)\n"
    )
    env = {
        **{key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
        "PYTHONPATH": os.pathsep.join([str(function), str(layer / "python")]),
        "POWERTOOLS_TRACE_DISABLED": "1",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    sdk_file, handler_file = done.stdout.split()
    assert Path(sdk_file).is_relative_to(layer / "python" / "synthdata_sdk")
    assert Path(handler_file) == function / "synthdata_lambda.py"


def test_package_json_records_sizes_hashes_and_templates(tmp_path: Path) -> None:
    built = build_package(tmp_path, environ={})
    document = json.loads((tmp_path / "package.json").read_text(encoding="utf-8"))
    assert document["handler"] == "synthdata_lambda.handler"
    for key, name in (("function_zip", "function.zip"), ("layer_zip", "layer.zip")):
        data = (tmp_path / name).read_bytes()
        entry = document[key]
        assert Path(entry["path"]) == tmp_path / name
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        # what Terraform's filebase64sha256() gives
        assert entry["sha256_base64"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    templates = document["template_files"]
    assert set(templates) == {f"{name}.json" for name in list_templates()}
    assert {"customer.json", "diagnosis.json", "user_account.json"} <= set(templates)
    for key, path in templates.items():
        assert Path(path).is_absolute()
        assert Path(path) == installed_package() / "schema" / "templates" / key
    assert {key: str(path) for key, path in built.templates.items()} == templates
    assert template_files() == built.templates


def test_refuses_an_output_folder_that_is_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(OutputPathError, match="symbolic link"):
        build_package(link, environ={})
    assert list(real.iterdir()) == []


def test_refuses_to_replace_a_link_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.zip"
    victim.write_bytes(b"keep me")
    (out / "layer.zip").symlink_to(victim)
    with pytest.raises(OutputPathError, match="symbolic link"):
        build_package(out, environ={})
    assert victim.read_bytes() == b"keep me"
    assert (out / "layer.zip").is_symlink()
    # no temporary file is left behind
    assert not [path for path in out.iterdir() if path.name.endswith(".tmp")]


def test_refuses_to_replace_a_folder(tmp_path: Path) -> None:
    (tmp_path / "function.zip").mkdir()
    with pytest.raises(OutputPathError, match="a directory"):
        build_package(tmp_path, environ={})
    assert (tmp_path / "function.zip").is_dir()


def test_replaces_an_earlier_build(tmp_path: Path) -> None:
    (tmp_path / "layer.zip").write_bytes(b"an older layer")
    built = build_package(tmp_path, environ={})
    assert sha256(tmp_path / "layer.zip") == built.layer_zip.sha256
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "function.zip",
        "layer.zip",
        "package.json",
    ]


def _wheel(folder: Path, name: str, requires: tuple[str, ...] = ()) -> Path:
    """A minimal pure-Python wheel with a console script (pip writes bin/<script>)."""
    info = f"{name}-1.0.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n" + "".join(
        f"Requires-Dist: {requirement}\n" for requirement in requires
    )
    files = {
        f"{name}/__init__.py": b"VALUE = 42\n\ndef main():\n    return 0\n",
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
        f"{info}/entry_points.txt": f"[console_scripts]\n{name} = {name}:main\n".encode(),
    }
    record = [
        f"{path},sha256="
        + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        + f",{len(data)}"
        for path, data in files.items()
    ]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    wheel = folder / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


@pytest.mark.slow
def test_dependencies_come_from_the_wheel_folder_reproducibly(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    # a stand-in s3transfer: part of the AWS SDK the Lambda runtime brings
    _wheel(wheels, "tinydep", requires=("s3transfer",))
    _wheel(wheels, "s3transfer")
    first = build_package(
        tmp_path / "one",
        with_dependencies=True,
        wheel_dir=wheels,
        requirements=["tinydep"],
        environ={},
    )
    second = build_package(
        tmp_path / "two",
        with_dependencies=True,
        wheel_dir=wheels,
        requirements=["tinydep"],
        environ={},
    )
    assert first.layer_zip.sha256 == second.layer_zip.sha256
    assert first.dependencies == ("tinydep",)
    with zipfile.ZipFile(tmp_path / "one" / "layer.zip") as archive:
        names = archive.namelist()
        assert archive.read("python/tinydep/__init__.py").startswith(b"VALUE = 42")
    assert "python/tinydep-1.0.dist-info/METADATA" in names
    assert "python/synthdata_sdk/__init__.py" in names
    # the console script names this machine's interpreter; RECORD lists its hash
    assert not [name for name in names if name.startswith("python/bin/")]
    assert not [name for name in names if name.endswith(("RECORD", ".pyc"))]
    # pip installed it (tinydep needs it), the layer leaves it to the runtime
    assert not [name for name in names if "s3transfer" in name]
    document = json.loads((tmp_path / "one" / "package.json").read_text(encoding="utf-8"))
    assert document["dependencies"] == ["tinydep"]


@pytest.mark.slow
def test_a_dependency_pip_cannot_find_is_a_packaging_error(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    with pytest.raises(PackagingError, match=r"pip could not install .*absentdep"):
        build_package(
            tmp_path / "out",
            with_dependencies=True,
            wheel_dir=wheels,
            requirements=["absentdep"],
            environ={},
        )


def test_runtime_requirements_are_the_core_and_aws_extra_without_boto3() -> None:
    wanted = runtime_requirements()
    names = {requirement.split(">")[0].split("[")[0].split("=")[0] for requirement in wanted}
    assert {"numpy", "faker", "pydantic", "jsonschema", "aws-lambda-powertools"} <= names
    assert not names & {"boto3", "pytest", "moto", "hypothesis", "pyarrow"}


def test_runtime_requirements_read_the_source_tree_declaration(tmp_path: Path) -> None:
    (tmp_path / "synthdata_sdk").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "synthdata"\n'
        'dependencies = ["numpy>=1.26", "pytest>=8", "tomli; python_version < \'3.11\'"]\n'
        "[project.optional-dependencies]\n"
        'aws = ["boto3>=1.35", "aws-lambda-powertools[tracer]>=3"]\n'
        'test = ["hypothesis>=6"]\n',
        encoding="utf-8",
    )
    assert runtime_requirements(tmp_path / "synthdata_sdk") == [
        "numpy>=1.26",
        "tomli",
        "aws-lambda-powertools[tracer]>=3",
    ]


def test_cli_builds_into_out(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    code, out, err = run("backend", "package", "--out", str(tmp_path / "lambda"))
    assert (code, err) == (0, "")
    layer = tmp_path / "lambda" / "layer.zip"
    assert f"{layer}  " in out
    assert f"sha256 {sha256(layer)}" in out
    assert (
        out.splitlines()[-1] == f"hashes and template files: {tmp_path / 'lambda' / 'package.json'}"
    )


def test_cli_refuses_a_linked_out_folder(run: Run, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    code, _out, err = run("backend", "package", "--out", str(tmp_path / "link"))
    assert code == 2
    assert "symbolic link" in err
    assert list((tmp_path / "real").iterdir()) == []


def test_cli_wheel_dir_needs_with_dependencies(run: Run, tmp_path: Path) -> None:
    code, _out, err = run("backend", "package", "--out", str(tmp_path), "--wheel-dir", "w")
    assert code == 2
    assert "--with-dependencies" in err
