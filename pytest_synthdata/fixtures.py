"""The fixtures: ``synthdata``, ``synthdata_dataset``, ``synthdata_client``, ``synthdata_config``."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest

from pytest_synthdata.config import SynthdataConfig
from pytest_synthdata.markers import (
    DISPLAY_SIGNATURE,
    DatasetSpec,
    MarkerError,
    closest_marks,
    spec_from_arguments,
)
from pytest_synthdata.state import state_of

if TYPE_CHECKING:
    from pytest_synthdata.session import DatasetServer
    from synthdata_sdk import Dataset, SynthDataClient

#: what ``synthdata_dataset`` returns: call it like the marker
DatasetFactory = Callable[..., "Dataset"]


@pytest.fixture(scope="session")
def synthdata_config(pytestconfig: pytest.Config) -> SynthdataConfig:
    """This session's settings (from options, ini and environment).

    Override it in a conftest.py (or a module or class) to change how the tests there are
    served, for example ``return dataclasses.replace(synthdata_config, mode="all")``.
    """
    return state_of(pytestconfig).settings


@pytest.fixture(scope="session")
def synthdata_client(pytestconfig: pytest.Config) -> SynthDataClient:
    """The session's ``SynthDataClient``, for the backend of the session's settings.

    Session-wide, so it does not follow a ``synthdata_config`` override, which may differ from
    one folder to the next; datasets served by ``synthdata`` do follow it.
    """
    state = state_of(pytestconfig)
    return state.client(state.settings)


@pytest.fixture
def _synthdata_server(pytestconfig: pytest.Config, synthdata_config: Any) -> DatasetServer:
    """The server for the settings this test sees.

    Function-scoped on purpose: a session-scoped server would be built once, with the settings
    of whichever test came first, while ``synthdata_config`` may be overridden per folder,
    module or class. Servers are shared by settings value, so this is a dictionary look-up.
    """
    if not isinstance(synthdata_config, SynthdataConfig):
        pytest.fail(
            f"synthdata: the synthdata_config fixture returned a "
            f"{type(synthdata_config).__name__}, not a SynthdataConfig; derive it with "
            "dataclasses.replace(synthdata_config, ...)",
            pytrace=False,
        )
    from synthdata_sdk.errors import SynthDataError

    try:
        return state_of(pytestconfig).server(synthdata_config)
    except SynthDataError as error:
        problem = f"the synthdata_config fixture gives unusable settings: {error}"
    pytest.fail(f"synthdata: {problem}", pytrace=False)


@pytest.fixture
def synthdata(request: pytest.FixtureRequest, _synthdata_server: DatasetServer) -> Any:
    """The dataset of the test's closest ``@pytest.mark.synthdata``.

    One marker gives a read-only ``Dataset``; several markers on the same level give a
    read-only mapping of name to ``Dataset``.
    """
    item = request.node
    assert isinstance(item, pytest.Item)
    _, marks = closest_marks(item)
    if not marks:
        pytest.fail(
            f"synthdata: {item.nodeid} uses the 'synthdata' fixture but has no "
            f"@pytest.mark.synthdata{DISPLAY_SIGNATURE} marker (on the test, its class or "
            "its module)",
            pytrace=False,
        )
    specs = []
    for mark in marks:
        try:
            specs.append(spec_from_arguments(mark.args, mark.kwargs))
        except MarkerError as error:  # pragma: no cover - collection already checked
            pytest.fail(f"synthdata: {item.nodeid}: {error}", pytrace=False)
    if len(specs) == 1:
        return _synthdata_server.serve(specs[0], item)
    named = _names(item, specs, _synthdata_server)
    return MappingProxyType({name: _synthdata_server.serve(spec, item) for name, spec in named})


def _names(
    item: pytest.Item, specs: list[DatasetSpec], server: DatasetServer
) -> list[tuple[str, DatasetSpec]]:
    """Each spec's dataset name, checked before anything is generated.

    Collection already refuses clashes it can see; this catches the rest (a schema file
    that appeared after collection).
    """
    named: list[tuple[str, DatasetSpec]] = []
    seen: set[str] = set()
    for spec in specs:
        name = spec.name or server.prepare(spec, item).request.name
        if not name:
            pytest.fail(
                f"synthdata: {item.nodeid} has several synthdata markers and "
                f"{server.prepare(spec, item).request.source} has no name; give each marker "
                "name=...",
                pytrace=False,
            )
        if name in seen:
            pytest.fail(
                f"synthdata: {item.nodeid} has two synthdata markers named {name!r}; "
                "give them distinct name=... arguments",
                pytrace=False,
            )
        seen.add(name)
        named.append((name, spec))
    return named


@pytest.fixture
def synthdata_dataset(
    request: pytest.FixtureRequest, _synthdata_server: DatasetServer
) -> DatasetFactory:
    """A factory taking the marker's arguments: ``synthdata_dataset("order", rows=50)``."""
    item = request.node
    assert isinstance(item, pytest.Item)

    def make(*args: Any, **kwargs: Any) -> Dataset:
        try:
            spec = spec_from_arguments(args, kwargs)
        except MarkerError as error:
            raise TypeError(f"synthdata_dataset: {error}") from None
        return _synthdata_server.serve(spec, item)

    return make
