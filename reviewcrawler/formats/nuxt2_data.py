"""Nuxt 2's page data (``window.__NUXT__ = ...``) read without running JavaScript.

Nuxt 2 writes either an object literal or, to share repeated values, a
function called with them::

    window.__NUXT__=(function(a,b,c){return {data:[{title:"Arrival",score:a}],x:b}}(81,null,"y"));

This reads JavaScript literals (objects with bare or quoted keys, arrays,
single- or double-quoted strings with escapes, numbers, true/false/null,
``!0``/``!1``, undefined, ``void 0``) and binds the function's parameters to its arguments.
Statements before the ``return`` (``a.b=c;``) are skipped, and anything else it
cannot read (calls, expressions) becomes None: the data is a best effort beside
the page's markup, never a reason to fail.
"""

from __future__ import annotations

import re
from typing import Any

_ASSIGNMENT = re.compile(r"window\.__NUXT__\s*=\s*")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_FUNCTION = re.compile(r"\(?\s*function\s*\(([^)]*)\)\s*\{")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_CONSTANTS = {"true": True, "false": False, "null": None, "undefined": None, "NaN": None}


class _Reader:
    def __init__(self, text: str, names: dict[str, Any] | None = None) -> None:
        self.text = text
        self.at = 0
        self.names = names or {}

    def skip(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in " \t\r\n;":
            self.at += 1

    def peek(self) -> str:
        self.skip()
        return self.text[self.at] if self.at < len(self.text) else ""

    def value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.obj()
        if char == "[":
            return self.array()
        if char in "\"'":
            return self.string()
        if char == "!":  # minifiers write true and false as !0 and !1
            self.at += 1
            return not self.value()
        if match := _NUMBER.match(self.text, self.at):
            self.at = match.end()
            number = float(match.group(0))
            return int(number) if number.is_integer() and "." not in match.group(0) else number
        if match := _IDENTIFIER.match(self.text, self.at):
            self.at = match.end()
            word = match.group(0)
            if word == "void":
                self.value()
                return None
            if word in _CONSTANTS:
                return _CONSTANTS[word]
            if self.peek() in "(.[":
                self.skip_expression()
                return None
            return self.names.get(word)
        raise ValueError(f"unexpected {char!r} at {self.at}")

    def skip_expression(self) -> None:
        """Skip to the end of the current value (a call or member access we do not run)."""
        depth = 0
        while self.at < len(self.text):
            char = self.text[self.at]
            if char in "\"'":
                self.string()
                continue
            if char in "([{":
                depth += 1
            elif char in ")]}":
                if depth == 0:
                    return
                depth -= 1
            elif char == "," and depth == 0:
                return
            self.at += 1

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char!r} at {self.at}")
        self.at += 1

    def obj(self) -> dict[str, Any]:
        self.expect("{")
        result: dict[str, Any] = {}
        while self.peek() != "}":
            if self.peek() in "\"'":
                key = self.string()
            elif match := (
                _IDENTIFIER.match(self.text, self.at) or _NUMBER.match(self.text, self.at)
            ):
                key, self.at = match.group(0), match.end()
            else:
                raise ValueError(f"bad key at {self.at}")
            self.expect(":")
            result[key] = self.value()
            if self.peek() == ",":
                self.at += 1
        self.at += 1
        return result

    def array(self) -> list[Any]:
        self.expect("[")
        result: list[Any] = []
        while self.peek() != "]":
            result.append(None if self.peek() == "," else self.value())
            if self.peek() == ",":
                self.at += 1
        self.at += 1
        return result

    def string(self) -> str:
        quote = self.text[self.at]
        self.at += 1
        out: list[str] = []
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == quote:
                self.at += 1
                return "".join(out)
            if char == "\\":
                escaped = self.text[self.at + 1 : self.at + 2]
                if escaped == "u":
                    out.append(chr(int(self.text[self.at + 2 : self.at + 6], 16)))
                    self.at += 6
                    continue
                if escaped == "x":
                    out.append(chr(int(self.text[self.at + 2 : self.at + 4], 16)))
                    self.at += 4
                    continue
                out.append(_ESCAPES.get(escaped, escaped))
                self.at += 2
                continue
            out.append(char)
            self.at += 1
        raise ValueError("unterminated string")

    def arguments(self) -> list[Any]:
        self.expect("(")
        values: list[Any] = []
        while self.peek() != ")":
            values.append(self.value())
            if self.peek() == ",":
                self.at += 1
        self.at += 1
        return values


def _function_body_end(text: str, start: int) -> int:
    """Index just after the ``}`` closing the function body that opens before ``start``."""
    reader = _Reader(text)
    reader.at = start
    depth = 1
    while reader.at < len(text):
        char = text[reader.at]
        if char in "\"'":
            reader.string()
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return reader.at + 1
        reader.at += 1
    raise ValueError("unterminated function")


def parse_nuxt(script: str) -> Any:
    """The data a ``window.__NUXT__`` script assigns; None when it cannot be read."""
    assignment = _ASSIGNMENT.search(script)
    if assignment is None:
        return None
    text = script[assignment.end() :]
    try:
        function = _FUNCTION.match(text)
        if function is None:
            return _Reader(text).value()
        params = [p.strip() for p in function.group(1).split(",") if p.strip()]
        body_end = _function_body_end(text, function.end())
        body = text[function.end() : body_end - 1]
        call = _Reader(text)
        call.at = body_end
        if call.peek() == ")":  # (function(){...})(args) rather than (function(){...}(args))
            call.at += 1
        args = call.arguments() if call.peek() == "(" else []
        names = dict(zip(params, args + [None] * (len(params) - len(args)), strict=False))
        reader = _Reader(body, names)
        reader.at = _last_top_level_return(body)
        return reader.value()
    except (ValueError, IndexError, RecursionError):
        return None


def _last_top_level_return(body: str) -> int:
    """Where the value of the function's top-level ``return`` starts."""
    reader = _Reader(body)
    depth = 0
    found = -1
    while reader.at < len(body):
        char = body[reader.at]
        if char in "\"'":
            reader.string()
            continue
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        elif depth == 0 and body.startswith("return", reader.at):
            found = reader.at + len("return")
        reader.at += 1
    if found < 0:
        raise ValueError("no return")
    return found


def script_text(scripts: list[str]) -> str | None:
    """The script that assigns ``window.__NUXT__``, among a page's scripts."""
    return next((s for s in scripts if "__NUXT__" in s and _ASSIGNMENT.search(s)), None)
