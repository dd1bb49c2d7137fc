"""``synthdata backend package``: the action function's deployment zips, built reproducibly.

- ``function.zip`` holds the entry point only (``synthdata_lambda.handler``, which is
  ``synthdata_sdk.cloud.handler.lambda_handler``), so a change in the SDK ships through the
  layer and the function's own code hardly ever changes;
- ``layer.zip`` holds, under ``python/``, the installed ``synthdata_sdk`` package (its own
  files, wherever it is installed: never a checkout's other files) and, when asked, the
  runtime dependencies installed by pip for the Lambda platform (CPython 3.11, manylinux2014
  x86_64). The AWS SDK (boto3, botocore, s3transfer) is left out: the runtime brings it;
- ``package.json`` records each zip's path, size and sha256 (hex, and base64 as Terraform's
  ``filebase64sha256`` gives it), the handler, and the templates as object key => file for the
  templates bucket.

Nothing here imports boto3 or the cloud package.
"""

from __future__ import annotations

import csv
import json
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import synthdata_sdk
from synthdata_sdk.errors import OutputPathError, RequestError, SynthDataError
from synthdata_sdk.formats.target import describe, reason
from synthdata_sdk.packaging.reproducible_zip import (
    BuiltFile,
    entry_time,
    write_atomically,
    zip_bytes,
)

#: the module and function Lambda calls (the functions module's ``handler``)
HANDLER_MODULE = "synthdata_lambda"
HANDLER = f"{HANDLER_MODULE}.handler"
DISTRIBUTION = "synthdata"
PACKAGE = "synthdata_sdk"
#: what the layer's binaries are built for (the functions module's default runtime)
PYTHON_VERSION = "3.11"
PLATFORM = "manylinux2014_x86_64"
#: the extra whose requirements the function needs besides the core's
AWS_EXTRA = "aws"
#: requirements the function does not need: the Lambda runtime has boto3, and the layer does
#: not carry the pytest plugin
LEFT_OUT = frozenset({"boto3", "pytest"})
#: the AWS SDK the Lambda Python runtime brings; a dependency that pulls it in (aws-xray-sdk
#: needs botocore) would otherwise put a second botocore ahead of the runtime's on sys.path,
#: one its boto3 may not match (jmespath, which powertools imports itself, stays)
RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer"})
#: files of the installed trees that are not shipped: bytecode (Lambda compiles its own) and
#: the console scripts pip writes, whose first line names the building machine's Python
_SKIPPED_SUFFIXES = (".pyc", ".pyo")
_SKIPPED_FOLDERS = frozenset({"__pycache__"})
DEFAULT_OUT = Path("build") / "lambda"

_HANDLER_SOURCE = '''"""The action function's entry point; the code is in the layer (synthdata_sdk)."""

from synthdata_sdk.cloud.handler import lambda_handler as handler

__all__ = ["handler"]
'''
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EXTRA_MARKER = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


class PackagingError(SynthDataError):
    """The package could not be built: pip failed, or the installed files cannot be read."""


@dataclass(frozen=True)
class BuiltPackage:
    """What ``build_package`` wrote."""

    function_zip: BuiltFile
    layer_zip: BuiltFile
    manifest: Path
    templates: Mapping[str, Path]
    dependencies: tuple[str, ...]


def build_package(
    out: Path = DEFAULT_OUT,
    *,
    with_dependencies: bool = False,
    wheel_dir: Path | None = None,
    requirements: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
    package_root: Path | None = None,
) -> BuiltPackage:
    """Write function.zip, layer.zip and package.json into ``out`` (made if missing).

    ``with_dependencies`` installs ``requirements`` (default: ``runtime_requirements()``)
    into the layer with pip, from ``wheel_dir`` only when given (no index). Two builds of the
    same files give the same bytes. ``package_root`` is the ``synthdata_sdk`` folder to ship
    (default: the one this process imported).
    """
    date_time = entry_time(environ)
    folder = _output_folder(out)
    package_root = package_root or installed_package()
    layer: dict[str, bytes] = dict(_tree_files(package_root, f"python/{PACKAGE}"))
    installed: tuple[str, ...] = ()
    if with_dependencies:
        if wheel_dir is not None and not wheel_dir.is_dir():
            raise RequestError(f"--wheel-dir {wheel_dir}: not a folder of wheels")
        if requirements is None:
            requirements = runtime_requirements(package_root)
        installed = tuple(requirements)
        for name, data in _dependency_files(installed, wheel_dir).items():
            if name in layer:
                raise PackagingError(f"a dependency installs {name}, which the SDK's files hold")
            layer[name] = data
    function = write_atomically(
        folder / "function.zip",
        zip_bytes({f"{HANDLER_MODULE}.py": _HANDLER_SOURCE.encode("utf-8")}, date_time),
    )
    layer_zip = write_atomically(folder / "layer.zip", zip_bytes(layer, date_time))
    templates = template_files(package_root)
    manifest = folder / "package.json"
    document = {
        "handler": HANDLER,
        "python_version": PYTHON_VERSION,
        "platform": PLATFORM,
        "function_zip": function.as_dict(),
        "layer_zip": layer_zip.as_dict(),
        "dependencies": list(installed),
        "template_files": {key: str(path) for key, path in templates.items()},
    }
    write_atomically(manifest, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
    return BuiltPackage(function, layer_zip, manifest, templates, installed)


def installed_package() -> Path:
    """The folder of the ``synthdata_sdk`` package this process imported."""
    return Path(synthdata_sdk.__file__).resolve().parent


def template_files(package_root: Path | None = None) -> dict[str, Path]:
    """The template library: object key (``customer.json``...) => absolute path, sorted."""
    folder = (package_root or installed_package()) / "schema" / "templates"
    return {path.name: path for path in sorted(folder.glob("*.json")) if path.is_file()}


def runtime_requirements(package_root: Path | None = None) -> list[str]:
    """The core requirements and the ``aws`` extra's, without ``LEFT_OUT`` and without
    environment markers, in their declared order.

    They come from the ``pyproject.toml`` beside the package when it is imported from a
    source tree (what is being packaged is that tree's code), else from the installed
    distribution's metadata.
    """
    root = package_root or installed_package()
    declared = _declared_in_source_tree(root.parent / "pyproject.toml")
    if declared is None:
        declared = _declared_in_metadata()
    wanted: list[str] = []
    for line in declared:
        requirement, _, marker = line.partition(";")
        extras = _EXTRA_MARKER.findall(marker)
        if extras and extras != [AWS_EXTRA]:
            continue
        name = _NAME.match(requirement.strip())
        if name is None or _canonical(name.group()) in LEFT_OUT:
            continue
        wanted.append(requirement.strip())
    return wanted


def _declared_in_source_tree(pyproject: Path) -> list[str] | None:
    """The requirements ``pyproject`` declares for synthdata (the aws extra's marked as
    such, as in metadata), or None if it is not synthdata's."""
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if project.get("name") != DISTRIBUTION:
        return None
    extra = project.get("optional-dependencies", {}).get(AWS_EXTRA, [])
    return [
        *project.get("dependencies", []),
        *(f'{item}; extra == "{AWS_EXTRA}"' for item in extra),
    ]


def _declared_in_metadata() -> list[str]:
    try:
        return metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        raise PackagingError(
            f"the {DISTRIBUTION} distribution is not installed, so its dependencies are "
            "unknown: install it (pip install -e .) or leave out --with-dependencies"
        ) from None


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _output_folder(out: Path) -> Path:
    """``out``, made if missing; refused if it (the last part) is a link or not a folder."""
    if out.is_symlink():
        raise OutputPathError(
            str(out),
            f"cannot write into {out}: it is a symbolic link to {out.readlink()}; the package "
            "build never writes through a link (name the folder itself)",
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputPathError(
            str(out), f"cannot write into {out}: it is {describe(out.lstat().st_mode)}"
        ) from None
    except OSError as exc:
        raise OutputPathError(str(out), f"cannot make {out}: {reason(exc)}") from exc
    return out


def _tree_files(root: Path, prefix: str) -> dict[str, bytes]:
    """Every regular file under ``root`` as ``prefix/relative path`` => bytes, without
    bytecode. A link is refused: what it leads to is not part of the installed tree."""
    files: dict[str, bytes] = {}
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(name for name in folders if name not in _SKIPPED_FOLDERS)
        here = Path(folder)
        for name in [*folders, *names]:
            if (here / name).is_symlink():
                raise PackagingError(
                    f"{here / name} is a symbolic link; the layer holds regular files only"
                )
        for name in sorted(names):
            if name.endswith(_SKIPPED_SUFFIXES):
                continue
            path = here / name
            relative = path.relative_to(root).as_posix()
            try:
                files[f"{prefix}/{relative}"] = path.read_bytes()
            except OSError as exc:
                raise PackagingError(f"cannot read {path}: {reason(exc)}") from exc
    return files


def _dependency_files(requirements: Sequence[str], wheel_dir: Path | None) -> dict[str, bytes]:
    """The files pip installs for ``requirements`` on the Lambda platform, as ``python/...``."""
    if not requirements:
        return {}
    with tempfile.TemporaryDirectory(prefix="synthdata-layer-") as scratch:
        target = Path(scratch) / "python"
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--target",
            str(target),
            "--platform",
            PLATFORM,
            "--only-binary=:all:",
            "--python-version",
            PYTHON_VERSION,
            "--implementation",
            "cp",
            "--no-compile",
            "--no-input",
            "--disable-pip-version-check",
            "--quiet",
        ]
        if wheel_dir is not None:
            command += ["--no-index", "--find-links", str(wheel_dir)]
        done = subprocess.run(
            [*command, *requirements], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-12:])
            raise PackagingError(
                f"pip could not install the layer's dependencies ({', '.join(requirements)}) "
                f"for {PLATFORM}, CPython {PYTHON_VERSION}:\n{tail}"
            )
        files = _tree_files(target, "python")
        provided = _files_of(target, RUNTIME_PROVIDED)
    # console scripts name the building machine's interpreter; RECORD lists their hashes
    return {
        name: data
        for name, data in files.items()
        if not name.startswith("python/bin/")
        and not name.endswith(".dist-info/RECORD")
        and name not in provided
    }


def _files_of(target: Path, distributions: frozenset[str]) -> set[str]:
    """The files (``python/...``) pip installed into ``target`` for ``distributions``, from
    their RECORD files."""
    found: set[str] = set()
    for info in sorted(target.glob("*.dist-info")):
        name = info.name.removesuffix(".dist-info").rpartition("-")[0]
        if _canonical(name) not in distributions:
            continue
        try:
            record = (info / "RECORD").read_text(encoding="utf-8")
        except OSError as exc:
            raise PackagingError(f"cannot read {info / 'RECORD'}: {reason(exc)}") from exc
        for row in csv.reader(record.splitlines()):
            if not row or not row[0]:
                continue
            # files outside the target (none with --target) are not in the layer anyway
            normal = posixpath.normpath(row[0].replace("\\", "/"))
            if not normal.startswith("../"):
                found.add(f"python/{normal}")
    return found
