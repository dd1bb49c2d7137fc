"""Reading ``{key=value, list=[a, b]}`` text: how a Bedrock agent may spell a nested value.

An agent passes every request-body property as a string; an object or array the model
filled in can arrive as JSON or in this map notation (``{type=object, required=[id]}``).
The notation has no quoting, so a string holding ``,``, ``=``, ``{`` or ``]`` cannot be
read back exactly: such requests belong in the structured session attribute. Reading is
iterative, with a depth limit, so no input can exhaust the stack.
"""

from __future__ import annotations

import re
from typing import Any

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_CLOSERS = {"{": "}", "[": "]"}


class MapTextError(ValueError):
    """The text is not in map notation; the message says where it stopped making sense."""


def parse_map_text(text: str, max_depth: int) -> Any:
    """The value ``text`` spells: dicts, lists, numbers, booleans, None and strings."""
    parser = _Parser(text, max_depth)
    return parser.parse()


def scalar(text: str) -> Any:
    """A bare word as a value: ``null``, ``true``/``false``, a JSON number, else the string."""
    if text == "null":
        return None
    if text in ("true", "false"):
        return text == "true"
    if _NUMBER.fullmatch(text):
        number = float(text)
        return int(text) if re.fullmatch(r"-?[0-9]+", text) else number
    return text


class _Parser:
    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.at = 0
        # open containers, innermost last, each with the key its next value goes under
        self.stack: list[tuple[dict[str, Any] | list[Any], list[str]]] = []
        self.result: Any = None
        self.done = False

    def parse(self) -> Any:
        self.value()
        while not self.done:
            if self._expecting_key():
                self.key()
            self.value()
        self._skip_spaces()
        if self.at != len(self.text):
            raise self.error("unexpected text after the value")
        return self.result

    def _expecting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1][0], dict)

    def key(self) -> None:
        self._skip_spaces()
        end = self.text.find("=", self.at)
        if end < 0:
            raise self.error("expected key=value")
        name = self.text[self.at : end].strip()
        if not name or any(char in name for char in "{}[],"):
            raise self.error(f"expected a key before '=', got {name[:40]!r}")
        self.stack[-1][1].append(name)
        self.at = end + 1

    def value(self) -> None:
        self._skip_spaces()
        char = self._peek()
        if char in _CLOSERS:
            if len(self.stack) >= self.max_depth:
                raise self.error(f"nested deeper than {self.max_depth} levels")
            container: dict[str, Any] | list[Any] = {} if char == "{" else []
            self.stack.append((container, []))
            self.at += 1
            self._skip_spaces()
            if self._peek() == _CLOSERS[char]:
                self.at += 1
                self._close()
            return
        start = self.at
        while self.at < len(self.text) and self.text[self.at] not in ",}]":
            self.at += 1
        if not self.stack and self.at < len(self.text):
            raise self.error("unexpected closing bracket")
        self._attach(scalar(self.text[start : self.at].strip()))
        self._after_value()

    def _close(self) -> None:
        container, _ = self.stack.pop()
        self._attach(container)
        self._after_value()

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.result = value
            self.done = True
            return
        container, keys = self.stack[-1]
        if isinstance(container, dict):
            container[keys.pop()] = value
        else:
            container.append(value)

    def _after_value(self) -> None:
        if self.done:
            return
        self._skip_spaces()
        char = self._peek()
        if char == ",":
            self.at += 1
            return
        opener = "{" if isinstance(self.stack[-1][0], dict) else "["
        if char == _CLOSERS[opener]:
            self.at += 1
            self._close()
            return
        raise self.error(f"expected ',' or {_CLOSERS[opener]!r}")

    def _peek(self) -> str:
        if self.at >= len(self.text):
            raise self.error("the text ends inside a value")
        return self.text[self.at]

    def _skip_spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def error(self, problem: str) -> MapTextError:
        return MapTextError(f"{problem} at character {self.at + 1}")
