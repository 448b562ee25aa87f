"""What the architecture-matched null costs (issue 8 acceptance): at most (n_null + 1)x one run.

Builds a ~1M-parameter random-initialised GPT-2 (hidden 128, 4 layers, character tokenizer) and runs
``mitbench.runs.evaluate.run`` on the default MIT suite (with its placement controls and the composition
references) twice in the same process, alternating, score cache off:

* ``calibration=none``        one run: the model's scores, the references, metrics, report;
* ``calibration=random_init`` the same plus ``n_null`` random-initialised copies (default 19).

Prints one JSON object with both wall times (median of ``--repeats`` alternating pairs), the ratio
and the bound ``n_null + 1``. Tokenization is shared by the copies and the engine is the same.

    python benchmarks/null_cost.py [--repeats 1] [--n-null 19] [--quick]

``--quick`` (CI) checks that the path runs: 2 copies, 40 records, a ~30k-parameter GPT-2; its
ratio is not the acceptance figure.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from mitbench.api import compose
from mitbench.runs.evaluate import run
from mitbench.models.glm import tiny


def timed(overrides: list[str]) -> float:
    t0 = time.perf_counter()
    run(compose("evaluate", overrides))
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--n-null", type=int, default=19)
    ap.add_argument("--quick", action="store_true", help="CI: 2 null copies, a 40-record smoke run, tiny GPT-2")
    args = ap.parse_args(argv)
    # --quick: alpha 0.4 lets 2 copies pass the calibration's level check; limit=40 scores a stratified subset
    quick = ["limit=40", "suite.n_boot=20", "suite.controls=false", "alpha=0.4"] if args.quick else []
    args.n_null = 2 if args.quick else args.n_null
    with tempfile.TemporaryDirectory() as tmp:
        size = dict(hidden=32, layers=2) if args.quick else dict(hidden=128, layers=4)
        path = tiny.causal(Path(tmp) / "gpt2", "gpt2", init=0.02, **size)
        import transformers

        n_params = sum(p.numel() for p in transformers.AutoModelForCausalLM.from_pretrained(path).parameters())
        common = ["model=hf_causal", f"model.path={path}", "model.cache_dir=null", "logger=none",
                  "trainer.enable_progress_bar=false", *quick]
        one, null = [], []
        for k in range(args.repeats):
            one.append(timed([*common, "calibration=none", f"paths.output_dir={tmp}/one{k}"]))
            null.append(timed([*common, f"calibration.n_null={args.n_null}", f"paths.output_dir={tmp}/null{k}"]))
    t1, tn = statistics.median(one), statistics.median(null)
    print(json.dumps({"model_parameters": n_params, "n_null": args.n_null, "one_run_s": round(t1, 2),
                      "run_with_null_s": round(tn, 2), "ratio": round(tn / t1, 2), "bound": args.n_null + 1,
                      "within_bound": tn / t1 <= args.n_null + 1, "one_run_s_all": [round(x, 2) for x in one],
                      "run_with_null_s_all": [round(x, 2) for x in null]}))


if __name__ == "__main__":
    main()
