"""One pytest session's datasets: serving them, and what was served (for the summary and lock).

A worker process (pytest-xdist) keeps its own ``SessionLog`` and sends it to the controller,
which merges them; the summary and the lock file are written from the merged log.
"""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from pytest_synthdata.config import SynthdataConfig
from pytest_synthdata.markers import DatasetSpec

if TYPE_CHECKING:
    from synthdata_sdk import SynthDataClient
    from synthdata_sdk.cache import DatasetCache
    from synthdata_sdk.client import PreparedRequest
    from synthdata_sdk.dataset import Dataset


class SynthdataCacheWarning(pytest.PytestWarning):
    """A cache entry was found corrupt and regenerated, or the shared cache could not be used."""


@dataclass
class SessionLog:
    """What this process served: one event per dataset handed to a test, and every request."""

    events: list[dict[str, Any]] = field(default_factory=list)
    used: dict[str, dict[str, Any]] = field(default_factory=dict)
    deselected: int = 0

    def to_json(self) -> dict[str, Any]:
        """A plain-data copy, to travel from an xdist worker to the controller."""
        return {"events": self.events, "used": self.used, "deselected": self.deselected}

    def merge(self, data: Mapping[str, Any]) -> None:
        """Add a worker's log to this one."""
        self.events.extend(data.get("events", []))
        self.used.update(data.get("used", {}))
        self.deselected += int(data.get("deselected", 0))

    # Figures of the summary line ------------------------------------------------------------

    @property
    def served(self) -> list[dict[str, Any]]:
        return [event for event in self.events if event.get("origin")]

    @property
    def generated(self) -> int:
        return sum(1 for event in self.served if event["origin"] == "generated")

    @property
    def cached(self) -> int:
        return sum(1 for event in self.served if event["origin"] != "generated")

    @property
    def shared(self) -> int:
        """Datasets fetched from the shared cache (each once per run, then local or memory)."""
        return sum(1 for event in self.served if event["origin"] == "shared cache")

    @property
    def errors(self) -> int:
        return sum(1 for event in self.events if event.get("error"))

    @property
    def datasets(self) -> int:
        return len({event["fingerprint"] for event in self.served})

    @property
    def rows(self) -> int:
        return sum(int(event["rows"]) for event in self.served)

    @property
    def tests(self) -> int:
        return len({event["test"] for event in self.events})

    def settings_used(self) -> list[str]:
        """The settings (``SynthdataConfig.describe()``) tests were served with."""
        return sorted({str(event.get("settings")) for event in self.events})

    def only(self, settings: str) -> SessionLog:
        """The part of this log served with ``settings``."""
        return SessionLog(
            events=[event for event in self.events if str(event.get("settings")) == settings]
        )

    def per_dataset(self) -> list[dict[str, Any]]:
        """One row per fingerprint: how it first arrived and the time spent fetching it."""
        rank = {"generated": 0, "shared cache": 1, "local cache": 2, "memory": 3}
        found: dict[str, dict[str, Any]] = {}
        for event in self.served:
            row = found.setdefault(
                event["fingerprint"],
                {
                    "fingerprint": event["fingerprint"],
                    "source": event["source"],
                    "rows": event["rows"],
                    "origin": event["origin"],
                    "seconds": 0.0,
                    "uses": 0,
                    "quality": event.get("quality"),
                    "prompt": event.get("prompt"),
                },
            )
            row["uses"] += 1
            row["seconds"] += float(event["seconds"])
            if rank[event["origin"]] < rank[row["origin"]]:
                row["origin"] = event["origin"]
        return sorted(found.values(), key=lambda row: (row["source"], row["fingerprint"]))


class DatasetServer:
    """Turns dataset specs into read-only Datasets for tests, through the configured caches."""

    def __init__(
        self,
        config: SynthdataConfig,
        client: SynthDataClient,
        log: SessionLog,
        run_started: float,
        rootdir: Path,
    ) -> None:
        from synthdata_sdk.cache import DatasetCache, LocalStore

        self.config = config
        #: how this server serves, as the report shows it
        self.settings = config.describe()
        self.client = client
        self.log = log
        self.rootdir = rootdir
        # Offline, the shared cache is not even opened: no client, no call.
        shared = config.active_shared_cache
        self.cache: DatasetCache = DatasetCache(
            client,
            LocalStore(config.cache_dir),
            shared=None if shared is None else shared.open(),
            write_shared=shared is not None and shared.write,
            mode=config.mode,
            run_started=run_started,
            quality=config.quality,
        )
        self._prepared: dict[tuple[Any, ...], PreparedRequest] = {}

    def prepare(self, spec: DatasetSpec, node: pytest.Item) -> PreparedRequest:
        """The request of ``spec``, checked and fingerprinted but not generated, or a test error."""
        from synthdata_sdk.errors import SynthDataError

        try:
            return self._prepare(spec, node)
        except SynthDataError as error:
            problem = f"cannot prepare the dataset: {error}"
        self._fail(node, spec, None, problem)  # outside the except block: no chained traceback

    def serve(self, spec: DatasetSpec, node: pytest.Item) -> Dataset:
        """The dataset for ``spec``, or a test error (pytest.fail) saying what went wrong."""
        from synthdata_sdk.errors import (
            BackendError,
            CacheLocationError,
            CorruptCacheError,
            DatasetNotCachedError,
            SynthDataError,
        )
        from synthdata_sdk.manifest import quality_score

        started = time.perf_counter()
        problem: str | None = None
        prepared = self.prepare(spec, node)
        fingerprint = prepared.fingerprint
        request = prepared.request
        self.log.used[fingerprint] = {
            "source": request.source,
            "name": spec.name or request.name,
            "rows": request.rows,
            "seed": request.seed,
            "locale": request.locale,
            "compliance": list(request.compliance),
        }
        try:
            served = self.cache.get(prepared)
        except DatasetNotCachedError:
            problem = self._not_cached(prepared, node)
        except CorruptCacheError as error:
            problem = self._corrupt(error, node)
        except CacheLocationError as error:  # the cache folder itself: says what to do
            problem = str(error)
        except BackendError as error:
            problem = self._backend_failed(error)
        except SynthDataError as error:
            problem = f"cannot generate the dataset: {error}"
        if problem is not None:
            self._fail(node, spec, fingerprint, problem)
        if served.repaired:
            # Against the test, not this line: that is where a user looks.
            node.warn(
                SynthdataCacheWarning(
                    f"synthdata: cache entry {fingerprint[:12]} ({request.source}) was corrupt "
                    f"({served.repaired}); it was generated again"
                )
            )
        if served.origin == "generated":
            self._attach_trace(node, fingerprint)
        for note in served.notes:
            node.warn(
                SynthdataCacheWarning(f"synthdata: {fingerprint[:12]} ({request.source}): {note}")
            )
        self.log.events.append(
            {
                "settings": self.settings,
                "fingerprint": fingerprint,
                "source": request.source,
                "rows": served.dataset.rows,
                "origin": str(served.origin),
                "seconds": round(time.perf_counter() - started, 6),
                "test": node.nodeid,
                "repaired": served.repaired,
                "quality": quality_score(served.dataset.manifest),
                "prompt": spec.describe_prompt(),
            }
        )
        return served.dataset

    def _attach_trace(self, node: pytest.Item, fingerprint: str) -> None:
        """The agent's trace of the generation just made (``--synthdata-agent-trace``), one
        JSON line per event, in the test's report: shown with its failure, or with ``-rP``."""
        events = self.client.last_trace
        if events:
            text = "\n".join(json.dumps(event, default=str, ensure_ascii=False) for event in events)
            node.add_report_section("setup", f"synthdata agent trace {fingerprint[:12]}", text)

    def _prepare(self, spec: DatasetSpec, node: pytest.Item) -> PreparedRequest:
        spec = spec.resolve()  # a prompt's template or bundle, and rows
        source = resolve_source(spec.source, node, self.rootdir)
        key = (*spec.key(), _source_key(source))
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self.client.prepare(
                source,
                rows=spec.requested_rows(),
                seed=spec.seed,
                locale=spec.locale,
                compliance=spec.compliance,
            )
            self._prepared[key] = prepared
        return prepared

    def _fail(
        self, node: pytest.Item, spec: DatasetSpec, fingerprint: str | None, message: str
    ) -> NoReturn:
        self.log.events.append(
            {
                "settings": self.settings,
                "fingerprint": fingerprint,
                "source": _describe(spec),
                "rows": spec.rows,
                "origin": None,
                "error": message,
                "test": node.nodeid,
            }
        )
        pytest.fail(f"synthdata: {message}", pytrace=False)

    def _record_command(self, node: pytest.Item, options: str = "") -> str:
        return f"pytest --synthdata-mode=new {options}{shlex.quote(node.nodeid)}"

    def _not_cached(self, prepared: PreparedRequest, node: pytest.Item) -> str:
        request = prepared.request
        shared = self.config.shared_cache
        where = f"not in the cache at {self.config.cache_dir}"
        command = self._record_command(node)
        if shared is not None and self.config.offline:
            where += f" (the shared cache {shared.uri} is skipped offline)"
        elif shared is not None:
            where = (
                f"in neither the cache at {self.config.cache_dir} nor the shared cache at "
                f"{shared.uri}"
            )
            command = self._record_command(node, f"{shared.record_options()} ")
        return (
            f"dataset {prepared.fingerprint} ({request.source}, {request.rows} rows, seed "
            f"{request.seed}, locale {request.locale}) is {where}, and mode 'none' never "
            f"generates. Record it from the rootdir with:\n    {command}"
        )

    def _backend_failed(self, error: Exception) -> str:
        if self.cache.mode == "none" and self.cache.shared is not None:
            # In the other modes the resolver generates instead, and only notes the failure.
            return f"the shared cache could not be read, and mode 'none' never generates: {error}"
        return f"cannot generate the dataset: {error}"

    def _corrupt(self, error: Exception, node: pytest.Item) -> str:
        return (
            f"{error}; mode 'none' never generates, so it cannot be repaired here. Record it "
            f"again from the rootdir with:\n    {self._record_command(node)}"
        )


def resolve_source(source: Any, node: pytest.Item, rootdir: Path) -> Any:
    """A schema path is looked up next to the test file first, then at rootdir; templates,
    dicts and models are passed on as they are (the SDK's one rule, ``schema.resolve``)."""
    from synthdata_sdk.schema.resolve import names_a_file
    from synthdata_sdk.schema.resolve import resolve_source as resolve

    if isinstance(source, (str, Path)) and names_a_file(source):
        return resolve(source, [node.path.parent, rootdir]).value
    return source


def _source_key(source: Any) -> Any:
    return ("path", str(source)) if isinstance(source, Path) else None


def _describe(spec: DatasetSpec) -> str:
    source = spec.source
    if spec.prompt is not None:
        return f"prompt {spec.prompt!r}"
    if isinstance(source, type):
        return f"model {source.__name__}"
    if isinstance(source, Mapping):
        title = source.get("title")
        return f"schema {title!r}" if title else "inline schema"
    return repr(str(source))
