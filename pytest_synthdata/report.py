"""What the terminal shows: the header line and the ``synthdata`` summary section.

The header gives the session's settings (command line, ini, environment). When some tests
were served with other settings (a ``synthdata_config`` override), the summary gives one
line per settings used, so the report never attributes a dataset to a mode it was not
served in.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_synthdata.session import SessionLog
from pytest_synthdata.state import state_of
from pytest_synthdata.validation import prompt_lines


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 dataset``, ``2 datasets``; ``nouns`` for irregular plurals (``entries``)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def pytest_report_header(config: pytest.Config) -> str:
    return f"synthdata: {state_of(config).settings.describe()}"


def pytest_report_collectionfinish(config: pytest.Config, items: list[pytest.Item]) -> list[str]:
    """What each marker's prompt resolved to, under the header, once collection is done."""
    return [f"synthdata: prompt {line}" for line in prompt_lines(items)]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = state_of(config)
    if state.is_worker or not (state.log.events or state.notes):
        return
    terminalreporter.write_sep("-", "synthdata")
    verbose = config.getoption("verbose") > 0
    shared = state.settings.active_shared_cache is not None
    for line in summary_lines(state.log, state.settings.describe(), verbose=verbose, shared=shared):
        terminalreporter.write_line(line)
    for note in state.notes:
        terminalreporter.write_line(note)


def summary_lines(
    log: SessionLog, session_settings: str, *, verbose: bool, shared: bool = False
) -> list[str]:
    """The totals, then (when tests used other settings than the header's) one line per settings.

    With ``verbose``, each dataset's line follows the settings it was served with. ``shared``
    (the session uses a shared cache) always shows how many datasets came from it; otherwise
    that count shows only when some did.
    """
    lines = [f"synthdata: {_figures(log, shared=shared)}"]
    used = log.settings_used()
    if used == [session_settings]:
        return lines + (_dataset_lines(log, "  ") if verbose else [])
    # The header's settings first, then the others in a stable order, whatever ran first.
    for settings in sorted(used, key=lambda used: (used != session_settings, used)):
        part = log.only(settings)
        lines.append(f"  {settings}: {plural(part.tests, 'test')}, {_counts(part, shared=shared)}")
        if verbose:
            lines.extend(_dataset_lines(part, "    "))
    return lines


def _figures(log: SessionLog, *, shared: bool) -> str:
    """``G generated, H cached (S from the shared cache), E errors (D datasets, R rows)``."""
    counts = _counts(log, shared=shared)
    return f"{counts} ({plural(log.datasets, 'dataset')}, {plural(log.rows, 'row')})"


def _counts(log: SessionLog, *, shared: bool) -> str:
    pulled = f" ({log.shared} from the shared cache)" if shared or log.shared else ""
    return f"{log.generated} generated, {log.cached} cached{pulled}, {plural(log.errors, 'error')}"


def _dataset_lines(log: SessionLog, indent: str) -> list[str]:
    return [
        f"{indent}{row['fingerprint'][:12]}  {row['source']}  {plural(row['rows'], 'row')}  "
        f"{row['origin']}  {row['seconds']:.3f}s  ({plural(row['uses'], 'use')})"
        + ("" if row.get("quality") is None else f"  quality {row['quality']:.2f}")
        + ("" if row.get("prompt") is None else f"  (prompt {row['prompt']})")
        for row in log.per_dataset()
    ]
