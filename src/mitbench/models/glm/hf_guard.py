"""What a Hugging Face checkpoint's files can make Python import, found before anything is loaded.

"Remote code" is not only ``auto_map``. transformers (5.x) imports code a checkpoint names in:

* ``auto_map`` of ``config.json``, ``tokenizer_config.json`` or a processor config: the repository's
  own modelling, tokenizer or processor modules;
* ``attn_implementation`` (also ``_attn_implementation``, and per sub-config): a value such as
  ``kernels-community/flash-attn`` is a Hub kernel repository whose Python the ``kernels``
  package downloads and imports; ``flash_attention_2`` without ``flash_attn`` installed falls
  back to such a kernel too; likewise ``experts_implementation``;
* ``quantization_config``: a quantizer that imports its backend package (bitsandbytes, GPTQ,
  torchao, ...), some of which load Hub kernels;
* ``custom_pipelines``, ``kernel_config``/``use_kernels``, ``custom_generate``: code named by the repo.

:func:`remote_code_findings` lists every such entry (file, key, value); the loader refuses them all
unless ``model.trust_remote_code=true``, and passes mitbench's own attention implementation
explicitly (:func:`attention_for`) so a value in ``config.json`` can never choose it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator, NamedTuple

CODE_FILES = ("config.json", "tokenizer_config.json", "processor_config.json", "preprocessor_config.json",
              "video_preprocessor_config.json", "feature_extractor_config.json", "image_processor_config.json",
              "generation_config.json")
# names transformers implements itself: attention functions, optionally paged; anything else (a
# "org/repo[@rev][:fn]" Hub kernel, an unknown name) is refused
BUILTIN_ATTENTION = re.compile(r"(paged\|)?(eager|sdpa|flex_attention|flash_attention_\d)")
BUILTIN_EXPERTS = re.compile(r"[a-z][a-z0-9_]*")
ATTENTION_KEYS = ("attn_implementation", "_attn_implementation", "_attn_implementation_internal")
EXPERTS_KEYS = ("experts_implementation", "_experts_implementation", "_experts_implementation_internal")
CODE_KEYS = {"auto_map": "the repository's own Python modules",
             "custom_pipelines": "pipeline classes from the repository",
             "quantization_config": "a quantization backend package (and possibly Hub kernels)",
             "kernel_config": "Hub kernels", "use_kernels": "Hub kernels",
             "custom_generate": "a generation function from the Hub"}

REMOTE_CODE_HELP = (
    "Model {path!r} names code that transformers would import: {findings}. Review that code, then "
    "rerun with `model.trust_remote_code=true`. Without it transformers would either fail, silently "
    "load the weights into a built-in class with a different architecture, or run the code.")


class Finding(NamedTuple):
    """One entry of a checkpoint file that makes transformers import code."""

    file: str
    key: str
    value: Any
    why: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key} = {json.dumps(self.value, default=str)[:80]} ({self.why})"


def _attention_value_ok(value: Any, builtin: re.Pattern) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, dict):  # per sub-config: {"text_config": "sdpa", "": "eager"}
        return all(_attention_value_ok(v, builtin) for v in value.values())
    return isinstance(value, str) and builtin.fullmatch(value) is not None


def scan(obj: Any, file: str, where: str = "") -> Iterator[Finding]:
    """Findings in one parsed JSON file; nested objects (sub-configs such as ``text_config``) too."""
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from scan(item, file, f"{where}[{i}]")
        return
    if not isinstance(obj, dict):
        return
    for key, value in obj.items():
        name = f"{where}.{key}" if where else str(key)
        if key in CODE_KEYS and value not in (None, False, {}, [], ""):
            yield Finding(file, name, value, f"imports {CODE_KEYS[key]}")
        elif key in ATTENTION_KEYS and not _attention_value_ok(value, BUILTIN_ATTENTION):
            yield Finding(file, name, value, "not a built-in attention: a Hub kernel's Python is imported")
        elif key in EXPERTS_KEYS and not _attention_value_ok(value, BUILTIN_EXPERTS):
            yield Finding(file, name, value, "not a built-in experts implementation: a Hub kernel")
        else:
            yield from scan(value, file, name)


def _read(path: str, revision: str | None, name: str) -> Any:
    local = Path(path).expanduser()
    if local.is_dir():
        target = local / name
    else:
        from transformers.utils import cached_file

        found = cached_file(path, name, revision=revision, _raise_exceptions_for_missing_entries=False,
                            _raise_exceptions_for_connection_errors=False)
        target = Path(found) if found else None
    if target is None or not target.is_file():
        return None
    try:
        return json.loads(target.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise ValueError(f"{target}: not valid JSON ({err}); is this a Hugging Face checkpoint?") from None


def remote_code_findings(path: str, revision: str | None) -> list[Finding]:
    """Every entry of the checkpoint's config files (:data:`CODE_FILES`) that makes transformers
    import code (see the module docstring). Reads JSON only; executes nothing."""
    return [f for name in CODE_FILES for f in scan(_read(path, revision, name), name)]


def refuse_remote_code(path: str, revision: str | None, trust_remote_code: bool) -> None:
    """Raise ``ValueError`` naming each finding (file and key) unless ``trust_remote_code``."""
    if trust_remote_code:
        return
    findings = remote_code_findings(path, revision)
    if findings:
        raise ValueError(REMOTE_CODE_HELP.format(path=path, findings="; ".join(map(str, findings))))


def attention_for(config, auto, requested: str | None, trust_remote_code: bool) -> str | None:
    """The attention implementation to pass to transformers explicitly.

    ``requested`` (``model.attn_implementation``) when given: a Hub kernel there is remote code
    too and needs ``trust_remote_code``. Otherwise what transformers would choose by default for a
    built-in class (SDPA where the class supports it, else eager), so ``config.json`` cannot
    choose. None only for a class the repository ships (remote code, trusted explicitly).

    Raises
    ------
    ValueError
        For a requested Hub kernel (or unknown name) without ``trust_remote_code``.
    """
    if requested:
        if not trust_remote_code and not _attention_value_ok(requested, BUILTIN_ATTENTION):
            raise ValueError(f"model.attn_implementation={requested!r} is not a built-in attention: transformers "
                             "would import a Hub kernel's code. Review it, then set model.trust_remote_code=true")
        return requested
    cls = auto._model_mapping.get(type(config), None)
    if cls is None:
        return None
    return "sdpa" if getattr(cls, "_supports_sdpa", False) else "eager"
