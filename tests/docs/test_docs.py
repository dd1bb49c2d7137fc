"""Every example of the top-level Markdown files (README.md, CONTRIBUTING.md...) and of
docs/*.md runs or is checked, and what a page shows as output is what the code prints.

How blocks run, the conventions for shown output, and the ``docs-test`` markers that tie a
shown block to what prints it or mark a block that cannot run are described in the modules
of this folder and in CONTRIBUTING.md ("Docs").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.docs.page import ROOT, PageError, PageRun

PAGES = [*sorted(ROOT.glob("*.md")), *sorted((ROOT / "docs").glob("*.md"))]
WORKDIR = Path(__file__).with_name("workdir")
#: pages whose commands work on the project itself (lint it, build its docs): they run in a
#: copy of the checkout, so that nothing they write reaches it
ON_THE_PROJECT = frozenset({"CONTRIBUTING.md"})
#: what the copy of the checkout leaves out: version control, environments, caches, builds
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".tox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".synthdata",
    "__pycache__",
    "*.egg-info",
    "site",
    "build",
    "dist",
)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_page_examples_run_and_show_what_the_code_prints(
    page: Path, tmp_path: Path, pytester: pytest.Pytester
) -> None:
    name = page.relative_to(ROOT).as_posix()
    if name in ON_THE_PROJECT:
        workdir = project = tmp_path / "checkout"
        shutil.copytree(ROOT, workdir, ignore=NOT_COPIED, symlinks=True)
    else:
        workdir, project = tmp_path / "work", ROOT
        shutil.copytree(WORKDIR, workdir)
    pytester.makeini("[pytest]\n")
    run = PageRun(page, workdir, pytester, project)
    stopped = None
    try:
        run.run()
    except PageError as failed:
        stopped = str(failed)
    problems = [*run.problems, *([stopped] if stopped else [])]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
    if run.not_run:
        pytest.skip("not run, the dev extra is not installed: " + "; ".join(run.not_run))
