"""Composing a run's config as an entry point would, and writing Python values as Hydra override values
(shared by the Python API, ``mitbench list`` and every entry point)."""
from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

_PLAIN = re.compile(r"^[A-Za-z0-9_./:+@-][A-Za-z0-9_./:~+@-]*$")  # what Hydra's lexer reads unquoted, as typed


def quoted(text: str) -> str:
    """``text`` as a quoted Hydra override value that composes to exactly ``text``.

    Two layers read it: OmegaConf resolves ``${...}`` (a literal ``${`` is written ``\\${``, and ``k``
    backslashes before it as ``2k``), and Hydra's quoted strings treat backslashes as escapes only
    before a quote (``k`` backslashes before a quote inside are written ``2k + 1``, before the
    closing quote ``2k``). Commas, brackets, braces, ``=`` and spaces need only the quotes.
    """
    text = re.sub(r"(\\*)\$\{", lambda m: "\\" * (2 * len(m.group(1)) + 1) + "${", text)
    text = re.sub(r"(\\*)'", lambda m: "\\" * (2 * len(m.group(1)) + 1) + "'", text)
    text = re.sub(r"(\\+)$", lambda m: "\\" * (2 * len(m.group(1))), text)
    return f"'{text}'"


def _value(value: Any) -> str:
    """A Python value as a Hydra override value (a string that is not a plain word is quoted exactly)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_value(v) for v in value) + "]"
    text = str(value)
    return text if _PLAIN.match(text) else quoted(text)


def overrides_from(kwargs: dict[str, Any], extra: Iterable[str] = ()) -> list[str]:
    """``{"model__path": "/x", "seed": 1}`` -> ``["model.path=/x", "seed=1"]`` plus ``extra`` verbatim."""
    return [f"{k.replace('__', '.')}={_value(v)}" for k, v in kwargs.items()] + list(extra)


def compose(config_name: str, overrides: Sequence[str] = ()):
    """The config an entry point would compose (from the installed package's configs)."""
    from hydra import compose as _compose
    from hydra import initialize_config_module
    from hydra.core.global_hydra import GlobalHydra

    # the resolvers are registered by mitbench/__init__.py, imported before this module

    GlobalHydra.instance().clear()
    with initialize_config_module(config_module="mitbench.conf", version_base="1.3"):
        return _compose(config_name=config_name, overrides=list(overrides))
