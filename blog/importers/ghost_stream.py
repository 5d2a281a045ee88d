"""Walking a Ghost export's JSON as a stream of parse events, row by row.

The export is `{"db": [{"meta": ..., "data": {"posts": [...], ...}}]}` or the database object
without the "db" wrapper, its tables in any order. The events are walked by hand (ijson's
basic_parse, the C backend) so that nesting stays bounded and no path strings are built;
a parse error comes back as one line that says where in the file it is.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from blog.importers.records import ExportRejected

NOT_GHOST = 'this JSON file is not a Ghost export: it has no "meta" and "data"'
# A Ghost export nests about seven deep; a file nested far deeper is crafted, and refusing
# it keeps the walk from recursing without end.
MAX_DEPTH = 32
SNIFF_BYTES = 4096
CHUNK_BYTES = 65536
BOM = codecs.BOM_UTF8

Events = Iterator[tuple[str, Any]]


def rows(
    path: Path, start: int, *, tables: frozenset[str], build: frozenset[str], place_errors: bool
) -> Iterator[tuple[str, Any]]:
    """(table, row) for every row of `tables`, in file order, the row built as a dict for the
    tables in `build` (None for the others); also ("meta", value), ("data", None) and
    ("database", None) as they are met. `start` is sniff()'s offset. With `place_errors`, a
    parse error says its line and column (costing a second read of the file up to it)."""
    with open_export(path) as handle:
        handle.seek(start)
        counted = _Counting(handle)
        try:
            yield from _export(_events(counted), tables, build)
        except ijson.JSONError as error:
            reason = error.args[0] if error.args else "unreadable"
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            reason = (str(reason).strip().splitlines() or ["unreadable"])[0].rstrip(".")[:100]
            where = ""
            if place_errors:
                where = " " + _position(path, start, counted.offset - counted.last)
            raise ExportRejected(f"the file is not valid JSON: {reason}{where}") from None


def open_export(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as error:
        raise ExportRejected(f"cannot read {path.name}: {error.strerror or error}") from None


def sniff(path: Path) -> int:
    """Refuse what is plainly not a JSON export; the offset to parse from (past a BOM)."""
    with open_export(path) as handle:
        head = handle.read(SNIFF_BYTES)
        more = bool(handle.read(1))
    if not head.strip() and not more:
        raise ExportRejected("the file is empty")
    if head.startswith(b"PK\x03\x04"):
        raise ExportRejected("this is a zip archive; unpack it and import the .json file inside")
    if head.startswith(b"\x1f\x8b"):
        raise ExportRejected("this is a gzip archive; unpack it and import the .json file inside")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise ExportRejected("this is a binary file, not a Ghost JSON export") from None
    if b"\x00" in head:
        raise ExportRejected("this is a binary file, not a Ghost JSON export")
    start = len(BOM) if head.startswith(BOM) else 0
    if head[start:].lstrip().startswith(b"<"):
        raise ExportRejected("this looks like XML; use import-wordpress for a WordPress export")
    return start


# The walk over the parse events. Each helper is handed the first event of a value and
# reads the rest of it, so the stream and the JSON structure stay in step.


def _export(
    events: Events, tables: frozenset[str], build: frozenset[str]
) -> Iterator[tuple[str, Any]]:
    event, _ = _next(events)
    if event != "start_map":
        raise ExportRejected(NOT_GHOST)
    for key in _keys(events):
        event, value = _next(events)
        if key == "db" and event == "start_array":
            for event, value in _elements(events):
                if event != "start_map":
                    _skip(events, event, 2)
                    continue
                yield "database", None
                for db_key in _keys(events):
                    event, value = _next(events)
                    yield from _database_key(db_key, event, value, events, 3, tables, build)
        else:  # meta and data straight at the top: the export without its "db" wrapper
            yield from _database_key(key, event, value, events, 1, tables, build)
    for _ in events:  # the parser refuses anything after the object; reading on says so
        raise ExportRejected("the file goes on after the export's end")


def _database_key(
    key: str,
    event: str,
    value: Any,
    events: Events,
    depth: int,
    tables: frozenset[str],
    build: frozenset[str],
) -> Iterator[tuple[str, Any]]:
    if key == "meta":
        yield "meta", _build(events, event, value, depth)
    elif key == "data" and event == "start_map":
        yield "data", None
        for table in _keys(events):
            event, value = _next(events)
            if table not in tables:
                _skip(events, event, depth + 1)
                continue
            if event != "start_array":
                raise ExportRejected(f"the export's {table} is not a list of objects")
            for number, (event, value) in enumerate(_elements(events), 1):
                if event != "start_map":
                    raise ExportRejected(
                        f"the export's {table} is not a list of objects (item {number} is not)"
                    )
                if table in build:
                    yield table, _build(events, event, value, depth + 2)
                else:
                    _skip(events, event, depth + 2)
                    yield table, None
    else:
        _skip(events, event, depth)


def _keys(events: Events) -> Iterator[str]:
    """The keys of the object just opened; the caller reads each value before the next key."""
    for event, value in events:
        if event == "end_map":
            return
        yield value


def _elements(events: Events) -> Iterator[tuple[str, Any]]:
    """The first event of each element of the array just opened; the caller reads the rest."""
    for event, value in events:
        if event == "end_array":
            return
        yield event, value


def _build(events: Events, event: str, value: Any, depth: int) -> Any:
    if event == "start_map":
        _check_depth(depth)
        built: dict[str, Any] = {}
        for key in _keys(events):
            event, value = _next(events)
            built[key] = _build(events, event, value, depth + 1)
        return built
    if event == "start_array":
        _check_depth(depth)
        return [_build(events, event, value, depth + 1) for event, value in _elements(events)]
    return value


def _skip(events: Events, event: str, depth: int) -> None:
    if event not in ("start_map", "start_array"):
        return
    open_ = 1
    for event, _ in events:
        if event in ("start_map", "start_array"):
            open_ += 1
            _check_depth(depth + open_)
        elif event in ("end_map", "end_array"):
            open_ -= 1
            if open_ == 0:
                return


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExportRejected(f"the file nests deeper than {MAX_DEPTH} levels; not a Ghost export")


def _next(events: Events) -> tuple[str, Any]:
    for event in events:
        return event
    raise ExportRejected("the file ends too early")


# Placing a parse error.


class _Counting:
    """A file wrapper that counts the bytes handed to the parser, to place a parse error."""

    def __init__(self, handle: BinaryIO, *, byte_by_byte_from: int | None = None) -> None:
        self.handle = handle
        self.offset = handle.tell()
        self.last = 0
        self.byte_by_byte_from = byte_by_byte_from

    def read(self, size: int = -1) -> bytes:
        if self.byte_by_byte_from is not None and self.offset >= self.byte_by_byte_from:
            size = 1 if size < 0 else min(size, 1)
        data = self.handle.read(size)
        self.offset += len(data)
        self.last = len(data)
        return data


def _events(handle: Any) -> Events:
    return ijson.basic_parse(handle, buf_size=CHUNK_BYTES, use_float=True)


def _position(path: Path, start: int, chunk_start: int) -> str:
    """Parse again, a byte at a time through the failing chunk, to find the failing byte."""
    with open_export(path) as handle:
        handle.seek(start)
        counted = _Counting(handle, byte_by_byte_from=chunk_start)
        try:
            for _ in _events(counted):
                pass
        except ijson.JSONError:
            pass
        offset = max(counted.offset - 1, 0)
        handle.seek(0)
        line, line_start, read = 1, 0, 0
        while read < offset:
            chunk = handle.read(min(CHUNK_BYTES, offset - read))
            if not chunk:
                break
            newlines = chunk.count(b"\n")
            if newlines:
                line += newlines
                line_start = read + chunk.rindex(b"\n") + 1
            read += len(chunk)
    return f"(line {line}, column {offset - line_start + 1})"
