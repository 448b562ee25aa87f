"""``mitbench list models|suites|datasets``: one line each (name, kind, mode or size, what it needs)."""
from __future__ import annotations

import os
import sys

from importlib import resources

import hydra
from omegaconf import OmegaConf

def options(group: str) -> list[str]:
    """Config names of a group (the YAML files shipped in ``mitbench/conf/<group>``)."""
    folder = resources.files("mitbench").joinpath("conf", group)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _needs(node) -> str:
    missing = [k for k in node if OmegaConf.is_missing(node, k)]
    parts = [f"{k}=" for k in missing]
    path = node.get("path") if not OmegaConf.is_missing(node, "path") and "path" in node else None
    if path:
        parts.append(f"weights of {path}" + (f"@{str(node.get('revision'))[:10]}" if node.get("revision") else ""))
    target = str(node.get("_target_", ""))
    needs = getattr(hydra.utils.get_class(target), "needs", "") if target else ""
    if needs:
        parts.append(needs)
    return ", ".join(parts) or "nothing (offline, CPU)"


def lines(group: str) -> list[str]:
    from mitbench.engine.config import compose

    out = []
    if group == "datasets":
        from mitbench.data.core.datasets import DATASETS

        return [f"{d.name:<14} {d.used_by}  <-  {d.source}" for d in DATASETS]
    names = options({"models": "model", "suites": "suite"}[group])
    width = max(16, *(len(n) + 1 for n in names))
    for name in names:
        cfg = compose("evaluate", [f"{'model' if group == 'models' else 'suite'}={name}"])
        node = cfg.model if group == "models" else cfg.suite
        target = str(node.get("_target_", ""))
        if group == "models":
            cls = hydra.utils.get_class(target)  # the class's own kind and mode: no table of class paths
            kind, mode = cls.category, str(node.get("mode") or cls.mode)
            out.append(f"{name:<{width}} {kind:<9} {mode:<12} needs: {_needs(node)}")
        else:
            kind = "battery" if target.endswith("ProbeBattery") else target.rsplit(".", 1)[-1]
            out.append(f"{name:<{width}} {kind:<20} v{node.get('version')}  needs: {_needs(node)}")
    return out


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in ("models", "suites", "datasets"):
        raise SystemExit("usage: mitbench list models|suites|datasets")
    try:
        print("\n".join(lines(argv[0])), flush=True)
    except BrokenPipeError:  # `mitbench list models | head`: the reader has gone, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
