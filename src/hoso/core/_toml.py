"""TOML configuration files with line numbers for their errors.

`tomllib` parses but forgets where a value was. The province policy files and the
working-day override files must name the line of a bad value (DESIGN principle 4:
"validated at start-up with clear errors"), so `Locator` scans the text once and maps
each key path — ("chains", 0, "steps", 1, "role") — to the line where it is written.
It understands what those files use: tables, arrays of tables, dotted keys, inline
tables on one line and multi-line strings and arrays; anything it cannot place falls
back to the line of the nearest enclosing table.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.utils.translation import gettext as _

from hoso.core.errors import DomainError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_NAME = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_NAME}(?:\s*\.\s*{_NAME})*)\s*=(.*)$")
_INLINE_KEY = re.compile(r"""(?:^|[{,])\s*([A-Za-z0-9_\-]+)\s*=""")


class ConfigFileError(DomainError):
    """A configuration file is wrong: which file, which line, which field, and why —
    all in Vietnamese in `message`."""

    code = "config_invalid"

    def __init__(self, file, line: int | None, field: str, message: str):
        self.file = str(file)
        self.line = line
        self.field_path = field
        self.reason = str(message)
        if line:
            text = _("%(file)s, line %(line)d, field “%(field)s”: %(message)s") % {
                "file": self.file, "line": line, "field": field or "-", "message": self.reason}
        else:
            text = _("%(file)s, field “%(field)s”: %(message)s") % {
                "file": self.file, "field": field or "-", "message": self.reason}
        super().__init__(text, field=field or None)


def _split_key(text: str) -> tuple[str, ...]:
    parts, current, quote = [], "", ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
            else:
                current += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return tuple(parts)


class Locator:
    """Line numbers of the key paths of one TOML text."""

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        aot: dict[tuple, int] = {}  # array-of-tables path (without indexes) → last index
        table: tuple = ()
        in_string = ""
        depth = 0  # open brackets of a multi-line array value
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw
            if in_string:
                if in_string in line:
                    in_string = ""
                continue
            if depth > 0:
                depth += _bracket_balance(line)
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                names = _split_key(header.group(2))
                resolved = self._resolve(names, aot)
                if header.group(1) == "[[":
                    bare = tuple(p for p in resolved if not isinstance(p, int))
                    index = aot.get(bare, -1) + 1
                    aot[bare] = index
                    # the array itself is "at" its first block
                    self.lines.setdefault(resolved, number)
                    resolved = (*resolved, index)
                table = resolved
                self.lines.setdefault(table, number)
                continue
            match = _KEY.match(line)
            if not match:
                continue
            path = (*table, *_split_key(match.group(1)))
            self.lines.setdefault(path, number)
            value = match.group(2).strip()
            if value.startswith("{"):
                for key in _INLINE_KEY.findall(value):
                    self.lines.setdefault((*path, key), number)
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    in_string = quote
            if value.startswith("["):
                depth = _bracket_balance(value)

    @staticmethod
    def _resolve(names: tuple[str, ...], aot: dict[tuple, int]) -> tuple:
        """A header's path, with the current index of each enclosing array of tables."""
        resolved: list = []
        bare: list = []
        for name in names:
            bare.append(name)
            resolved.append(name)
            if tuple(bare) in aot and len(bare) < len(names):
                resolved.append(aot[tuple(bare)])
        return tuple(resolved)

    def line(self, path: tuple) -> int | None:
        """The line of `path`, else of its nearest enclosing key or table."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _bracket_balance(text: str) -> int:
    """Open minus closed brackets outside strings and comments."""
    balance, quote = 0, ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch == "[":
            balance += 1
        elif ch == "]":
            balance -= 1
    return balance


def field_name(path: tuple) -> str:
    """("chains", 0, "steps", 1, "role") → "chains[1].steps[2].role" (1-based, as a
    person counts the blocks in the file)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out


def load(path: Path, error: type[ConfigFileError] = ConfigFileError) -> tuple[dict, Locator]:
    """Parse `path`; a missing file or a syntax error is a ConfigFileError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(path, None, "", _("the file does not exist.")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(path, None, "", _("the file cannot be read as UTF-8 text (%(error)s).")
                    % {"error": exc}) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise error(path, int(match.group(1)) if match else None, "",
                    _("this is not valid TOML (%(error)s).") % {"error": exc}) from None
    return data, Locator(text)
