"""Loading Hugging Face checkpoints (hub id or local folder) the one way every gLM scorer uses.

A hub id and a local ``save_pretrained`` folder go through the same calls
(``from_pretrained(path, revision=...)``), so tests with tiny local models exercise the hub path.

Guarantees of :func:`load_with_source`:

* Remote code runs only when the user passes ``model.trust_remote_code=true``: every way a
  checkpoint's files can make transformers import code is refused first, naming file and key
  (:mod:`mitbench.models.glm.hf_guard`), and the attention implementation is always passed explicitly.
* The fingerprint names what was loaded: a hub id is resolved to its commit first and loaded at
  that commit; a local folder is hashed first and its files' stat signatures compared after
  loading (:mod:`mitbench.models.glm.digests`), so weights swapped in meanwhile stop the run.
* Weights the checkpoint lacks are not silently drawn at random: transformers would initialise
  them and publish normally; they are refused by name unless ``allow_missing_weights``.
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

from mitbench.models.glm import digests, hf_guard

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

MISSING_HELP = ("Checkpoint {path!r} lacks {n} weight tensor(s) the model needs ({names}); transformers would "
                "initialise them at random and the scores would look normal. Use the complete checkpoint, or "
                "set model.allow_missing_weights=true if random values for exactly these are intended.")

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
    :func:`load_with_source` takes it before loading and checks the files did not change since.
    """
    local = Path(path).expanduser()
    if local.is_dir():
        return "sha256:" + hash_folder(local)
    folder = resolved_folder(path, revision)
    if re.fullmatch(r"[0-9a-f]{40}", folder.name):
        return "commit:" + folder.name
    return "sha256:" + hash_folder(folder)


def resolved_folder(path: str, revision: str | None) -> Path:
    """The local snapshot folder of a hub id at ``revision`` (named by its commit in the HF cache)."""
    from transformers.utils import cached_file

    return Path(cached_file(path, "config.json", revision=revision)).parent


def weight_files(folder: Path) -> list[Path]:
    """The non-hidden files under ``folder`` that :func:`hash_folder` hashes, sorted."""
    return sorted(f for f in folder.rglob("*") if f.is_file()
                  and not any(part.startswith(".") for part in f.relative_to(folder).parts))


def hash_folder(folder: Path) -> str:
    """sha256 over the relative paths and contents of all non-hidden files under ``folder``."""
    h = hashlib.sha256()
    for f in weight_files(folder):
        h.update(f.relative_to(folder).as_posix().encode() + b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


INITS = ("pretrained", "random")


#: config.json keys that say where or how a checkpoint was saved, not what its architecture is
NOT_ARCHITECTURE = ("_name_or_path", "transformers_version", "torch_dtype", "dtype", "_commit_hash")


def random_fingerprint(path: str, revision: str | None, seed: int) -> str:
    """Identity of a random-initialised copy: the architecture config (without the keys of
    :data:`NOT_ARCHITECTURE`), the seed and the library versions that decide how weights are drawn.
    No weight file, path or name enters: two checkpoints of one architecture share their twins."""
    import transformers

    arch = {k: v for k, v in config_dict(path, revision).items() if k not in NOT_ARCHITECTURE}
    blob = json.dumps(arch, sort_keys=True, default=str).encode()
    return (f"random:{hashlib.sha256(blob).hexdigest()}:seed{int(seed)}:torch{torch.__version__}:"
            f"transformers{transformers.__version__}")


def load(path: str, revision: str | None, kind: str, **kwargs):
    """``(model, tokenizer)`` of :func:`load_with_source` (same arguments, same checks)."""
    model, tokenizer, _ = load_with_source(path, revision, kind, **kwargs)
    return model, tokenizer


def load_with_source(path: str, revision: str | None, kind: str, *, trust_remote_code: bool = False,
                     dtype: str = "float32", attn_implementation: str | None = None, init: str = "pretrained",
                     init_seed: int = 0, allow_missing_weights: bool = False):
    """Load ``(model, tokenizer, source)`` in eval mode; ``source`` pins the weights that were loaded.

    Parameters
    ----------
    path : str
        Hub id (``org/name``) or local folder.
    revision : str, optional
        Hub branch, tag or commit (ignored for local folders).
    kind : {"causal", "masked"}
        ``AutoModelForCausalLM`` or ``AutoModelForMaskedLM``.
    trust_remote_code : bool
        Allow code the checkpoint names (:mod:`mitbench.models.glm.hf_guard`): ``auto_map``, Hub
        attention kernels, quantization backends, ...
    dtype : {"float32", "float64", "bfloat16", "float16"}
        Weight dtype.
    attn_implementation : str, optional
        e.g. ``"sdpa"`` or ``"eager"``; None: SDPA where the class supports it, else eager
        (transformers' default), passed explicitly so ``config.json`` cannot choose.
    init : {"pretrained", "random"}
        ``"random"`` builds the architecture from its config alone (``AutoConfig`` ->
        ``from_config``) with weights drawn by the model's own initialiser under
        ``torch.manual_seed(init_seed)`` (the global RNG is restored afterwards): no weight file
        is read, so it works offline and before a hub model's weights are downloaded.
    init_seed : int
        Seed of the random initialisation.
    allow_missing_weights : bool
        Accept a checkpoint that lacks some of the model's weights (they are drawn at random).

    Returns
    -------
    model, tokenizer, source
        ``source`` as :func:`source_fingerprint` (``commit:<sha>`` or ``sha256:<hex>``), taken
        before loading and verified after; None for ``init="random"`` (no weight file is read).

    Raises
    ------
    ValueError
        Remote code without ``trust_remote_code``; missing weights without ``allow_missing_weights``.
    RuntimeError
        A local checkpoint's files changed while it was being loaded.
    """
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForMaskedLM

    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {sorted(DTYPES)}, got {dtype!r}")
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    config_dict(path, revision)  # a missing checkpoint fails here with the offline help
    hf_guard.refuse_remote_code(path, revision, trust_remote_code)
    auto = {"causal": AutoModelForCausalLM, "masked": AutoModelForMaskedLM}[kind]
    if init == "random":
        return (*_load(path, revision, auto, AutoConfig, init_seed, trust_remote_code, dtype, attn_implementation,
                       allow_missing_weights, random=True), None)
    folder = Path(path).expanduser()
    if not folder.is_dir():
        source = source_fingerprint(path, revision)
        if source.startswith("commit:"):
            revision = source.removeprefix("commit:")  # load exactly the commit the fingerprint names
            return (*_load(path, revision, auto, AutoConfig, init_seed, trust_remote_code, dtype,
                           attn_implementation, allow_missing_weights), source)
        folder = resolved_folder(path, revision)
    files = weight_files(folder)
    before = digests.snapshot(files)
    source = "sha256:" + hash_folder(folder)
    model, tokenizer = _load(path, revision, auto, AutoConfig, init_seed, trust_remote_code, dtype,
                             attn_implementation, allow_missing_weights)
    moved = digests.changed(before, weight_files(folder))
    if moved:
        raise RuntimeError(f"checkpoint {path!r} changed while it was being loaded ({len(moved)} file(s), e.g. "
                           f"{moved[0]}); its fingerprint would not name the weights loaded. Rerun once nothing "
                           "writes into the folder.")
    return model, tokenizer, source


def _load(path, revision, auto, auto_config, init_seed, trust_remote_code, dtype, attn_implementation,
          allow_missing_weights, random: bool = False):
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(path, revision=revision, trust_remote_code=trust_remote_code)
        config = auto_config.from_pretrained(path, revision=revision, trust_remote_code=trust_remote_code)
        attn = hf_guard.attention_for(config, auto, attn_implementation, trust_remote_code)
        kwargs: dict[str, Any] = {"trust_remote_code": trust_remote_code, "dtype": DTYPES[dtype]}
        if attn is not None:
            kwargs["attn_implementation"] = attn
        if random:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(int(init_seed))
                model = auto.from_config(config, **kwargs)
        else:
            model, info = auto.from_pretrained(path, revision=revision, output_loading_info=True, **kwargs)
            missing = sorted(info.get("missing_keys") or ())
            if missing and not allow_missing_weights:
                raise ValueError(MISSING_HELP.format(path=path, n=len(missing), names=", ".join(missing[:8])
                                                     + (", ..." if len(missing) > 8 else "")))
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
