"""What a checkpoint's files can make transformers import is refused without trust_remote_code; the
attention implementation is mitbench's choice; missing weights and a folder changed during loading
stop the run."""
import json
import shutil

import pytest
import torch

import tiny_models as tm
from mitbench.models.glm.masked import MaskedLMScorer


@pytest.fixture(scope="module")
def bert(tmp_path_factory):
    return tm.masked(tmp_path_factory.mktemp("bert") / "m", "bert", "char")


def _copy(src, dst, file=None, edit=None):
    shutil.copytree(src, dst)
    if file:
        path = dst / file
        data = json.loads(path.read_text())
        edit(data)
        path.write_text(json.dumps(data))
    return dst


def _fake_kernel(folder, marker, kernel_id):
    """A local stand-in for a Hub kernel repository: its __init__.py leaves ``marker`` when imported."""
    folder.mkdir()
    (folder / "metadata.json").write_text(json.dumps({"name": "flash-attn", "id": kernel_id, "version": 1,
                                                      "license": "MIT", "python-depends": [],
                                                      "backend": {"type": "cpu"}}))
    (folder / "__init__.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n"
                                        "def flash_attn_func(*a, **k): raise RuntimeError\n"
                                        "def flash_attn_varlen_func(*a, **k): raise RuntimeError\n")


def test_a_hub_kernel_named_in_config_is_refused_and_never_imported(bert, tmp_path, monkeypatch):
    pytest.importorskip("kernels")
    marker = tmp_path / "KERNEL_RAN"
    _fake_kernel(tmp_path / "kernel", marker, f"mitbench_test_{tmp_path.name}")
    monkeypatch.setenv("LOCAL_KERNELS", f"kernels-community/flash-attn={tmp_path / 'kernel'}")
    path = _copy(bert, tmp_path / "m", "config.json", lambda c: c.update(attn_implementation="kernels-community/flash-attn"))
    with pytest.raises(ValueError, match=r"config.json: attn_implementation = \"kernels-community/flash-attn\" "
                                         r"\(not a built-in attention.*trust_remote_code=true"):
        MaskedLMScorer("x", str(path))
    assert not marker.exists()
    trusted = MaskedLMScorer("x", str(path), trust_remote_code=True)  # loads, but with mitbench's attention
    assert trusted.model.config._attn_implementation == "sdpa" and not marker.exists()


@pytest.mark.parametrize("file,edit,key", [
    ("tokenizer_config.json", lambda c: c.update(auto_map={"AutoTokenizer": ["tok.DnaTokenizer", None]}), "auto_map"),
    ("config.json", lambda c: c.update(_attn_implementation="evil/kernel@v1:fn"), "_attn_implementation"),
    ("config.json", lambda c: c.update(text_config={"attn_implementation": "org/kernel"}), "text_config.attn_implementation"),
    ("config.json", lambda c: c.update(attn_implementation={"": "sdpa", "vision_config": "org/k"}), "attn_implementation"),
    ("config.json", lambda c: c.update(experts_implementation="org/moe-kernel"), "experts_implementation"),
    ("config.json", lambda c: c.update(quantization_config={"quant_method": "bitsandbytes_4bit"}), "quantization_config"),
    ("config.json", lambda c: c.update(custom_pipelines={"fill-mask": {"impl": "p.P"}}), "custom_pipelines"),
])
def test_every_way_a_file_names_code_is_refused_naming_file_and_key(bert, tmp_path, file, edit, key):
    path = _copy(bert, tmp_path / "m", file, edit)
    with pytest.raises(ValueError, match=rf"{file}: {key} = .*trust_remote_code=true"):
        MaskedLMScorer("x", str(path))


def test_a_requested_hub_kernel_needs_trust_and_builtin_values_are_overridden(bert, tmp_path):
    with pytest.raises(ValueError, match="attn_implementation='org/kernel' is not a built-in attention"):
        MaskedLMScorer("x", str(bert), attn_implementation="org/kernel")
    path = _copy(bert, tmp_path / "m", "config.json", lambda c: c.update(attn_implementation="eager"))
    assert MaskedLMScorer("x", str(path)).model.config._attn_implementation == "sdpa"  # not the file's eager
    assert MaskedLMScorer("x", str(path), attn_implementation="eager").model.config._attn_implementation == "eager"


def test_missing_weights_are_refused_by_name_unless_allowed(bert, tmp_path):
    from safetensors.torch import load_file, save_file

    path = _copy(bert, tmp_path / "m")
    weights = load_file(path / "model.safetensors")
    gone = sorted(k for k in weights if k.endswith("layer.1.output.dense.weight"))
    assert gone
    save_file({k: v for k, v in weights.items() if k not in gone}, path / "model.safetensors", metadata={"format": "pt"})
    with pytest.raises(ValueError, match=r"lacks 1 weight tensor\(s\) the model needs \(.*layer.1.output.dense.weight"):
        MaskedLMScorer("x", str(path))
    assert MaskedLMScorer("x", str(path), allow_missing_weights=True).model is not None


def test_weights_swapped_during_loading_are_not_stored_under_the_new_key(bert, tmp_path, monkeypatch):
    """The fingerprint must name the weights that were loaded: a re-save after the weights were read
    (but before a fingerprint taken after loading) would key the old weights' scores on the new files."""
    from transformers import AutoModelForMaskedLM

    path = _copy(bert, tmp_path / "m")
    original = AutoModelForMaskedLM.from_pretrained.__func__

    def load_then_swap(cls, *args, **kwargs):
        loaded = original(cls, *args, **kwargs)
        tm.masked(path, "bert", "char", seed=7)  # another run re-saves the folder in place
        return loaded

    monkeypatch.setattr(AutoModelForMaskedLM, "from_pretrained", classmethod(load_then_swap))
    with pytest.raises(RuntimeError, match="changed while it was being loaded"):
        MaskedLMScorer("x", str(path))
    monkeypatch.undo()
    fresh = MaskedLMScorer("x", str(path))  # nothing writes now: loads, keyed on the new files
    assert fresh.source.startswith("sha256:") and torch.isfinite(fresh.score_batch(["ACGTACGT"])).all()
