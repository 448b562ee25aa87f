"""Reading user files for every reader: plain or compressed, decoded and split with errors that
name the file and the line.

Every malformed input raises :class:`InputError` (a ``ValueError``) whose message starts with the
file's path and, where there is one, the line or record: never a bare ``UnicodeDecodeError``,
``JSONDecodeError``, ``csv.Error``, ``KeyError`` or ``EOFError``. Compression is recognised by
its magic bytes (gzip, bzip2, xz), so ``scores.csv.gz`` and a gzip file without the suffix both work.

Size: no reader holds more than :func:`max_input_bytes` of (decompressed) content, 4 GiB unless the
environment variable ``MITBENCH_MAX_INPUT_BYTES`` says otherwise (bytes, or with a ``K``/``M``/``G``
suffix): a 10-kB gzip bomb that expands to terabytes stops with an ``InputError`` after the limit,
before memory runs out. JSON objects with a key twice are refused (``json`` would keep the last).
"""
from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import math
import os
import zlib
from pathlib import Path
from typing import Any, BinaryIO, Sequence

_MAGIC = ((b"\x1f\x8b", gzip.open, "gzip"), (b"BZh", bz2.open, "bzip2"), (b"\xfd7zXZ\x00", lzma.open, "xz"))
DECOMPRESS_ERRORS = (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError)
MAX_INPUT_ENV = "MITBENCH_MAX_INPUT_BYTES"
DEFAULT_MAX_INPUT_BYTES = 4 << 30
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
MISSING = frozenset({"", "na", "nan", "null", "none"})  # cells read as a missing number (case-insensitive)
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")


class InputError(ValueError):
    """A malformed input file; the message names the file and, where there is one, the line or record."""


def base_suffix(path: str | Path) -> str:
    """The format suffix of ``path`` under any compression suffix: ``a.csv.gz`` -> ``.csv``."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    while suffixes and suffixes[-1] in COMPRESSED_SUFFIXES:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def parse_size(text: str, name: str) -> int:
    """Bytes from ``"1000000"``, ``"512M"``, ``"8G"`` or ``"8GiB"`` (binary units); ``name`` names the
    setting in the error.

    Raises
    ------
    ValueError
        If ``text`` is not a positive size.
    """
    raw = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = raw[-1] if raw and raw[-1] in _UNITS else ""
    try:
        value = int(float(raw[:len(raw) - len(unit)]) * _UNITS[unit])
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{name}={text!r} is not a size in bytes (e.g. 8G)")
    return value


def max_input_bytes() -> int:
    """The most bytes a reader takes from one input after decompression (``$MITBENCH_MAX_INPUT_BYTES``).

    Raises
    ------
    ValueError
        If the variable is set to something that is not a positive size (``1000000``, ``512M``, ``8G``).
    """
    raw = os.environ.get(MAX_INPUT_ENV, "").strip()
    return parse_size(raw, MAX_INPUT_ENV) if raw else DEFAULT_MAX_INPUT_BYTES


class _Bounded(io.RawIOBase):
    """A read-only stream that raises :class:`InputError` once more than ``limit`` bytes came out of ``inner``."""

    def __init__(self, inner: BinaryIO, path: Path, limit: int, kind: str) -> None:
        super().__init__()
        self.inner, self.path, self.limit, self.kind, self.seen = inner, path, limit, kind, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.inner.readinto(buffer)
        self.seen += n
        if self.seen > self.limit:
            what = f" after {self.kind} decompression (a decompression bomb?)" if self.kind != "plain" else ""
            raise InputError(f"{self.path}: more than {self.limit:,} bytes{what}; no reader takes more than "
                             f"{MAX_INPUT_ENV} bytes of one input. Raise it for a genuinely larger file "
                             f"({MAX_INPUT_ENV}=16G)")
        return n

    def close(self) -> None:
        self.inner.close()
        super().close()


def open_input(path: str | Path, limit: int | None = None) -> tuple[BinaryIO, str]:
    """``(stream, kind)``: the content of ``path`` as a binary stream, decompressed when it starts
    with gzip, bzip2 or xz magic bytes (``kind`` is ``"gzip"``, ``"bzip2"``, ``"xz"`` or ``"plain"``).

    Reading more than ``limit`` bytes (default :func:`max_input_bytes`) raises :class:`InputError`;
    so do a truncated or damaged compressed stream's errors when the caller maps
    :data:`DECOMPRESS_ERRORS` (:func:`read_bytes` does).

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    limit = max_input_bytes() if limit is None else int(limit)
    with open(path, "rb") as fh:
        head = fh.read(6)
    for magic, opener, kind in _MAGIC:
        if head.startswith(magic):
            return io.BufferedReader(_Bounded(opener(path, "rb"), path, limit, kind), 1 << 20), kind
    return io.BufferedReader(_Bounded(open(path, "rb", buffering=0), path, limit, "plain"), 1 << 20), "plain"


def read_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The content of ``path``, decompressed when it starts with gzip, bzip2 or xz magic bytes.

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file.
    InputError
        If the compressed stream is truncated or damaged, or the content exceeds ``limit`` bytes
        (default :func:`max_input_bytes`).
    """
    stream, kind = open_input(path, limit)
    with stream:
        try:
            return stream.read()
        except InputError:
            raise
        except DECOMPRESS_ERRORS as err:
            raise InputError(f"{path}: truncated or damaged {kind} file ({type(err).__name__}: {err})") from None


def read_text(path: str | Path) -> str:
    """``path`` decoded as UTF-8 (a byte-order mark is dropped); see :func:`read_bytes`.

    Raises
    ------
    InputError
        Naming the line of the first byte that is not UTF-8.
    """
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise InputError(f"{path}, line {line}: bytes that are not UTF-8 text (byte {err.start}: {err.reason}); "
                         "is this the right file?") from None


def read_json(path: str | Path) -> Any:
    """Parse a JSON file (plain or compressed).

    Raises
    ------
    InputError
        Naming the line and column of a syntax error.
    """
    text = read_text(path)
    try:
        return json.loads(text, object_pairs_hook=lambda pairs: _unique_keys(pairs, path))
    except InputError:
        raise
    except json.JSONDecodeError as err:
        raise InputError(f"{path}, line {err.lineno} column {err.colno}: not valid JSON ({err.msg})") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
    except ValueError as err:  # e.g. an integer literal longer than Python's digit limit
        raise InputError(f"{path}: not valid JSON ({err})") from None


def _unique_keys(pairs: list[tuple[str, Any]], path: str | Path) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key that occurs twice (``json`` would keep the last value)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            owner = out.get("id") if isinstance(out.get("id"), str) else None
            where = f" in the object of id {owner!r}" if owner else ""
            raise InputError(f"{path}: key {key!r} occurs twice{where}; JSON readers would silently keep "
                             "the last value, so the file is ambiguous")
        out[key] = value
    return out


def read_table(path: str | Path, sep: str | None, required: Sequence[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows of a delimited text table.

    Parameters
    ----------
    path : str or Path
        The file (plain or compressed).
    sep : str or None
        ``","`` or ``"\\t"`` (CSV quoting rules), or None for fields separated by runs of white space.
    required : sequence of str
        Columns the header must have.

    Returns
    -------
    header : list of str
    rows : list of (int, list of str)
        1-based line number and fields of every non-blank data line, in file order.

    Raises
    ------
    InputError
        Naming the file (and line): no header, missing required columns, duplicate column names,
        a row with another number of fields than the header (the last one: the file looks
        truncated), an unbalanced quote.
    """
    return parse_table(read_text(path), str(path), sep, required)


def parse_table(text: str, path: str, sep: str | None,
                required: Sequence[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """:func:`read_table` of text already read; ``path`` names it in messages."""
    lines = split_lines(text)
    if sep is None:
        parsed = [line.split() for line in lines]
    else:
        reader = csv.reader(lines, delimiter=sep, strict=True)
        try:
            parsed = list(reader)
        except csv.Error as err:  # an unbalanced quote
            raise InputError(f"{path}, line {reader.line_num}: not a valid table ({err})") from None
    numbered = [(i, [f.strip() for f in fields]) for i, fields in enumerate(parsed, 1) if any(f.strip() for f in fields)]
    if not numbered:
        raise InputError(f"{path}: empty file (expected a header with columns {list(required)})")
    (_, header), rows = numbered[0], numbered[1:]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path}: header lacks the column(s) {missing} (it has {header[:12]})")
    if len(set(header)) != len(header):
        raise InputError(f"{path}: duplicate column names in the header {header}")
    for lineno, fields in rows:
        if len(fields) != len(header):
            cut = " (the last line, and the file does not end with a newline: truncated?)" \
                if lineno == len(lines) and not text.endswith(("\n", "\r")) else ""
            raise InputError(f"{path}, line {lineno}: {len(fields)} fields, but the header has {len(header)}{cut}")
    return header, rows


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` split at ``\n``, ``\r\n`` or ``\r`` only (``str.splitlines`` also splits at
    form feeds and Unicode separators, which would shift the line numbers in messages)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def parse_float(text: str, where: str) -> float:
    """A number cell: float, NaN for a missing value (``""``, ``NA``, ``NaN``, ``null``, ``None``).

    Raises
    ------
    InputError
        ``where`` (file, line, column) and the cell, if it is not a number.
    """
    if text.strip().lower() in MISSING:
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{where}: {text[:40]!r} is not a number") from None
