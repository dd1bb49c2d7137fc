"""Every Python block and console command of README.md and docs/*.md runs, and what a page
shows as output is what the code prints.

How blocks run, the conventions for shown output, and the ``docs-test`` markers for blocks
that cannot run in a test are described in the modules of this folder and in
CONTRIBUTING.md ("Docs").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.docs.page import ROOT, PageError, PageRun

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
WORKDIR = Path(__file__).with_name("workdir")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_page_examples_run_and_show_what_the_code_prints(
    page: Path, tmp_path: Path, pytester: pytest.Pytester
) -> None:
    workdir = tmp_path / "work"
    shutil.copytree(WORKDIR, workdir)
    pytester.makeini("[pytest]\n")
    run = PageRun(page, workdir, pytester)
    stopped = None
    try:
        run.run()
    except PageError as failed:
        stopped = str(failed)
    problems = [*run.problems, *([stopped] if stopped else [])]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
