"""Every option of every config group composes, names constructor arguments that exist, and (when it
needs no download, no file and no GPU) instantiates: a new YAML is tested by this file, not by a list.

Groups are found on disk (``mitbench/conf/<group>/*.yaml`` and ``conf/train_glm/<group>/*.yaml``); each
option is composed in the primary config whose defaults name its group.
"""
from __future__ import annotations

import inspect
from importlib import resources
from pathlib import Path

import hydra
import pytest
from hydra import compose, initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, ListConfig, OmegaConf

import mitbench  # noqa: F401  (registers the resolvers)

CONF = Path(str(resources.files("mitbench").joinpath("conf")))
# primary config -> the folder its groups live in
PRIMARY = {"evaluate": CONF, "audit": CONF, "train_baselines": CONF, "train_glm": CONF / "train_glm"}
MODULE = {"train_glm": "mitbench.conf.train_glm"}  # its own config module (shared groups via hydra.searchpath)
PARTIAL = {"fit"}  # groups whose node is completed at run time (the regressor gets its component then)
SPECIAL = {"_target_", "_partial_", "_recursive_", "_convert_", "_args_"}
# options that need a user's file, a download or a GPU to build; their keys are still checked
NEEDS = {"genome": "???"}


def _groups() -> list[tuple[str, str, str]]:
    """(primary config, group, option) for every YAML option of every group the primary config uses."""
    out, seen = [], set()
    for primary, root in PRIMARY.items():
        cfg = OmegaConf.load(root / f"{primary}.yaml")
        names = set()
        for d in cfg.get("defaults", []):
            if isinstance(d, (dict, DictConfig)):
                for k in d:
                    names.add(str(k).replace("optional ", "").strip())
        for group in sorted(names):
            folder = root / group
            if not folder.is_dir() or folder in seen:  # a shared folder is tested with its first user
                continue
            seen.add(folder)
            out += [(primary, group, p.stem) for p in sorted(folder.glob("*.yaml"))]
    return out


GROUPS = _groups()


def _compose(primary: str, overrides: list[str]) -> DictConfig:
    GlobalHydra.instance().clear()
    with initialize_config_module(config_module=MODULE.get(primary, "mitbench.conf"), version_base="1.3"):
        return compose(config_name=primary, overrides=overrides)


def _target_nodes(node, path="") -> list[tuple[str, DictConfig]]:
    found = []
    if isinstance(node, DictConfig):
        if "_target_" in node:
            found.append((path, node))
        for k in node:
            if not OmegaConf.is_missing(node, k) and not OmegaConf.is_interpolation(node, k):
                found += _target_nodes(node[k], f"{path}.{k}")
    elif isinstance(node, ListConfig):
        for i, v in enumerate(node):
            found += _target_nodes(v, f"{path}[{i}]")
    return found


def _unknown_keys(node: DictConfig) -> list[str]:
    """Keys of a ``_target_`` node its constructor does not take."""
    target = hydra.utils.get_method(node._target_) if not inspect.isclass(_get(node._target_)) else _get(node._target_)
    params = inspect.signature(target).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return []
    return [k for k in node if k not in SPECIAL and k not in params]


def _get(path: str):
    try:
        return hydra.utils.get_class(path)
    except Exception:
        return hydra.utils.get_method(path)


def _offline(node: DictConfig) -> bool:
    """True when building the node needs no user file, download or GPU."""
    text = OmegaConf.to_yaml(node, resolve=False)
    if "???" in text or node.get("revision") or str(node.get("_target_", "")).endswith(("Evo2Scorer", "Evo2Generator")):
        return False
    return not any(OmegaConf.is_missing(n, k) for _, n in _target_nodes(node) for k in n)


def test_groups_are_found_on_disk():
    groups = {(p, g) for p, g, _ in GROUPS}
    assert {("evaluate", "model"), ("evaluate", "suite"), ("audit", "generator"), ("train_baselines", "data"),
            ("train_glm", "model"), ("train_glm", "task")} <= groups
    assert len(GROUPS) >= 69  # 69 options today; a folder that stops being found fails here


@pytest.mark.parametrize("primary,group,option", GROUPS, ids=[f"{p.split('/')[-1]}:{g}={o}" for p, g, o in GROUPS])
def test_option_composes_and_matches_its_constructor(primary, group, option):
    extra = [f"model={option}"] if group == "fit" else []  # fit follows the model (optional fit: ${model})
    cfg = _compose(primary, [f"{group}={option}", *extra])
    node = cfg.get(group) if group in cfg else None
    nodes = _target_nodes(node if isinstance(node, DictConfig) else cfg)
    for path, n in nodes:
        assert not _unknown_keys(n), f"{primary} {group}={option}: {path} passes {_unknown_keys(n)} to {n._target_}"
    if isinstance(node, DictConfig) and "_target_" in node and group not in ("trainer", "logger") and _offline(node):
        built = hydra.utils.instantiate(node, _partial_=group in PARTIAL)
        assert built is not None
