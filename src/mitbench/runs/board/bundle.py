"""Result bundles: one ``.tar.gz`` holding what it takes to check a run's numbers.

A bundle is flat (no folders): the run's scores table (``scores.parquet`` and/or ``scores.csv``),
``metrics.json``, ``spec.json``, ``config.yaml``, ``overrides.yaml``, ``report.md`` where the run has
one, and :data:`MANIFEST`: one ``<sha256>  <name>`` line per file, the format ``sha256sum -c`` reads.
:func:`open_bundle` unpacks one into a folder that :func:`mitbench.runs.results.load_run` reads and
reports every file whose hash differs from the manifest; :mod:`mitbench.runs.board.verify` recomputes the
metrics from it.
"""
from __future__ import annotations

import hashlib
import io
import tarfile
import time
from pathlib import Path

from mitbench.models.glm.digests import file_sha256

MANIFEST = "MANIFEST.sha256"
REQUIRED = ("metrics.json", "spec.json", "config.yaml")
OPTIONAL = ("scores.parquet", "scores.csv", "overrides.yaml", "report.md")
MEMBERS = (*REQUIRED, *OPTIONAL, MANIFEST)


def manifest_text(files: dict[str, bytes]) -> str:
    """``<sha256>  <name>`` lines, sorted by name (``sha256sum`` format)."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))


def write_bundle(run_dir: str | Path, out: str | Path) -> Path:
    """Pack a finished ``evaluate`` run into ``out`` (``.tar.gz``).

    Parameters
    ----------
    run_dir : path
        Run folder (the published files are read through its links).
    out : path
        The bundle to write; its folder is created.

    Raises
    ------
    FileNotFoundError
        Naming the run and the file, when a required file or any scores table is missing (an audit
        run has no scores table: its numbers come from generated sequences, not scores).
    """
    d, out = Path(run_dir), Path(out)
    for name in REQUIRED:
        if not (d / name).is_file():
            raise FileNotFoundError(f"run {d}: no {name}; a bundle needs {', '.join(REQUIRED)} and a scores table")
    if not any((d / n).is_file() for n in ("scores.parquet", "scores.csv")):
        raise FileNotFoundError(f"run {d}: no scores.csv or scores.parquet (an audit run, or a run that failed?): "
                                "a bundle is checked by re-summarising its scores, so it needs them")
    files = {name: (d / name).read_bytes() for name in (*REQUIRED, *OPTIONAL) if (d / name).is_file()}
    files[MANIFEST] = manifest_text(files).encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    mtime = time.time()
    with tarfile.open(out, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), mtime, 0o644
            tar.addfile(info, io.BytesIO(data))
    return out


def open_bundle(path: str | Path, into: str | Path) -> list[str]:
    """Unpack bundle ``path`` into folder ``into`` and check it against its manifest.

    Only regular files with the names of :data:`MEMBERS` are read (no paths, links or devices are
    ever written), so a crafted archive cannot write outside ``into``.

    Returns
    -------
    list of str
        Problems, empty when every file is listed in the manifest with the hash of its bytes.

    Raises
    ------
    ValueError
        When ``path`` is not a gzip tar archive, or holds a member that is not one of :data:`MEMBERS`.
    """
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(path, "r:gz") as tar:
            files = {}
            for member in tar.getmembers():
                if not member.isfile() or member.name not in MEMBERS:
                    raise ValueError(f"bundle {path}: unexpected member {member.name!r} (a bundle holds only "
                                     f"the files {', '.join(MEMBERS)})")
                files[member.name] = tar.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError) as err:
        raise ValueError(f"bundle {path}: not a readable .tar.gz ({err})") from None
    for name, data in files.items():
        (into / name).write_bytes(data)
    if MANIFEST not in files:
        return [f"the bundle has no {MANIFEST}"]
    listed = {}
    for line in files[MANIFEST].decode(errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        listed[name.strip()] = digest.strip()
    problems = [f"{name}: SHA-256 {hashlib.sha256(data).hexdigest()[:16]}... differs from the manifest's "
                f"{listed[name][:16]}..." for name, data in sorted(files.items())
                if name in listed and hashlib.sha256(data).hexdigest() != listed[name]]
    problems += [f"{name} is in the bundle but not in its manifest" for name in sorted(files)
                 if name != MANIFEST and name not in listed]
    problems += [f"{name} is in the manifest but not in the bundle" for name in sorted(listed) if name not in files]
    problems += [f"the bundle has no {name}" for name in REQUIRED if name not in files]
    return problems


def main(argv: list[str]) -> None:
    """``mitbench bundle RUN --out x.tar.gz``."""
    import argparse

    parser = argparse.ArgumentParser(prog="mitbench bundle", description=__doc__.splitlines()[0])
    parser.add_argument("run", help="a finished evaluate run folder")
    parser.add_argument("--out", required=True, help="the bundle to write (.tar.gz)")
    args = parser.parse_args(argv)
    try:
        out = write_bundle(args.run, args.out)
    except FileNotFoundError as err:
        raise SystemExit(f"mitbench bundle: {err}") from None
    print(f"bundle: {out} ({out.stat().st_size} bytes, SHA-256 {file_sha256(out)}); check it with mitbench verify {out}")
