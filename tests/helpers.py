"""Shared test helpers: the repository root, Hydra composition as the entry points do it, and the
../shared/data location (tests that need it skip with the reason when it is absent)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "src" / "mitbench" / "conf"
SHARED = Path(os.environ.get("MITBENCH_SHARED", ROOT.parent / "shared" / "data"))
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable


def shared_path(*parts: str) -> Path:
    """Path under ../shared/data, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the project's ../shared/data is absent; see README 'Data')")
    return path


def compose(overrides: list[str], config_name: str = "evaluate"):
    """Compose a config exactly as the entry point would, with ``overrides``."""
    from hydra import compose as _compose, initialize_config_dir

    import mitbench  # noqa: F401  (registers mitbench's OmegaConf resolvers)

    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return _compose(config_name=config_name, overrides=overrides)


def visible_files(folder) -> dict[str, bytes]:
    """What a user sees in a run folder: every file reachable through its links, as bytes, without
    the folder's own state (hidden entries, the ``current``/``previous`` links; see mitbench.engine.outputs)."""
    out = {}
    for root, _dirs, files in os.walk(folder, followlinks=True):
        rel = os.path.relpath(root, folder)
        top = rel.split(os.sep)[0]
        if top in ("current", "previous") or (top != "." and top.startswith(".")):
            continue
        for name in files:
            if rel == "." and (name.startswith(".") or name in ("current", "previous")):
                continue
            out[os.path.normpath(os.path.join(rel, name))] = Path(root, name).read_bytes()
    return out
