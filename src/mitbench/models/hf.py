"""Loading Hugging Face checkpoints (hub id or local folder) the one way every gLM scorer uses.

A hub id and a local ``save_pretrained`` folder go through the same calls
(``from_pretrained(path, revision=...)``), so tests with tiny local models exercise the hub path.
Remote code runs only when the user passes ``model.trust_remote_code=true``.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import logging
import re
from pathlib import Path
from typing import Any

import torch
from torch import nn

log = logging.getLogger(__name__)

OFFLINE_HELP = (
    "Could not load {what} {path!r}{at}. No weights were found locally and the Hugging Face Hub could "
    "not be reached (or HF_HUB_OFFLINE=1 is set). Supply the weights in one of three ways: (1) download "
    "them once on a machine with network access, `{command}`, and copy the Hugging Face cache ($HF_HOME, "
    "default ~/.cache/huggingface) to this machine, then run with HF_HUB_OFFLINE=1; (2) point the config at "
    "a local folder holding config.json, the weights and the tokenizer files: `model.path=/path/to/checkpoint`; "
    "(3) set HF_HOME to a shared cache that already holds them."
)
LOCAL_HELP = ("Could not load {what} from the local folder {path!r}: {why}. A local checkpoint folder holds "
              "config.json, the weights (model.safetensors or pytorch_model.bin) and the tokenizer files, as "
              "written by save_pretrained (e.g. <train_glm run>/hf).")


def offline_help(what: str, path: str, revision: str | None, why: str = "") -> str:
    """The message for a checkpoint that cannot be loaded: a download command that exists
    (``hf download``), ``--revision`` only when one is pinned, and a local folder's own diagnosis."""
    local = Path(path).expanduser()
    if local.is_absolute() or path.startswith((".", "~")) or local.exists():
        reason = why or ("no such folder" if not local.exists() else "it lacks config.json, weights or tokenizer files")
        return LOCAL_HELP.format(what=what, path=path, why=reason)
    command = f"hf download {path}" + (f" --revision {revision}" if revision else "")
    return OFFLINE_HELP.format(what=what, path=path, at=f" at revision {revision}" if revision else "", command=command)

REMOTE_CODE_HELP = (
    "Model {path!r} ships its own modelling/tokenizer code (auto_map in its config: {auto_map}), which "
    "transformers can only run as remote code. Review that code, then rerun with "
    "`model.trust_remote_code=true`. Without remote code transformers would either fail or silently "
    "load the weights into a built-in class with a different architecture."
)

DTYPES = {"float32": torch.float32, "float64": torch.float64, "bfloat16": torch.bfloat16,
          "float16": torch.float16}


def config_dict(path: str, revision: str | None) -> dict[str, Any]:
    """The raw ``config.json`` of a hub id or local folder (no code executed).

    Raises
    ------
    OSError
        With :data:`OFFLINE_HELP` when it cannot be found.
    """
    from transformers import PretrainedConfig

    try:
        cfg, _ = PretrainedConfig.get_config_dict(path, revision=revision)
    except (OSError, ValueError) as err:
        raise OSError(offline_help("model", path, revision)) from err
    return cfg


def source_fingerprint(path: str, revision: str | None) -> str:
    """What pins the weights: the resolved hub commit, or a sha256 of a local folder's files.

    For a local folder every file (weights, config, tokenizer) is hashed, so editing or
    re-saving a checkpoint in place changes the fingerprint and invalidates its cached scores.
    """
    local = Path(path).expanduser()
    if local.is_dir():
        return "sha256:" + hash_folder(local)
    from transformers.utils import cached_file

    resolved = Path(cached_file(path, "config.json", revision=revision))
    commit = resolved.parent.name
    if re.fullmatch(r"[0-9a-f]{40}", commit):
        return "commit:" + commit
    return "sha256:" + hash_folder(resolved.parent)


def hash_folder(folder: Path) -> str:
    """sha256 over the relative paths and contents of all non-hidden files under ``folder``."""
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = f.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        h.update(rel.as_posix().encode() + b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


INITS = ("pretrained", "random")


def random_fingerprint(path: str, revision: str | None, seed: int) -> str:
    """Identity of a random-initialised copy: the architecture config, the seed and the library
    versions that decide how weights are drawn (no weight file is involved)."""
    import transformers

    blob = json.dumps(config_dict(path, revision), sort_keys=True, default=str).encode()
    return (f"random:{hashlib.sha256(blob).hexdigest()}:seed{int(seed)}:torch{torch.__version__}:"
            f"transformers{transformers.__version__}")


def load(path: str, revision: str | None, kind: str, *, trust_remote_code: bool = False,
         dtype: str = "float32", attn_implementation: str | None = None, init: str = "pretrained",
         init_seed: int = 0):
    """Load ``(model, tokenizer)`` in eval mode.

    Parameters
    ----------
    path : str
        Hub id (``org/name``) or local folder.
    revision : str, optional
        Hub branch, tag or commit (ignored for local folders).
    kind : {"causal", "masked"}
        ``AutoModelForCausalLM`` or ``AutoModelForMaskedLM``.
    trust_remote_code : bool
        Allow the checkpoint's own Python code; required where its config has an ``auto_map``.
    dtype : {"float32", "float64", "bfloat16", "float16"}
        Weight dtype.
    attn_implementation : str, optional
        e.g. ``"sdpa"`` or ``"eager"``; None keeps transformers' default (SDPA where supported).
    init : {"pretrained", "random"}
        ``"random"`` builds the architecture from its config alone (``AutoConfig`` ->
        ``from_config``) with weights drawn by the model's own initialiser under
        ``torch.manual_seed(init_seed)`` (the global RNG is restored afterwards): no weight file
        is read, so it works offline and before a hub model's weights are downloaded.
    init_seed : int
        Seed of the random initialisation.
    """
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForMaskedLM, AutoTokenizer

    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {sorted(DTYPES)}, got {dtype!r}")
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    cfg = config_dict(path, revision)
    auto_map = cfg.get("auto_map")
    if auto_map and not trust_remote_code:
        raise ValueError(REMOTE_CODE_HELP.format(path=path, auto_map=auto_map))
    auto = {"causal": AutoModelForCausalLM, "masked": AutoModelForMaskedLM}[kind]
    kwargs: dict[str, Any] = {"revision": revision, "trust_remote_code": trust_remote_code,
                              "dtype": DTYPES[dtype]}
    if attn_implementation:
        kwargs["attn_implementation"] = attn_implementation
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, revision=revision, trust_remote_code=trust_remote_code)
        if init == "random":
            config = AutoConfig.from_pretrained(path, revision=revision, trust_remote_code=trust_remote_code)
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(int(init_seed))
                model = auto.from_config(config, **{k: v for k, v in kwargs.items() if k != "revision"})
        else:
            model = auto.from_pretrained(path, **kwargs)
    except OSError as err:
        raise OSError(offline_help("model", path, revision, str(err).splitlines()[0] if Path(path).exists() else "")) from err
    model.eval()
    return model, tokenizer


def accepts(module: nn.Module, argument: str) -> bool:
    """Whether ``module.forward`` takes ``argument`` (HyenaDNA and Caduceus take no attention_mask)."""
    params = inspect.signature(module.forward).parameters
    return argument in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def split_head(model: nn.Module, probe_ids: torch.Tensor) -> tuple[nn.Module, nn.Module] | None:
    """``(body, head)`` with ``head(body(ids)[0]) == model(ids).logits``, or None.

    Lets a scorer apply the LM head only at the positions it reads (the masked one for PLL),
    instead of at every position of every copy. The split is accepted only if a probe forward
    on ``probe_ids`` (int64 ``(1, L)``) reproduces the full model's logits to 1e-5.
    """
    prefix = getattr(model, "base_model_prefix", "")
    body = getattr(model, prefix, None) if prefix else None
    if not isinstance(body, nn.Module) or body is model:
        return None
    rest = [m for name, m in model.named_children() if m is not body]
    if len(rest) != 1:
        return None
    head = rest[0]
    try:
        with torch.inference_mode():
            full = model(input_ids=probe_ids).logits
            split = head(body(input_ids=probe_ids)[0])
    except Exception as err:  # any mismatch in calling convention: fall back to full logits
        log.info("LM head split unavailable for %s: %s", type(model).__name__, err)
        return None
    if split.shape != full.shape or not torch.allclose(split.float(), full.float(), atol=1e-5, rtol=1e-5):
        return None
    return body, head
