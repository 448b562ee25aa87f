"""FASTA reading through one library (``dnaio``, the reader of cutadapt): plain or compressed
(``.gz``, ``.bz2``, ``.xz``, ``.zst``) files, multi-line records.

gzip, bzip2 and xz are decompressed by :func:`mitbench.data.core.textio.open_input`, so no FASTA file
yields more than :func:`~mitbench.data.core.textio.max_input_bytes` (a decompression bomb stops with an
``InputError``); zstd is left to ``dnaio`` (without that bound).

Every failure is an :class:`~mitbench.data.core.textio.InputError` (a ``ValueError``) or a
``FileNotFoundError`` that names the file and, where there is one, the line or record: never a
bare ``UnicodeDecodeError`` or a library exception.
"""
from __future__ import annotations

import gzip
import lzma
import zlib
from pathlib import Path
from typing import Iterator

import dnaio

from mitbench.data.core.textio import InputError, open_input

_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # left to dnaio (no stdlib zstd before Python 3.14)


def iter_fasta(path: str | Path) -> Iterator[tuple[int, str, str]]:
    """Yield ``(index, header, sequence)`` for each record of a FASTA file.

    ``header`` is the text after ``>`` (id and description); ``sequence`` is as written in the
    file (case kept, line breaks removed), possibly empty. Callers validate the alphabet.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    InputError
        Naming the file: not FASTA (e.g. text before the first ``>``, or FASTQ), not text
        (undecodable bytes), a truncated/corrupt compressed stream, or more content than
        :func:`~mitbench.data.core.textio.max_input_bytes`.
    """
    path = Path(path)
    stream, _ = open_input(path)
    with open(path, "rb") as fh:
        zstd = fh.read(4) == _ZSTD_MAGIC
    index = -1
    try:
        with stream, dnaio.open(path if zstd else stream, mode="r") as reader:
            if not isinstance(reader, dnaio.FastaReader):
                raise InputError(f"{path}: not a FASTA file (records must start with '>')")
            for index, rec in enumerate(reader):
                yield index, rec.name, rec.sequence
    except dnaio.exceptions.UnknownFileFormat:  # a stream has no extension: dnaio sniffs the first byte
        raise InputError(f"{path}: not a FASTA file (records must start with '>')") from None
    except dnaio.exceptions.FileFormatError as err:
        raise InputError(f"{path}: not valid FASTA ({err})") from None
    except UnicodeDecodeError as err:
        where = f" after record #{index}" if index >= 0 else ""
        raise InputError(f"{path}: bytes that are not text{where} (byte {err.start}: {err.reason}); "
                         "is this a FASTA file?") from None
    except (EOFError, gzip.BadGzipFile, zlib.error, lzma.LZMAError, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        where = f" after record #{index}" if index >= 0 else ""
        raise InputError(f"{path}: unreadable or truncated{where} ({type(err).__name__}: {err})") from None
