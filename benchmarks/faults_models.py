"""Model faults of :mod:`faults`: checkpoint files that name code, weights that change under a
cache key, a checkpoint missing weights, and metrics too large for memory. ``run_all(tmp, row)``.

Each row says whether code named by the checkpoint ran (a marker file its code writes), whether a
score was served or published for weights other than the ones named (results mixed), and whether
a run died on memory (data lost: the run and its scoring time)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import torch


def _attempt(fn) -> tuple[str, object]:
    try:
        return "loaded", fn()
    except Exception as err:  # noqa: BLE001  (the type is what is measured)
        message = re.sub(r"^.*(names code that transformers would import: |' )", "", str(err), count=1)
        return f"refused ({type(err).__name__}: {message[:100]}...)", None


def _bert(tmp: Path, name: str, seed: int = 0) -> Path:
    from mitbench.models.glm import tiny

    return tiny.masked(tmp / name, "bert", "char", seed=seed)


def _edit(path: Path, file: str, **changes) -> None:
    data = json.loads((path / file).read_text())
    data.update(changes)
    (path / file).write_text(json.dumps(data))


def code_faults(tmp: Path, row) -> None:
    from mitbench.models.glm.masked import MaskedLMScorer

    marker = tmp / "KERNEL_RAN"
    kernel = tmp / "fake-kernel"  # stands in for the Hub repo; its __init__.py is what would be imported
    kernel.mkdir()
    (kernel / "metadata.json").write_text(json.dumps({"name": "flash-attn", "id": f"faults_{os.getpid()}",
                                                      "version": 1, "license": "MIT", "python-depends": [],
                                                      "backend": {"type": "cpu"}}))
    (kernel / "__init__.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n"
                                        "def flash_attn_func(*a, **k): raise RuntimeError\n"
                                        "def flash_attn_varlen_func(*a, **k): raise RuntimeError\n")
    path = _bert(tmp, "kernel-cfg")
    _edit(path, "config.json", attn_implementation="kernels-community/flash-attn")
    old = os.environ.get("LOCAL_KERNELS")
    os.environ["LOCAL_KERNELS"] = f"kernels-community/flash-attn={kernel}"
    try:
        outcome, _ = _attempt(lambda: MaskedLMScorer("x", str(path)))
    finally:
        os.environ.pop("LOCAL_KERNELS") if old is None else os.environ.update(LOCAL_KERNELS=old)
    row("config.json attn_implementation=kernels-community/flash-attn (a Hub kernel; kernels installed)",
        outcome, False, False, executed=marker.exists())

    marker = tmp / "TOKENIZER_RAN"
    path = _bert(tmp, "tok-auto-map")
    _edit(path, "tokenizer_config.json", auto_map={"AutoTokenizer": [None, "tok.DnaTokenizer"]})
    (path / "tok.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n"
                                 "from transformers import PreTrainedTokenizerFast\n"
                                 "class DnaTokenizer(PreTrainedTokenizerFast):\n    pass\n")
    outcome, scorer = _attempt(lambda: MaskedLMScorer("x", str(path)))
    if scorer is not None:
        outcome += f" with {type(scorer.tok.tokenizer).__name__}, not the repo's DnaTokenizer"
    row("tokenizer_config.json auto_map -> tok.DnaTokenizer (config.json clean)", outcome, False,
        scorer is not None, executed=marker.exists())


def _scores(scorer, seqs) -> np.ndarray:
    return scorer.predict_step({"ids": [f"s{i}" for i in range(len(seqs))], "sequences": seqs})["scores"].numpy()


def mixing_faults(tmp: Path, row) -> None:
    from transformers import AutoModelForMaskedLM

    from mitbench.models.glm import tiny
    from mitbench.models.glm.dna_tokenizers import random_dna
    from mitbench.models.glm.masked import MaskedLMScorer

    rng = np.random.default_rng(0)
    seqs = [random_dna(rng, 40) for _ in range(8)]
    path, cache = _bert(tmp, "swap"), tmp / "swap-cache"
    original = AutoModelForMaskedLM.from_pretrained.__func__

    def load_then_swap(cls, *args, **kwargs):  # another job re-saves the folder after the weights were read
        loaded = original(cls, *args, **kwargs)
        tiny.masked(path, "bert", "char", seed=1)
        return loaded

    AutoModelForMaskedLM.from_pretrained = classmethod(load_then_swap)
    try:
        outcome, first = _attempt(lambda: MaskedLMScorer("x", str(path), cache_dir=str(cache)))
        if first is not None:
            _scores(first, seqs)
    finally:
        AutoModelForMaskedLM.from_pretrained = classmethod(original)
    served = _scores(MaskedLMScorer("x", str(path), cache_dir=str(cache)), seqs)
    truth = _scores(MaskedLMScorer("x", str(path)), seqs)
    wrong = int((np.abs(served - truth) > 1e-9).sum())
    row("HF folder re-saved while the model loads (cache on); next run on the new weights",
        f"first run {outcome}; next run: {wrong}/{len(seqs)} scores served from the old weights", False, wrong > 0)

    evo_faults(tmp, row, seqs)

    path = _bert(tmp, "missing")
    from safetensors.torch import load_file, save_file

    weights = load_file(path / "model.safetensors")
    save_file({k: v for k, v in weights.items() if ".layer.1." not in k}, path / "model.safetensors",
              metadata={"format": "pt"})
    outcome, scorer = _attempt(lambda: MaskedLMScorer("x", str(path)))
    row("checkpoint lacking one layer's weights (transformers draws them at random)",
        outcome if scorer is None else "loaded: scores of partly random weights published as the checkpoint's",
        False, scorer is not None)


class _Evo:
    """A stand-in for ``evo2.Evo2``: a bigram table read from ``local_path`` (as the package reads its file)."""

    def __init__(self, name, local_path=None):
        self.model = torch.nn.Embedding(512, 512)
        self.model.weight.data.copy_(torch.load(local_path, weights_only=True))
        self.tokenizer = types.SimpleNamespace(tokenize=lambda text: list(text.encode()))

    def __call__(self, ids):
        return (self.model(ids), None), None


def evo_faults(tmp: Path, row, seqs) -> None:
    from mitbench.models.glm.evo2 import Evo2Scorer

    saved = sys.modules.get("evo2"), torch.cuda.is_available
    sys.modules["evo2"], torch.cuda.is_available = types.SimpleNamespace(Evo2=_Evo), lambda: True
    try:
        path, cache = tmp / "evo2_1b_base.pt", str(tmp / "evo-cache")
        torch.save(torch.randn(512, 512, generator=torch.Generator().manual_seed(0)), path)
        _scores(Evo2Scorer("evo2_1b", local_path=str(path), cache_dir=cache), seqs)
        stat = path.stat()
        torch.save(torch.randn(512, 512, generator=torch.Generator().manual_seed(1)), path)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as `cp -p` / `rsync -a` leave it
        served = _scores(Evo2Scorer("evo2_1b", local_path=str(path), cache_dir=cache), seqs)
        truth = _scores(Evo2Scorer("evo2_1b", local_path=str(path)), seqs)
    finally:
        (sys.modules.pop("evo2") if saved[0] is None else sys.modules.update(evo2=saved[0]))
        torch.cuda.is_available = saved[1]
    wrong = int((np.abs(served - truth) > 1e-9).sum())
    row("Evo 2 weights replaced at the same local_path (same size and mtime; cache on)",
        f"{wrong}/{len(seqs)} scores served from the old weights", False, wrong > 0)


_UNPAIRED = """
import resource, time
import numpy as np
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from mitbench.metrics.unpaired import unpaired_block
rng = np.random.default_rng(0)
t0 = time.perf_counter()
m = unpaired_block("css", rng.normal(size={n}), rng.normal(size={n}), n_boot=1000, n_repair=1000)
print(f"{{m['css_auc']:.4f}} in {{time.perf_counter() - t0:.1f}} s")
"""


def memory_faults(tmp: Path, row, n: int = 10_000) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", _UNPAIRED.format(n=n)], capture_output=True, text=True, env=env)
    ok = proc.returncode == 0
    row(f"unpaired CSS statistics of 2 x {n:,} records (n_boot 1000; 2 GiB address-space limit)",
        f"AUC {proc.stdout.strip()}" if ok else f"died: {proc.stderr.strip().splitlines()[-1][:80]}", not ok, False)

    from mitbench.suites.external import ExternalSuite

    fasta = tmp / "many.fa"
    fasta.write_text("".join(f">s{i} class={'DE'[i % 2]}\nACGTACGTAA\n" for i in range(2000)))
    old = os.environ.get("MITBENCH_MAX_MEMORY")
    os.environ["MITBENCH_MAX_MEMORY"] = "1M"  # a node share too small for the metrics
    try:
        outcome, _ = _attempt(lambda: ExternalSuite(str(fasta)).records())
    finally:
        os.environ.pop("MITBENCH_MAX_MEMORY") if old is None else os.environ.update(MITBENCH_MAX_MEMORY=old)
    row("suite=external whose metrics need more than MITBENCH_MAX_MEMORY=1M",
        outcome.replace("loaded", "accepted: would run out of memory after scoring"), outcome == "loaded", False)


def run_all(tmp: Path, row) -> None:
    tmp = Path(tmp) / "models"
    tmp.mkdir()
    print("models: remote code, weights identity, missing weights, memory", flush=True)
    code_faults(tmp, row)
    mixing_faults(tmp, row)
    memory_faults(tmp, row)
    shutil.rmtree(tmp, ignore_errors=True)
