"""Reader faults of :mod:`faults`: every reader on truncated, garbled, re-encoded, type-confused and
compressed copies of a good file. Allowed outcomes: the same parse as the intact file (compressed
copies), the project's ``InputError`` naming the file (and line), or a stop on too many excluded
rows. A parse that silently returns less is "data lost"; a format that cannot tell (a FASTA file
cut at a line boundary is valid FASTA) is listed as a limit."""
from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

from mitbench.data.core.textio import InputError

RNG = __import__("random").Random(0)


def _attempt(fn):
    try:
        return "parsed", fn()
    except InputError as err:
        return "InputError", err
    except FileNotFoundError as err:
        return "FileNotFoundError", err
    except ValueError as err:
        return "stopped", err
    except Exception as err:  # noqa: BLE001  (any other type is a finding)
        return "BUG", err


def _garble(data: bytes) -> bytes:
    at = len(data) // 2
    return data[:at] + bytes(RNG.randrange(256) for _ in range(64)) + data[at:]


def _cut_at_line(data: bytes) -> bytes:
    return data[:data.rfind(b"\n", 0, len(data) // 2) + 1]


def _check(row, label: str, fault: str, path: Path, fn, intact_n: int | None, size=len) -> None:
    kind, value = _attempt(fn)
    if kind == "parsed":
        n = size(value)
        lost = n != intact_n
        outcome = f"parsed {n} rows" + (" (same as intact)" if not lost else f" of {intact_n}")
    else:
        msg = str(value)
        lost = kind == "BUG" or (kind != "stopped" and str(path) not in msg)
        outcome = f"{kind}: {msg.replace(str(path.parent) + os.sep, '')[:90]}"
    row(f"{label}: {fault}", outcome, lost, False)


def _variants(good: bytes, text_fault: tuple[bytes, bytes] | None):
    """(fault, bytes) pairs: cut mid-line, 64 random bytes inside, a non-numeric cell, header only, gzip."""
    out = [("cut in half (mid-line)", good[:len(good) // 2]), ("64 random bytes inside", _garble(good))]
    if text_fault:
        out.append(("a non-numeric cell", good.replace(text_fault[0], text_fault[1], 1)))
    out += [("header only", good[:good.find(b"\n") + 1]), ("gzip-compressed", gzip.compress(good)),
            ("gzip cut in half", gzip.compress(good)[:len(gzip.compress(good)) // 2])]
    return out


def training_faults(tmp: Path, row, shared: Path) -> None:
    from mitbench.data.fit.lagator import Lagator2022
    from mitbench.data.fit.urtecho import EXPRESSION, LIBRARY, Urtecho2019

    src = shared / "urtecho2019"
    if not src.is_dir():
        row("urtecho2019 / lagator2022 readers", f"skipped: {src} absent", "none", "none")
        return
    held = dict(test_backgrounds=["bg3514590:3514740", "bg991964:992114"], val_backgrounds=["bg1163421:1163571"])
    intact = len(Urtecho2019(str(src), **held).frame())
    pins = _pins("urtecho2019")
    expr = (src / EXPRESSION).read_bytes()
    first_value = expr.split(b"\n")[1].split(b" ")[5]
    for fault, data in [*_variants(expr, (first_value, b"abc")), ("cut at a line boundary", _cut_at_line(expr))]:
        root = tmp / "urtecho"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(src, root)
        (root / EXPRESSION).write_bytes(data)
        for pinned in (True, False):
            if pinned and fault not in ("cut in half (mid-line)", "cut at a line boundary"):
                continue
            label = "urtecho2019 expression" + (" (pinned SHA-256)" if pinned else " (data.sha256=null)")
            fn = lambda: Urtecho2019(str(root), **held, sha256=pins if pinned else None).frame()
            kind, value = _attempt(fn)
            if kind == "parsed" and fault == "cut at a line boundary" and not pinned:
                row(f"{label}: {fault}", f"parsed {len(value)} of {intact} rows: a clean cut is a valid table; "
                    "only the pinned SHA-256 (the default) detects it", "limit: pins off", "none")
            else:
                _check(row, label, fault, root / EXPRESSION, fn, intact)
    lib = (src / LIBRARY).read_bytes()
    root = tmp / "urtecho"
    (root / EXPRESSION).write_bytes(expr)
    (root / LIBRARY).write_bytes(lib[:len(lib) // 2])
    _check(row, "urtecho2019 library (data.sha256=null)", "cut in half", root / LIBRARY,
           lambda: Urtecho2019(str(root), **held).frame(), intact)

    src = shared / "lagator2022"
    good = (src / "Pl_constitutive.csv").read_bytes()
    intact = len(Lagator2022(str(src), "Pl").frame())
    value = good.split(b"\n")[1].split(b",")[3]
    for fault, data in _variants(good, (b"," + value + b",", b",abc,")):
        root = tmp / "lagator"
        root.mkdir(exist_ok=True)
        (root / "Pl_constitutive.csv").write_bytes(data)
        _check(row, "lagator2022 Pl (data.sha256=null)", fault, root / "Pl_constitutive.csv",
               lambda: Lagator2022(str(root), "Pl").frame(), intact)


def _pins(name: str) -> dict:
    from omegaconf import OmegaConf

    root = Path(__file__).resolve().parents[1] / "src" / "mitbench" / "conf" / "data"
    return dict(OmegaConf.load(root / f"{name}.yaml").sha256)


def _precomputed(path: Path):
    """Scores of a file bound to the 40 records ``s000..s039`` as evaluate binds them."""
    from mitbench.data.core.records import SequenceRecord
    from mitbench.models.precomputed import PrecomputedScorer

    scorer = PrecomputedScorer(str(path))
    scorer.check_records([SequenceRecord(f"s{i:03d}", "DE"[i % 2], "ACGT") for i in range(40)])
    return scorer.scores


def sequence_faults(tmp: Path, row, shared: Path) -> None:
    from mitbench.data.mit.external import read_external

    fasta = "".join(f">s{i:03d} class={'DE'[i % 2]}\n{'ACGT' * 25}\n" for i in range(40)).encode()
    items = [{"id": f"s{i:03d}", "sequence": "ACGT" * 25, "class_label": "DE"[i % 2]} for i in range(40)]
    cases = {
        "FASTA (suite=external)": ("in.fa", fasta, read_external, len, None),
        "class JSON (suite=external)": ("in.json", json.dumps(items, indent=1).encode(), read_external, len, None),
        "precomputed JSON": ("s.json", json.dumps({f"s{i:03d}": -1.5 * i for i in range(40)}, indent=1).encode(),
                             _precomputed, len, (b"-1.5", b'"abc"')),
        "precomputed CSV": ("s.csv", ("id,score\n" + "".join(f"s{i:03d},{-1.5 * i}\n" for i in range(40))).encode(),
                            _precomputed, len, (b"-1.5", b"abc")),
    }
    for label, (name, good, reader, size, bad_cell) in cases.items():
        variants = _variants(good, bad_cell)
        variants += [("UTF-16 encoded", good.decode().encode("utf-16")), ("random bytes", os.urandom(2000)),
                     ("last line cut inside its last field", good.rstrip(b"\n")[:-1])]
        if "JSON" in label:
            confused = json.loads(good)
            first = next(iter(confused)) if isinstance(confused, dict) else 0
            if isinstance(confused, list):
                confused[3]["id"], confused[5]["class_label"] = 17, ["D"]
            else:
                confused[first] = [1.0]
            variants.append(("wrongly typed fields", json.dumps(confused).encode()))
        for fault, data in variants:
            path = tmp / "seq" / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            kind, value = _attempt(lambda: reader(path))
            if kind == "parsed" and (fault.startswith("last line") or label.startswith("FASTA") and fault.startswith("cut")):
                row(f"{label}: {fault}", f"parsed {size(value)} of 40 records, the last value shortened: a file "
                    "cut inside its last value is still valid (n per class is in metrics.json; layout-bound "
                    "models refuse a short sequence)", "limit: format", "none")
            else:
                _check(row, label, fault, path, lambda: reader(path), 40, size)


def regulondb_faults(tmp: Path, row, shared: Path) -> None:
    from mitbench.data.mit.regulondb import read_promoter_set

    src = shared / "regulondb" / "PromoterSet.txt"
    if not src.is_file():
        row("RegulonDB reader", f"skipped: {src} absent", "none", "none")
        return
    good = src.read_bytes()
    intact = len(read_promoter_set(src))
    for fault, data in _variants(good, None) + [("cut at a line boundary", _cut_at_line(good))]:
        path = tmp / "PromoterSet.txt"
        path.write_bytes(data)
        kind, value = _attempt(lambda: read_promoter_set(path))
        if kind == "parsed" and fault == "cut at a line boundary":
            row(f"RegulonDB PromoterSet: {fault}", f"parsed {len(value)} of {intact} promoters (valid file; the "
                "count is in the MIT natural classes' metadata)", "limit: format", "none")
        elif fault != "header only":
            _check(row, "RegulonDB PromoterSet", fault, path, lambda: read_promoter_set(path), intact)


def ambiguity_faults(tmp: Path, row) -> None:
    """Inputs that parse but say two things (a key twice: readers kept the last), manifests with a
    byte-order mark or compression, and a decompression bomb (read under a 16 MiB limit)."""
    from mitbench.data.mit.external import read_external
    from mitbench.data.audit.generated import read_manifest

    folder = tmp / "ambiguous"
    folder.mkdir(exist_ok=True)
    items = ",".join('{"id": "s%d", "sequence": "ACGT", "class_label": "%s"}' % (i, "DE"[i % 2]) for i in range(4))
    cases = [("score JSON with record 's1' twice", "s.json", b'{"s0": 1.0, "s1": 2.0, "s1": -9.0}',
              lambda p: _precomputed_ids(p), 2),
             ("class JSON item with class_label twice", "c.json",
              ("[" + items[:-1] + ', "class_label": "D"}]').encode(), read_external, 4),
             ("FASTA header with class= twice", "x.fa", b">s0 class=D\nACGT\n>s1 class=D class=E\nACGT\n",
              read_external, 2)]
    for fault, name, data, reader, n in cases:
        path = folder / name
        path.write_bytes(data)
        kind, value = _attempt(lambda: reader(path))
        if kind == "parsed":
            row(fault, f"parsed {len(value)} of {n}: one of the two values silently dropped", True, False)
        else:
            msg = str(value)
            row(fault, f"{kind}: {msg.replace(str(folder) + os.sep, '')[:90]}", kind == "BUG" or str(path) not in msg,
                False)
    manifest = "id\tsource_window\tseed_len\ng1\tc:0-12\t4\n"
    for fault, name, data in (("manifest with a byte-order mark", "m.tsv", manifest.encode("utf-8-sig")),
                              ("gzip-compressed manifest", "m.tsv.gz", gzip.compress(manifest.encode()))):
        path = folder / name
        path.write_bytes(data)
        kind, value = _attempt(lambda: read_manifest(path))
        good = kind == "parsed" and value == [{"id": "g1", "source_window": "c:0-12", "seed_len": "4"}]
        row(fault, "parsed like the plain file" if good else f"{kind}: {str(value)[:80]}", not good, False)
    path = folder / "bomb.fa.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:  # 256 MiB of one record from ~250 kB
        fh.write(b">s0 class=D\n")
        for _ in range(256):
            fh.write(b"A" * (1 << 20))
    old = os.environ.get("MITBENCH_MAX_INPUT_BYTES")
    os.environ["MITBENCH_MAX_INPUT_BYTES"] = "16M"
    try:
        kind, value = _attempt(lambda: read_external(path))
    finally:
        os.environ.pop("MITBENCH_MAX_INPUT_BYTES") if old is None else os.environ.update(MITBENCH_MAX_INPUT_BYTES=old)
    row(f"gzip bomb: {path.stat().st_size // 1024} kB FASTA expanding to 256 MiB (MITBENCH_MAX_INPUT_BYTES=16M)",
        f"{kind}: {str(value)[len(str(path)) + 2:][:70]}" if kind != "parsed" else "read whole: no limit",
        kind == "parsed", False)


def _precomputed_ids(path: Path):
    from mitbench.models.precomputed import load_score_file

    return load_score_file(path)[1]


def reader_faults(tmp: Path, row, shared: Path) -> None:
    training_faults(tmp, row, shared)
    sequence_faults(tmp, row, shared)
    regulondb_faults(tmp, row, shared)
    ambiguity_faults(tmp, row)
