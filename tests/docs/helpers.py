"""What ``<!-- docs-test: setup ... -->`` code can call: the state a page's example assumes.

Each helper works in the current folder, which is the page's working folder while its
examples run (a copy of ``tests/docs/workdir``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.lockfile import LockEntry, write_lock
from synthdata_sdk.cache.store import RECORDS, LocalStore

#: the cache folder the examples use: the default, ``.synthdata`` in the current folder
CACHE_DIR = Path(".synthdata")


def record(source: str, rows: int, seed: int = 0) -> str:
    """Generate a dataset into the cache, as a test run would; returns its fingerprint."""
    dataset = SynthDataClient().generate(source, rows=rows, seed=seed)
    LocalStore(CACHE_DIR).save_dataset(dataset)
    return dataset.fingerprint


def generate(source: str, path: str, rows: int = 100, seed: int = 0) -> None:
    """Write a generated dataset to a file, as ``synthdata generate --out`` does."""
    SynthDataClient().write(source, path, rows=rows, seed=seed)


def corrupt(source: str, rows: int, seed: int = 0) -> None:
    """Change one byte of a cached dataset's records, as a disk error would."""
    fingerprint = SynthDataClient().fingerprint(source, rows=rows, seed=seed)
    path = LocalStore(CACHE_DIR).path_for(fingerprint) / RECORDS
    data = bytearray(path.read_bytes())
    data[1] = ord(" ") if data[1] != ord(" ") else ord("\t")
    path.write_bytes(bytes(data))


def lock(*requests: tuple[str, int]) -> None:
    """Write ``synthdata.lock`` listing the datasets of ``(template, rows)`` requests."""
    client = SynthDataClient()
    entries = []
    for source, rows in requests:
        prepared = client.prepare(source, rows=rows)
        entries.append(
            LockEntry(
                fingerprint=prepared.fingerprint,
                source=prepared.request.source,
                rows=rows,
                seed=0,
                name=prepared.request.name,
            )
        )
    write_lock("synthdata.lock", entries)


def write(path: str, content: str | list[Any]) -> None:
    """Write a file: text as it is, a list as JSON Lines."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, list):
        content = "".join(json.dumps(item) + "\n" for item in content)
    target.write_text(content, encoding="utf-8")


def write_test(path: str, marker: str, name: str = "test_uses_a_dataset", times: int = 1) -> None:
    """A test module: one test marked ``@pytest.mark.synthdata(MARKER)``, run ``times`` times."""
    parametrize = f'@pytest.mark.parametrize("run", range({times}))\n' if times > 1 else ""
    write(
        path,
        f"import pytest\n\n\n{parametrize}@pytest.mark.synthdata({marker})\n"
        f"def {name}(synthdata{', run' if parametrize else ''}):\n"
        "    assert synthdata.rows >= 0\n",
    )


def remove(path: str) -> None:
    """Delete a file."""
    Path(path).unlink()


def plant_identifiers() -> None:
    """Data files under tests/fixtures holding identifiers no safe rule covers.

    These values are made up, but have the shape and check digits of real ones: a
    Luhn-valid card number that is not a published test card, an issuable SSN, a public
    IPv4 address, a checksum-valid IBAN that is not a registry example.
    """
    write(
        "tests/fixtures/customers.csv",
        "id,email,card,notes\n"
        "1,jane.doe@example.com,4111111111111111,first order\n"
        "2,jdoe@gmail.com,4111111111111111,\n"
        "3,ann@example.org,4532015112830366,repeat customer\n"
        "4,bob@example.net,4242424242424242,SSN 123-45-6789 on file\n",
    )
    write(
        "tests/fixtures/logs/events.jsonl",
        [
            {"event": "login", "ip": "192.0.2.10"},
            {"event": "login", "ip": "8.8.8.8"},
            {"event": "logout", "ip": "2001:db8::1"},
        ],
    )
    write(
        "tests/fixtures/registry.json",
        json.dumps(
            {
                "accounts": [
                    {"owner": "A. Example", "iban": "GB82WEST12345698765432"},
                    {"owner": "B. Example", "iban": "GB33BUKB20201555555555"},
                ]
            },
            indent=2,
        ),
    )


def link_entry(source: str, rows: int, seed: int = 0) -> None:
    """Move a cached dataset out of the cache and leave a symbolic link in its place."""
    fingerprint = SynthDataClient().fingerprint(source, rows=rows, seed=seed)
    entry = LocalStore(CACHE_DIR).path_for(fingerprint)
    outside = Path("elsewhere") / entry.name
    outside.parent.mkdir(exist_ok=True)
    entry.rename(outside)
    entry.symlink_to(outside.resolve(), target_is_directory=True)


HELPERS: dict[str, Any] = {
    "record": record,
    "generate": generate,
    "corrupt": corrupt,
    "lock": lock,
    "write": write,
    "write_test": write_test,
    "remove": remove,
    "plant_identifiers": plant_identifiers,
    "link_entry": link_entry,
    "Path": Path,
}
