"""What docs/pytest.md shows the plugin printing and writing is what it prints and writes.

These blocks are ``text`` and ``json``, not commands, so the page runner does not run them;
each is checked here against a run of the test the page describes
(``tests/test_signup.py::test_signup``, the customer template, 1,000 rows, seed 7).
"""

from __future__ import annotations

import json

import pytest

from tests.docs.markdown import Block, read_blocks
from tests.docs.page import INNER_RUN, ROOT

PAGE = ROOT / "docs" / "pytest.md"
SIGNUP_TEST = (
    "import pytest\n\n\n"
    '@pytest.mark.synthdata("customer", rows=1000, seed=7)\n'
    "def test_signup(synthdata):\n"
    "    assert synthdata.rows == 1000\n"
)
#: where the page says the project lives
SHOWN_ROOT = "/src/app"


def _shown(lang: str, containing: str) -> Block:
    for block in read_blocks(PAGE):
        if block.lang == lang and containing in block.code:
            return block
    raise AssertionError(f"{PAGE.name} has no {lang} block containing {containing!r}")


@pytest.fixture
def signup_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini("[pytest]\n")
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_signup.py").write_text(SIGNUP_TEST, encoding="utf-8")
    return pytester


def test_lock_file_shown_is_the_one_the_plugin_writes(signup_project: pytest.Pytester) -> None:
    shown = _shown("json", '"datasets"')

    result = signup_project.runpytest_inprocess(*INNER_RUN, "--synthdata-update-lock")

    assert result.ret == 0
    written = (signup_project.path / "synthdata.lock").read_text(encoding="utf-8")
    assert written == shown.code, f"{shown.where} shows another lock file than the one written"
    json.loads(shown.code)


def test_ci_header_and_missing_dataset_message_shown_are_what_pytest_prints(
    signup_project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")

    result = signup_project.runpytest_inprocess(*INNER_RUN)

    printed = " ".join(
        "\n".join(result.outlines).replace(str(signup_project.path), SHOWN_ROOT).split()
    )
    for shown in (_shown("text", "is not in the cache"), _shown("text", "mode none (CI)")):
        expected = " ".join(shown.code.split())
        assert expected in printed, f"{shown.where} shows\n{shown.code}\nbut pytest printed\n" + (
            "\n".join(result.outlines)
        )
