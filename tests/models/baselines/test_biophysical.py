"""BiophysicalScorer: configs, checkpoints, length checks, identity, mixed lengths."""
import hydra
import numpy as np
import pytest
import torch

from helpers import compose
from mitbench.data.core import grammar as g
from mitbench.data.core.records import SequenceRecord
from mitbench.models.baselines.biophysical import BiophysicalScorer
from mitbench.models.baselines.components.pa_pwm import PAPWM
from mitbench.models.baselines.components.rpa_pwm import RPAPWM

MODELS = ["pa_pwm", "pa_pwm_nocomp", "pa_pwm_nopos", "rpa_pwm", "scan", "kmer", "pwm", "random"]
N_PARAMS = {"pa_pwm": 102, "pa_pwm_nocomp": 49, "pa_pwm_nopos": 102, "rpa_pwm": 105, "scan": 69,
            "kmer": 0, "pwm": 48, "random": 0}


def _model(name, *overrides):
    cfg = compose(["logger=none", f"model={name}", *overrides])
    return hydra.utils.instantiate(cfg.model)


@pytest.mark.parametrize("name", MODELS)
def test_configs_instantiate_and_score(name):
    m = _model(name)
    assert isinstance(m, BiophysicalScorer) and m.name == name
    assert sum(p.numel() for p in m.component.parameters()) == N_PARAMS[name]
    seqs = [g.background(np.random.default_rng(i), 100) for i in range(3)]
    out = m.predict_step({"ids": ["a", "b", "c"], "sequences": seqs})
    assert out["scores"].dtype == torch.float64 and out["scores"].shape == (3,)
    assert out["mode"] == ("ll" if name == "kmer" else "score")


def test_variants_reuse_pa_pwm_base():
    nocomp, nopos = _model("pa_pwm_nocomp"), _model("pa_pwm_nopos")
    assert not nocomp.component.compensation and nocomp.component.positional and nocomp.component.follow_length
    assert nopos.component.compensation and not nopos.component.positional and nopos.exact_length is None


def _ckpt(tmp_path, component, prefix="component."):
    path = tmp_path / "fit.ckpt"
    torch.save({"state_dict": {prefix + k: v for k, v in component.state_dict().items()},
                "hyper_parameters": {"name": "x"}}, path)
    return path


def test_checkpoint_round_trip(tmp_path):
    fitted = PAPWM()
    with torch.no_grad():
        fitted.up_weight.fill_(2.0)
        fitted.minus10[1, 2] = 1.25
    path = _ckpt(tmp_path, fitted)
    m = BiophysicalScorer("pa_pwm", PAPWM(), checkpoint=str(path))
    assert m.component.up_weight.item() == 2.0 and m.component.minus10[1, 2].item() == 1.25
    assert m.identity()["state_sha256"] != BiophysicalScorer("pa_pwm", PAPWM()).identity()["state_sha256"]
    # the same config through Hydra
    assert _model("pa_pwm", f"model.checkpoint={path}").component.up_weight.item() == 2.0


def test_checkpoint_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_baselines.py"):
        BiophysicalScorer("pa_pwm", PAPWM(), checkpoint=str(tmp_path / "nope.ckpt"))
    path = _ckpt(tmp_path, PAPWM(compensation=False))
    with pytest.raises(ValueError, match=r"missing keys \['ext10'"):
        BiophysicalScorer("pa_pwm", PAPWM(), checkpoint=str(path))
    path = _ckpt(tmp_path, PAPWM())
    with pytest.raises(ValueError, match=r"unexpected keys \['ext10'"):
        BiophysicalScorer("x", PAPWM(compensation=False), checkpoint=str(path))


def test_identity_tracks_weights_and_construction():
    a, b = BiophysicalScorer("m", PAPWM()), BiophysicalScorer("m", PAPWM())
    assert a.identity() == b.identity()
    assert a.identity() != BiophysicalScorer("m", PAPWM(positional=False)).identity()
    with torch.no_grad():
        b.component.minus35[0, 0] += 1e-9
    assert a.identity()["state_sha256"] != b.identity()["state_sha256"]


def test_check_records_names_the_record():
    layout = BiophysicalScorer("pa_pwm", PAPWM())
    ok = SequenceRecord("ok", "A", "A" * 100)
    layout.check_records([ok])
    with pytest.raises(ValueError, match="'short'.*100-bp layout"):
        layout.check_records([ok, SequenceRecord("short", "A", "A" * 99)])
    scanning = BiophysicalScorer("rpa_pwm", RPAPWM(), exact_length=None)
    scanning.check_records([SequenceRecord("x", "A", "A" * 27), SequenceRecord("y", "A", "A" * 150)])
    with pytest.raises(ValueError, match="'tiny'.*at least 27 bp"):
        scanning.check_records([SequenceRecord("tiny", "A", "A" * 26)])


def test_mixed_lengths_grouped_and_order_kept():
    m = BiophysicalScorer("rpa_pwm", RPAPWM(), exact_length=None)
    rng = np.random.default_rng(0)
    seqs = [g.background(rng, n) for n in (100, 60, 150, 60, 100, 27)]
    mixed = m.score_batch(seqs)
    single = torch.cat([m.score_batch([s]) for s in seqs])
    assert torch.allclose(mixed, single, rtol=0, atol=1e-12)


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        return (os.system, (f"touch {self.marker}",))


def test_checkpoint_with_pickled_code_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "payload_ran"
    good = {f"component.{k}": v for k, v in PAPWM().state_dict().items()}
    torch.save({"state_dict": good, "hyper_parameters": _Payload(marker)}, tmp_path / "evil.ckpt")
    with pytest.raises(ValueError, match=r"was refused: .*GLOBAL posix.system.*never runs code"):
        BiophysicalScorer("m", PAPWM(), checkpoint=str(tmp_path / "evil.ckpt"))
    assert not marker.exists()
    (tmp_path / "noise.ckpt").write_bytes(np.random.default_rng(0).bytes(999))
    with pytest.raises(ValueError, match="noise.ckpt' is not a readable PyTorch checkpoint"):
        BiophysicalScorer("m", PAPWM(), checkpoint=str(tmp_path / "noise.ckpt"))
    torch.save({"state_dict": good, "epoch": 3}, tmp_path / "plain.ckpt")  # tensors and plain values load
    loaded = BiophysicalScorer("m", PAPWM(), checkpoint=str(tmp_path / "plain.ckpt"))
    assert loaded.identity()["state_sha256"] == BiophysicalScorer("m", PAPWM()).identity()["state_sha256"]


def test_scan_refuses_records_beyond_max_length_before_scoring():
    scan = _model("scan")
    assert scan.component.max_length == 200  # 0.1 PWM grid / 5e-4 tie-break
    scan.check_records([SequenceRecord("ok", "A", "A" * 200)])
    with pytest.raises(ValueError, match="record 'chr': length 100000 bp, but scan scores at most 200 bp"):
        scan.check_records([SequenceRecord("ok", "A", "A" * 100), SequenceRecord("chr", "A", "A" * 100_000)])
    with pytest.raises(ValueError, match="sequence #1 is 201 bp, longer than its max_length 200"):
        scan.score_batch(["A" * 100, "A" * 201])
    from mitbench.models.baselines.components.scan import PositionScan
    assert PositionScan(tie_break=1e-3).max_length == 100 and _model("rpa_pwm").component.max_length is None


def test_layout_window_reads_where_the_metadata_puts_the_promoter():
    """PA-PWM (fixed layout) reads a placement canvas through [layout_offset, +100): the same score as
    the 100-bp window cut out by hand (zero one-hot beyond the record's ends); records without
    layout_offset are read whole, and scanning models (RPA-PWM) never use the metadata."""
    from mitbench.data.mit.designed import build_mit

    recs = [r for r in build_mit(42) if r.meta.get("design") == "placement_control"][:15]
    recs.append(next(r for r in build_mit(42) if r.label == "E"))
    pa = _model("pa_pwm")
    pa.check_records(recs)
    got = pa.score_batch([r.sequence for r in recs])
    from mitbench.data.core.encoding import one_hot

    for r, score in zip(recs, got.tolist()):
        off = r.meta.get("layout_offset", 0)
        x = torch.zeros(1, 100, 4, dtype=torch.float64)  # the window, zero beyond the record's end
        part = one_hot([r.sequence[off:off + 100]])
        x[0, :part.shape[1]] = part[0]
        assert score == pytest.approx(pa.component(x).item(), abs=1e-12)
    correct = [s for r, s in zip(recs, got.tolist()) if r.meta.get("correct")]
    wrong = [s for r, s in zip(recs, got.tolist()) if r.meta.get("correct") is False]
    assert min(correct) > max(wrong)  # the UP read 15 bp upstream of the core's -35
    pa._offsets["A" * 50] = -10  # an offset before the start pads with zeros instead of wrapping
    assert pa._window("A" * 50)[:10].sum() == 0 and pa._window("A" * 50)[10:60].sum() == 50
    rpa = _model("rpa_pwm")
    rpa.check_records(recs)
    assert rpa.layout_window is None and rpa._offsets == {}
