"""Positional pairs: exact composition, where the UP bases go, the measured-effect filter, and no
overlap with the MIT or its probes."""
import numpy as np
import pandas as pd
import pytest

from helpers import compose, shared_path
from mitbench.data.glm.positional_pairs import DOWNSTREAM, UP_WINDOW, positional_pairs, scramble, swap

RNG = np.random.default_rng(7)
UP = "GAAAATATATTTTTCAAAAGTA"  # 22 bp, as in the Urtecho gourse_136fold_up variants


def _bg():
    return "".join(RNG.choice(list("ACGT"), 100))


def _row(up, bg_id, seq, log2, core="35c_s1_10c"):
    m35, spacer, m10 = core.split("_")
    return {"id": f"{up}_{m35}_{spacer}_{m10}_{bg_id}", "sequence": seq, "log2_expression": log2, "up": up,
            "minus35": m35, "spacer": spacer, "minus10": m10, "background": bg_id, "control": ""}


def _table(effects):
    rows = []
    for i, effect in enumerate(effects):
        bg = _bg()
        with_up = bg[:UP_WINDOW[0]] + UP + bg[UP_WINDOW[1]:]
        rows += [_row("noUP", f"bg{i}", bg, 1.0), _row("gourse_136fold_up", f"bg{i}", with_up, 1.0 + effect)]
    rows.append({**_row("noUP", "", _bg(), 0.0), "control": "neg"})
    return pd.DataFrame(rows)


def test_swap_and_scramble_keep_composition():
    s = "AAAACCCCGGGGTTTTACGT"
    assert swap(s, (0, 4), (8, 12)) == "GGGGCCCCAAAATTTTACGT"
    with pytest.raises(ValueError, match="equal length"):
        swap(s, (0, 4), (8, 13))
    t = scramble(s, (10, 18), np.random.default_rng(0))
    assert t[:10] == s[:10] and t[18:] == s[18:] and sorted(t[10:18]) == sorted(s[10:18]) and t != s


def test_pairs_filter_by_measured_effect_and_place_the_up_bases():
    table = _table([2.0, 0.5, 1.5, 3.0])
    pairs = positional_pairs(table, min_up_effect=1.0, val_backgrounds=("bg3",), seed=0)
    assert pairs["background"].tolist() == ["bg0", "bg2", "bg3"]
    assert pairs["up_effect"].tolist() == pytest.approx([2.0, 1.5, 3.0])
    assert pairs["split"].tolist() == ["train", "train", "val"]
    width = UP_WINDOW[1] - UP_WINDOW[0]
    for p in pairs.itertuples():
        for neg in (p.moved, p.scrambled):
            assert sorted(neg) == sorted(p.positive) and neg != p.positive  # exact composition
        start = p.moved_start
        assert DOWNSTREAM[0] <= start and start + width <= DOWNSTREAM[1]
        assert p.moved[start:start + width] == UP == p.positive[slice(*UP_WINDOW)]
        assert p.moved[slice(*UP_WINDOW)] == p.positive[start:start + width]
        untouched = [i for i in range(100) if not (UP_WINDOW[0] <= i < UP_WINDOW[1] or start <= i < start + width)]
        assert all(p.moved[i] == p.positive[i] for i in untouched)
        assert p.scrambled[:UP_WINDOW[0]] == p.positive[:UP_WINDOW[0]]
        assert p.scrambled[UP_WINDOW[1]:] == p.positive[UP_WINDOW[1]:]
    again = positional_pairs(table, 1.0, ("bg3",), seed=0)
    assert again.equals(pairs)
    assert not again.equals(positional_pairs(table, 1.0, ("bg3",), seed=1))


def test_pairs_refuse_variants_changed_outside_the_up_window_and_empty_results():
    table = _table([2.0])
    seq = table.loc[1, "sequence"]
    table.loc[1, "sequence"] = seq[:50] + ("A" if seq[50] != "A" else "C") + seq[51:]
    with pytest.raises(ValueError, match="outside the UP window"):
        positional_pairs(table)
    with pytest.raises(ValueError, match="no UP variant"):
        positional_pairs(_table([0.1]), min_up_effect=1.0)


@pytest.mark.shared
def test_urtecho_pairs_share_no_sequence_with_the_mit_or_its_probes():
    import hydra

    from mitbench.data.fit.urtecho import read_urtecho

    table, _ = read_urtecho(shared_path("urtecho2019"), verbose=False)
    pairs = positional_pairs(table, 1.0, ("bg463205:463355",), seed=0)
    assert len(pairs) > 1000 and set(pairs["split"]) == {"train", "val"}
    for p in pairs.itertuples():
        assert sorted(p.moved) == sorted(p.positive) == sorted(p.scrambled)
    trained = set(pairs["positive"]) | set(pairs["moved"]) | set(pairs["scrambled"])
    for suite in ("mit", "up_sweep", "spacing", "strand"):
        records = hydra.utils.instantiate(compose([f"suite={suite}"]).suite).records()
        assert not trained & {r.sequence for r in records}, suite
