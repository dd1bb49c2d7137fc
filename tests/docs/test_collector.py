"""The docs collector itself: what it runs, what it compares, and that it skips nothing silently."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.docs import console, python_block
from tests.docs.markdown import Check, DocsFormatError, read_blocks
from tests.docs.page import PageError, PageRun
from tests.docs.shown import SHOWN_ROOT, output_matches, root_shown, value_matches

FENCE = "```"


def _page(tmp_path: Path, text: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    page = tmp_path / "page.md"
    page.write_text(text.replace("'''", FENCE), encoding="utf-8")
    return page


def _run(tmp_path: Path, pytester: pytest.Pytester, text: str) -> PageRun:
    workdir = tmp_path / "work"
    workdir.mkdir(parents=True)
    run = PageRun(_page(tmp_path, text), workdir, pytester)
    return run


# --------------------------------------------------------------------------------------------
# Reading pages


def test_directives_attach_to_the_next_block(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "Text.\n\n<!-- docs-test: skip installs packages -->\n\n'''console\npip install x\n'''\n\n"
        "<!-- docs-test: setup\nwrite('a.txt', 'x')\nwrite('b.txt', 'y')\n-->\n"
        "'''python\nprint(1)\n'''\n\n- item\n\n  '''console\n  $ synthdata templates\n  '''\n",
    )
    first, second, third = read_blocks(page)
    assert (first.lang, first.skip, first.line) == ("console", "installs packages", 6)
    assert second.setup == ("write('a.txt', 'x')\nwrite('b.txt', 'y')",)
    assert second.skip is None
    assert third.code == "$ synthdata templates\n"


def test_checks_read_their_flags_and_code_on_one_line_or_below(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "<!-- docs-test: output-of excerpt wrapped CI=true pytest -->\n'''text\nx\n'''\n"
        "<!-- docs-test: output-of\n  pytest --synthdata-update-lock\n  cat synthdata.lock\n-->\n"
        "'''json\n{}\n'''\n"
        "<!-- docs-test: printed-by\nprint(1)\n-->\n'''text\n1\n'''\n"
        "<!-- docs-test: skip-command mypy: slow -->\n'''console\nruff check .\nmypy x\n'''\n",
    )
    first, second, third, fourth = read_blocks(page)
    assert first.check == Check("output-of", "CI=true pytest", frozenset({"excerpt", "wrapped"}), 1)
    assert second.check is not None
    assert second.check.body == "pytest --synthdata-update-lock\ncat synthdata.lock"
    assert third.check == Check("printed-by", "print(1)", frozenset(), 12)
    assert fourth.skip_commands == (("mypy", "slow"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- docs-test: skip -->\n'''console\npip install x\n'''\n", "skip needs a reason"),
        ("<!-- docs-test: skip-command mypy -->\n'''console\nx\n'''\n", "PREFIX: REASON"),
        ("<!-- docs-test: output-of excerpt -->\n'''text\nx\n'''\n", "output-of needs commands"),
        (
            "<!-- docs-test: valid usage -->\n<!-- docs-test: printed-by print(1) -->\n"
            "'''text\nx\n'''\n",
            "checked one way only",
        ),
        ("<!-- docs-test: valid wrapped usage -->\n'''text\nx\n'''\n", "takes no wrapped"),
        ("<!-- docs-test: skipp pip -->\n'''console\npip\n'''\n", "unknown directive"),
        ("<!-- docs-test: skip why -->\nA paragraph.\n'''console\nx\n'''\n", "right before"),
        ("Text.\n<!-- docs-test: skip why -->\n", "ends the page"),
        ("'''python\nprint(1)\n", "never closed"),
    ],
)
def test_malformed_directives_and_fences_are_errors(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(DocsFormatError, match=message):
        read_blocks(_page(tmp_path, text))


# --------------------------------------------------------------------------------------------
# Comparing output


def test_an_ellipsis_line_stands_for_any_lines_and_inline_for_any_text() -> None:
    printed = "valid\n/a  x\n/b  y\n/c  z\n"
    assert output_matches("valid\n/a  x\n...\n", printed)
    assert output_matches("valid\n...\n/c  ...\n", printed)
    assert not output_matches("valid\n/a  x\n", printed)
    assert not output_matches("valid\n/b  y\n...\n", printed)


def test_elapsed_time_rates_and_utc_timestamps_are_not_compared() -> None:
    shown = "wrote 10 rows (fingerprint abc, 0.41 s) at 2026-05-04T09:12:31+00:00, 9.9 MB/s"
    printed = "wrote 10 rows (fingerprint abc, 12.03 s) at 2027-01-01T00:00:00+00:00, 0.1 MB/s"
    assert output_matches(shown, printed)
    assert not output_matches(shown, printed.replace("abc", "abd"))
    assert not output_matches("at 2026-05-04T09:12:31Z", "at 2027-01-01T00:00:00Z")


def test_an_excerpt_is_a_run_of_consecutive_printed_lines() -> None:
    printed = "header\nsynthdata: backend local\n.\nsynthdata: 1 generated\n1 passed\n"
    assert output_matches("synthdata: backend local\n", printed, excerpt=True)
    assert output_matches(
        "synthdata: backend local\n...\nsynthdata: 1 ...\n", printed, excerpt=True
    )
    assert not output_matches("synthdata: backend local\n", printed)
    assert not output_matches(
        "synthdata: backend local\nsynthdata: 1 generated\n", printed, excerpt=True
    )


def test_wrapped_output_ignores_where_lines_break_but_not_the_words() -> None:
    printed = "E  TypeError: records are read-only because tests share them; use a copy\n"
    shown = "TypeError: records are read-only\nbecause tests share them;\n  use a copy\n"
    assert output_matches(shown, printed, excerpt=True, wrapped=True)
    assert not output_matches(shown, printed, wrapped=True)  # the "E" is printed too
    assert output_matches(shown, printed.removeprefix("E  "), wrapped=True)
    assert not output_matches(shown.replace("them", "it"), printed, excerpt=True, wrapped=True)


def test_the_working_folder_is_shown_as_the_pages_project_folder(tmp_path: Path) -> None:
    printed = f"cache {tmp_path}/.synthdata\nrootdir: {tmp_path}\n"
    expected = f"cache {SHOWN_ROOT}/.synthdata\nrootdir: {SHOWN_ROOT}\n"
    assert root_shown(printed, tmp_path) == expected


def test_shown_values_are_compared_with_the_repr() -> None:
    assert value_matches(
        "{'id': '...', 'email': '...@example.com', ...}",
        "{'id': 'x', 'n': 'y', 'email': 'a@example.com', 'b': 2}",
    )
    assert not value_matches("{'email': '...@example.com'}", "{'email': 'a@gmail.com'}")
    assert value_matches("Violation(a=1,\n b='x')", "Violation(a=1, b='x')")


@pytest.mark.parametrize(
    ("comment", "is_value"),
    [
        ("1000", True),
        ("{'score': 100.0, ...}", True),
        ("('email', 0.0)", True),
        ("Violation(table='data', row=0, ...)", True),
        ("64 hex digits identifying the request", False),
        ("a dict: id, first_name, ...", False),
        ("['customer', 'device', ...] (sorted)", False),
        ("the same fingerprint, without generating", False),
    ],
)
def test_only_comments_that_are_values_are_compared(comment: str, is_value: bool) -> None:
    assert python_block._is_value(comment) is is_value


def test_a_wrong_shown_value_is_reported_with_its_page_line() -> None:
    code = "x = [1, 2]\nlen(x)  # 3\nx[0]\n# 1\nlen(x)  # the length\n"
    found: list[tuple[int, str, str]] = []
    compiled = python_block.compile_block(python_block.parse(code), code, "page.md", 40)
    namespace = {python_block.SHOWN: python_block.make_shown_checker(lambda *a: found.append(a))}
    exec(compiled, namespace)
    assert found == [(41, "3", "2")]


def test_rows_above_the_cap_are_lowered_in_python_and_commands() -> None:
    code = "generate('customer', rows=1_000_000, seed=7)\ngenerate('order', rows=50)\n"
    assert "rows=10000" in python_block.cap_rows_in_source(code)
    assert "rows=50" in python_block.cap_rows_in_source(code)
    assert console._ROWS.sub(lambda m: m[1] + "CAP", "x --rows 1000000 --seed 7") == (
        "x --rows CAP --seed 7"
    )


# --------------------------------------------------------------------------------------------
# Running pages


def test_commands_other_than_the_known_programs_are_named() -> None:
    assert console.unknown_programs("synthdata scan x --format json | jq .rows") == []
    assert console.unknown_programs("CI=true pytest") == []
    assert console.unknown_programs("python -m tests.golden.regenerate") == ["python"]
    assert console.unknown_programs("pip install -e . && synthdata templates") == ["pip"]


def test_an_unmarked_command_the_test_does_not_run_fails_the_page(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    run = _run(tmp_path, pytester, "'''console\npip install synthdata\n'''\n")
    with pytest.raises(PageError, match=r"runs pip, which the docs test does not run"):
        run.run()


def test_a_marked_block_is_not_run(tmp_path: Path, pytester: pytest.Pytester) -> None:
    run = _run(
        tmp_path,
        pytester,
        "<!-- docs-test: skip installs packages -->\n'''console\npip install synthdata\n'''\n",
    )
    run.run()
    assert run.ran == 0


def test_a_python_block_that_is_not_python_fails_unless_marked(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = "'''python\n@pytest.mark.synthdata(source, *, rows=100)\n'''\n"
    with pytest.raises(PageError, match="is not Python"):
        _run(tmp_path, pytester, text).run()


def test_a_failing_command_without_shown_output_stops_the_page(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = "'''console\n$ synthdata generate custmer --rows 5\n$ synthdata templates\n'''\n"
    with pytest.raises(PageError, match="exited with 2 and the page shows no output"):
        _run(tmp_path, pytester, text).run()


def test_differing_output_is_reported_and_the_page_goes_on(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = (
        "'''console\n$ synthdata fingerprint customer --rows 5\n0000\n'''\n\n"
        "<!-- docs-test: setup write('hello.json', '{}') -->\n"
        "'''console\n$ synthdata generate custmer\nsynthdata: error: ...unknown template 'custmer'...\n"
        "$ cat hello.json\n{}\n'''\n"
    )
    run = _run(tmp_path, pytester, text)
    run.run()
    assert run.ran == 2
    assert len(run.problems) == 1
    assert "`synthdata fingerprint customer --rows 5` (exit code 0) printed" in run.problems[0]


def test_a_pytest_example_runs_with_the_prelude_and_must_pass(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    passing = (
        "'''python\n@pytest.mark.synthdata('customer', rows=5)\n"
        "def test_signup(synthdata):\n    assert all(signup(c['email']).ok for c in synthdata.records)\n'''\n"
    )
    run = _run(tmp_path, pytester, passing)
    run.run()
    assert run.ran == 1
    failing = passing.replace("assert all", "assert not all")
    with pytest.raises(PageError, match="the pytest example did not pass"):
        _run(tmp_path / "second", pytester, failing).run()


def test_an_unmarked_block_that_is_not_run_is_reported(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = "'''text\nsynthdata: wrote 10 rows\n'''\n\n'''json\n{}\n'''\n"
    run = _run(tmp_path, pytester, text)
    run.run()
    assert [problem.split(":")[1] for problem in run.problems] == ["2", "6"]
    assert "this text block is neither run nor checked" in run.problems[0]
    assert "this json block is neither run nor checked" in run.problems[1]


def test_a_skipped_shown_block_is_not_checked(tmp_path: Path, pytester: pytest.Pytester) -> None:
    text = "<!-- docs-test: skip needs a terminal -->\n'''text\n[####----]\n'''\n"
    run = _run(tmp_path, pytester, text)
    run.run()
    assert (run.ran, run.problems) == (0, [])


def test_output_of_a_command_is_compared_with_the_block(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = (
        "<!-- docs-test: output-of synthdata fingerprint customer --rows 5 -->\n"
        "'''text\n{shown}\n'''\n"
    )
    fingerprint = console.run("synthdata fingerprint customer --rows 5", tmp_path)[1].strip()
    run = _run(tmp_path / "right", pytester, text.format(shown=fingerprint))
    run.run()
    assert (run.ran, run.problems) == (1, [])
    run = _run(tmp_path / "wrong", pytester, text.format(shown="0" * 64))
    run.run()
    assert len(run.problems) == 1
    assert "docs-test: output-of at line 1 printed" in run.problems[0]


def test_output_of_shows_the_last_command_and_the_ones_before_must_succeed(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = "<!-- docs-test: output-of\n{first}\ncat out.jsonl | wc -l\n-->\n'''text\n3\n'''\n"
    generate = "synthdata generate customer --rows 3 --out out.jsonl"
    run = _run(tmp_path, pytester, text.format(first=generate))
    run.run()
    assert (run.ran, run.problems) == (1, [])
    failing = text.format(first=generate.replace("customer", "custmer"))
    with pytest.raises(PageError, match="before the output shown"):
        _run(tmp_path / "second", pytester, failing).run()


def test_pytest_commands_run_in_the_working_folder_with_their_environment(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = (
        "<!-- docs-test: setup write_test('tests/test_a.py', '\"customer\", rows=5') -->\n"
        "<!-- docs-test: output-of excerpt CI=true pytest -->\n"
        "'''text\nsynthdata: backend local, mode none (CI), cache /src/app/.synthdata\n'''\n"
    )
    run = _run(tmp_path, pytester, text)
    run.run()
    assert (run.ran, run.problems) == (1, [])
    assert "CI" not in os.environ


def test_printed_by_shows_what_the_code_prints_and_the_error_it_raises(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = (
        "<!-- docs-test: printed-by\nprint('rows:', 3)\ndict(x=VALUE)['x']['y'] = 1\n-->\n"
        "'''text\nrows: 3\nTypeError: 'NoneType' object does not support item assignment\n'''\n"
    )
    run = _run(tmp_path, pytester, text.replace("VALUE", "None"))
    run.run()
    assert (run.ran, run.problems) == (1, [])
    run = _run(tmp_path / "second", pytester, text.replace("VALUE", "{}"))
    run.run()
    assert "docs-test: printed-by at line 1 printed\n    rows: 3\nbut" in run.problems[0]


def test_a_check_on_a_block_that_runs_itself_is_an_error(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = (
        "<!-- docs-test: output-of synthdata templates -->\n"
        "'''console\n$ synthdata templates\n'''\n"
    )
    with pytest.raises(PageError, match="a console block runs itself"):
        _run(tmp_path, pytester, text).run()


def test_skipped_commands_are_not_run_and_a_prefix_must_match_one(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    text = (
        "<!-- docs-test: skip-command pip install: installs packages -->\n"
        "'''console\npip install synthdata\nsynthdata templates\n'''\n"
    )
    run = _run(tmp_path, pytester, text)
    run.run()
    assert (run.ran, run.problems) == (1, [])
    stale = text.replace("pip install:", "pip uninstall:")
    with pytest.raises(PageError, match="skip-command 'pip uninstall' matches no command"):
        _run(tmp_path / "second", pytester, stale).run()


def test_a_missing_development_tool_leaves_its_command_not_run(
    tmp_path: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "missing_programs", lambda command: command.split()[:1])
    run = _run(tmp_path, pytester, "'''console\nruff check .\n'''\n")
    run.run()
    assert run.not_run == ["`ruff check .` (ruff not installed)"]
    with pytest.raises(PageError, match="jq, which is not installed here"):
        _run(tmp_path / "second", pytester, "'''console\njq . x.json\n'''\n").run()
