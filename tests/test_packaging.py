"""Packaging metadata: the interpreter CI runs on is one the package declares, and there is one version."""
import sys
import tomllib
from pathlib import Path

from packaging.specifiers import SpecifierSet

import mitbench

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]


def test_running_python_satisfies_requires_python_and_is_a_classifier():
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"{running}.{sys.version_info.micro}" in SpecifierSet(PYPROJECT["requires-python"])
    assert f"Programming Language :: Python :: {running}" in PYPROJECT["classifiers"]


def test_one_version_string():
    assert mitbench.__version__ == PYPROJECT["version"]
