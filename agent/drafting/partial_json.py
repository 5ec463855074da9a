"""JSON read while it streams: a grammar-constrained reply (agent/reading/structured.py's response_format)
arrives token by token; `partial_json` reads whatever prefix has arrived as the value it is becoming
(open strings, arrays and objects closed, a key still without its value left out), so the drafting steps
can show a title or a paragraph while the model is still writing it, and keep what was written when the
reply is cut off by its token budget."""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_MISSING = object()


class _Reader:
    def __init__(self, text: str):
        self.text, self.at = text, 0

    def _space(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in " \t\r\n":
            self.at += 1

    def _done(self) -> bool:
        self._space()
        return self.at >= len(self.text)

    def value(self) -> Any:
        if self._done():
            return _MISSING
        char = self.text[self.at]
        if char == "{":
            return self._object()
        if char == "[":
            return self._array()
        if char == '"':
            return self._string()[0]
        return self._scalar()

    def _object(self) -> dict[str, Any]:
        self.at += 1
        out: dict[str, Any] = {}
        while not self._done():
            if self.text[self.at] == "}":
                self.at += 1
                return out
            if self.text[self.at] == ",":
                self.at += 1
                continue
            if self.text[self.at] != '"':
                return out
            key, closed = self._string()
            if not closed or self._done() or self.text[self.at] != ":":
                return out
            self.at += 1
            value = self.value()
            if value is _MISSING:
                return out
            out[key] = value
        return out

    def _array(self) -> list[Any]:
        self.at += 1
        out: list[Any] = []
        while not self._done():
            if self.text[self.at] == "]":
                self.at += 1
                return out
            if self.text[self.at] == ",":
                self.at += 1
                continue
            value = self.value()
            if value is _MISSING:
                return out
            out.append(value)
        return out

    def _string(self) -> tuple[str, bool]:
        self.at += 1
        out: list[str] = []
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char == '"':
                self.at += 1
                return "".join(out), True
            if char == "\\":
                if self.at + 1 >= len(text):
                    break  # an escape cut in half: left for the next token
                code = text[self.at + 1]
                if code == "u":
                    digits = text[self.at + 2:self.at + 6]
                    if len(digits) < 4:
                        break
                    try:
                        out.append(chr(int(digits, 16)))
                    except ValueError:
                        pass
                    self.at += 6
                    continue
                out.append(_ESCAPES.get(code, code))
                self.at += 2
                continue
            out.append(char)
            self.at += 1
        self.at = len(text)
        return "".join(out), False

    def _scalar(self) -> Any:
        start = self.at
        while self.at < len(self.text) and self.text[self.at] not in ",]} \t\r\n":
            self.at += 1
        word = self.text[start:self.at]
        try:
            return json.loads(word)
        except ValueError:
            if self.at >= len(self.text):  # "tru", "12" still being written
                return _MISSING
            return None


def partial_json(text: str) -> Any:
    """The value the streamed JSON `text` is becoming (None before its first character)."""
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        return None
    value = _Reader(text[start:]).value()
    return None if value is _MISSING else value
