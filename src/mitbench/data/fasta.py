"""FASTA reading through one library (``dnaio``, the reader of cutadapt): plain or compressed
(``.gz``, ``.bz2``, ``.xz``, ``.zst``) files, multi-line records.

Every failure is an :class:`~mitbench.data.textio.InputError` (a ``ValueError``) or a
``FileNotFoundError`` that names the file and, where there is one, the line or record: never a
bare ``UnicodeDecodeError`` or a library exception.
"""
from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Iterator

import dnaio

from mitbench.data.textio import InputError


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
        (undecodable bytes), or a truncated/corrupt compressed stream.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    index = -1
    try:
        with dnaio.open(path, mode="r") as reader:
            if not isinstance(reader, dnaio.FastaReader):
                raise InputError(f"{path}: not a FASTA file (records must start with '>')")
            for index, rec in enumerate(reader):
                yield index, rec.name, rec.sequence
    except dnaio.exceptions.FileFormatError as err:
        raise InputError(f"{path}: not valid FASTA ({err})") from None
    except UnicodeDecodeError as err:
        where = f" after record #{index}" if index >= 0 else ""
        raise InputError(f"{path}: bytes that are not text{where} (byte {err.start}: {err.reason}); "
                         "is this a FASTA file?") from None
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        where = f" after record #{index}" if index >= 0 else ""
        raise InputError(f"{path}: unreadable or truncated{where} ({type(err).__name__}: {err})") from None
