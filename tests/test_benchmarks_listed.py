"""Every script under benchmarks/ has a quick mode that CI runs (benchmarks/run_quick.py lists it), so a
refactor cannot break one unseen (score_throughput.py once broke that way)."""
import ast
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _constant(name):
    tree = ast.parse((BENCH / "run_quick.py").read_text())
    node = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == name)
    return ast.literal_eval(node)


def test_every_benchmark_is_run_in_quick_mode():
    quick, parts = _constant("QUICK"), set(_constant("PARTS"))
    scripts = {p.stem for p in BENCH.glob("*.py")} - parts
    assert scripts == set(quick), f"benchmarks not run by run_quick.py: {sorted(scripts - set(quick))}"
    for name, (args, _) in quick.items():
        assert "--quick" in args or "--ci" in args, name
        assert "--quick" in (BENCH / f"{name}.py").read_text() or "--ci" in args, name
