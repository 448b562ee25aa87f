"""``mitbench verify``: recompute a run's metrics from its scores and its suite, and say what differs.

For a bundle (:mod:`mitbench.runs.board.bundle`) or a run folder:

1. (bundles) every file's SHA-256 equals its manifest line;
2. the suite is regenerated from ``config.yaml`` (its ``suite`` node instantiated with Hydra; ``_target_``
   paths of modules that moved are translated, :mod:`mitbench.runs.board.legacy`; a target outside
   ``mitbench`` is refused, so a bundle never runs foreign code), its records rebuilt from their seed
   and version (the ``limit`` subset of a smoke run included), and every record's id and sequence must
   equal a row of the scores table;
3. ``metrics.json``'s suite, version and record count are the regenerated suite's; ``spec.json`` is its spec;
4. the suite's ``summarize`` re-run on the scores table, and its ``verdict`` re-derived from the result,
   must give every value ``metrics.json`` holds for those keys: numbers within 1e-9 (absolute up to
   magnitude 1, relative above), missing/NaN equal to missing/NaN, anything else exactly.

Calibration keys (the random-init null, the panel, the composition references) come from scoring
other networks and are not recomputed: they are covered by the manifest hash, not by re-summarising.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mitbench.runs.board.bundle import open_bundle

TOLERANCE = 1e-9
SHOWN = 8  # differences named in the paragraph; the rest are counted


@dataclass(frozen=True)
class Verification:
    """What :func:`verify_run` / :func:`verify_bundle` found: ``problems`` (empty = verified) and
    ``n_checked`` (metric values compared)."""

    source: str
    problems: tuple[str, ...]
    n_checked: int = 0
    n_records: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def paragraph(self) -> str:
        """One paragraph for a person: verified, or what differs."""
        if self.ok:
            return (f"verified: {self.source}: {self.n_records} records regenerated and matched, {self.n_checked} "
                    f"metric values recomputed within {TOLERANCE:g}.")
        shown = "; ".join(self.problems[:SHOWN])
        more = f"; and {len(self.problems) - SHOWN} more" if len(self.problems) > SHOWN else ""
        return (f"verify FAILED: {self.source}: {len(self.problems)} difference(s) between the results and what "
                f"their scores and suite give: {shown}{more}.")


def same(a: Any, b: Any, tol: float = TOLERANCE) -> bool:
    """Equality of JSON values, numbers within ``tol`` (absolute up to magnitude 1, relative above)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= tol * max(1.0, abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], tol) for k in a)
    return a == b


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _targets(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "_target_"] + [t for v in node.values() for t in _targets(v)]
    return [t for v in node for t in _targets(v)] if isinstance(node, list) else []


def regenerate_suite(config_path: Path):
    """The suite of a run, instantiated from its ``config.yaml``; returns ``(suite, cfg)``.

    Raises
    ------
    ValueError
        When the config has no suite node or names a ``_target_`` outside ``mitbench``.
    """
    import hydra
    from omegaconf import OmegaConf

    from mitbench.runs.board.legacy import translate_targets

    cfg = OmegaConf.to_container(OmegaConf.load(config_path), resolve=False)
    if not isinstance(cfg, dict) or not isinstance(cfg.get("suite"), dict):
        raise ValueError(f"{config_path.name} has no suite node (an audit run? those have no scores to re-summarise)")
    node = translate_targets(cfg["suite"])
    foreign = [t for t in _targets(node) if not str(t).startswith("mitbench.")]
    if foreign:
        raise ValueError(f"{config_path.name} names code outside mitbench ({', '.join(map(str, foreign))}); "
                         "verify instantiates only mitbench's own suites")
    return hydra.utils.instantiate(OmegaConf.create(node)), cfg


def _check_records(records: list, table) -> list[str]:
    """Every regenerated record's id and sequence against the scores table."""
    want = {r.id: r.sequence for r in records}
    have = dict(zip(table["id"].astype(str), table["sequence"].astype(str))) if "sequence" in table else {}
    problems = []
    missing, extra = [i for i in want if i not in have], [i for i in have if i not in want]
    if missing:
        problems.append(f"{len(missing)} regenerated record(s) absent from the scores table (first: {missing[0]})")
    if extra:
        problems.append(f"{len(extra)} row(s) of the scores table are no record of the suite (first: {extra[0]})")
    wrong = [i for i in want if i in have and want[i] and have[i] != want[i]]
    if wrong:
        problems.append(f"{len(wrong)} sequence(s) differ from the regenerated suite's (first: record {wrong[0]})")
    return problems


def _check_values(recomputed: dict[str, Any], stored: dict[str, Any], what: str) -> tuple[list[str], int]:
    problems = [f"metrics.json {key} = {_short(stored.get(key))} but {what} gives {_short(value)}"
                for key, value in recomputed.items() if not same(value, stored.get(key))]
    return problems, len(recomputed)


def verify_run(run_dir: str | Path, source: str | None = None) -> Verification:
    """Recompute a finished ``evaluate`` run's metrics (see the module docstring).

    Parameters
    ----------
    run_dir : path
        A run folder or an unpacked bundle.
    source : str, optional
        What to call it in the paragraph (default: the folder).
    """
    from mitbench.engine.outputs import to_jsonable
    from mitbench.runs.evaluate import stratified_subset
    from mitbench.runs.results import load_run

    d = Path(run_dir)
    source = source or str(d)
    try:
        run = load_run(d)
        suite, cfg = regenerate_suite(d / "config.yaml")
        records = suite.records()
        if cfg.get("limit"):
            records = stratified_subset(records, int(cfg["limit"]))
    except Exception as err:  # noqa: BLE001  (any failure to regenerate is a failed verification, named)
        return Verification(source, (f"the suite could not be regenerated from config.yaml: {type(err).__name__}: "
                                     f"{str(err).splitlines()[0] if str(err) else ''}",))
    m = run.metrics
    problems = [] if suite.score_only else _check_records(records, run.table)
    for key, value in (("suite", suite.name), ("suite_version", suite.version), ("n_sequences", len(records))):
        if not same(m.get(key), value):
            problems.append(f"metrics.json {key} = {_short(m.get(key))} but the regenerated suite has {_short(value)}")
    if not (d / "spec.json").is_file():
        problems.append("the run has no spec.json")
    elif not same(to_jsonable(suite.spec.to_dict()), run.spec):
        problems.append("spec.json differs from the regenerated suite's metric spec")
    try:
        summary = to_jsonable(suite.summarize(run.table))
        verdict = to_jsonable(suite.verdict({**m, **summary}, float(cfg.get("alpha", 0.05)), "n_null" in m))
    except Exception as err:  # noqa: BLE001
        return Verification(source, (*problems, f"summarize failed on the scores table: {type(err).__name__}: {err}"))
    found, n = _check_values(summary, m, "summarize")
    found_v, n_v = _check_values(verdict, m, "the verdict rule")
    return Verification(source, tuple(problems + found + found_v), n + n_v, len(records))


def verify_bundle(path: str | Path) -> Verification:
    """Check a bundle's manifest, then :func:`verify_run` on its contents."""
    with tempfile.TemporaryDirectory(prefix="mitbench-verify-") as tmp:
        try:
            hashes = open_bundle(path, tmp)
        except ValueError as err:
            return Verification(str(path), (str(err),))
        result = verify_run(tmp, source=str(path))
    return Verification(result.source, (*hashes, *result.problems), result.n_checked, result.n_records)


def verify(path: str | Path) -> Verification:
    """A bundle (a file) or a run folder."""
    return verify_bundle(path) if Path(path).is_file() else verify_run(path)


def main(argv: list[str]) -> None:
    """``mitbench verify BUNDLE_OR_RUN...``: one paragraph each; exit status 1 if any fails."""
    parser = argparse.ArgumentParser(prog="mitbench verify", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="bundles (.tar.gz from mitbench bundle) or run folders")
    args = parser.parse_args(argv)
    results = [verify(p) for p in args.paths]
    for r in results:
        print(r.paragraph())
    if not all(r.ok for r in results):
        raise SystemExit(1)
