"""Repeat finders: hand-made cases, and the seed-join implementation against a brute force
scan of the definitions on random sequences with planted repeats."""
import numpy as np
import pytest

from mitbench.metrics.audit.repeats import (direct_repeats, inverted_repeats, mirror_repeats,
                                              short_tandem_repeats)

COMP = str.maketrans("ACGT", "TGCA")


def brute_direct(s, arm_min=10, arm_max=300, spacer_max=100):
    out = set()
    for d in range(arm_min, arm_max + spacer_max + 1):
        i = 0
        while i + d < len(s):
            if s[i] == s[i + d]:
                j = i
                while j + d < len(s) and s[j] == s[j + d]:
                    j += 1
                r = j - i
                arm = min(r, d)
                if arm >= arm_min and d - arm <= spacer_max:
                    out.add((i, j + d))
                i = j
            else:
                i += 1
    return out


def brute_centre(s, complement, arm_min=10, spacer_max=100):
    out = set()
    n = len(s)
    for S in range(2 * n - 1):
        p = (S - 1) // 2
        run = []
        while p >= 0:
            q = S - p
            ok = q < n and (s[p] == (s[q].translate(COMP) if complement else s[q]))
            if ok:
                run.append(p)
            if (not ok or p == 0) and run:
                pin, pout = run[0], run[-1]
                if len(run) >= arm_min and (S - pin) - pin - 1 <= spacer_max:
                    out.add((pout, S - pout + 1))
                run = []
            p -= 1
    return out


def _planted(seed, n=1500):
    rng = np.random.default_rng(seed)
    s = list(rng.choice(list("ACGT"), n))
    arm = "".join(rng.choice(list("ACGT"), 14))
    s[100:114] = arm  # direct repeat, spacer 30
    s[144:158] = arm
    s[400:414] = arm  # inverted repeat, spacer 20
    s[434:448] = arm.translate(COMP)[::-1]
    s[700:714] = arm  # mirror repeat, spacer 5
    s[719:733] = arm[::-1]
    return "".join(s)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_seed_join_equals_brute_force(seed):
    s = _planted(seed)
    assert {tuple(x) for x in direct_repeats(s).tolist()} == brute_direct(s)
    assert {tuple(x) for x in inverted_repeats(s).tolist()} == brute_centre(s, True)
    assert {tuple(x) for x in mirror_repeats(s).tolist()} == brute_centre(s, False)


def test_hand_made_repeats():
    arm = "ACGTTGCATG"
    assert direct_repeats("C" + arm + "TTT" + arm + "C").tolist() == [[1, 24]]
    # arm + 3-bp spacer + reverse complement of arm; flanking G/G do not pair (G-C would)
    assert inverted_repeats("GG" + arm + "TTT" + arm.translate(COMP)[::-1] + "GG").tolist() == [[2, 25]]
    assert mirror_repeats("CA" + arm + "TTTT" + arm[::-1] + "GT").tolist() == [[2, 26]]
    spacer = "".join(np.random.default_rng(5).choice(list("ACGT"), 101))
    assert [0, 121] not in direct_repeats(arm + spacer + arm).tolist()  # spacer 101 > 100
    assert [0, 120] in direct_repeats(arm + spacer[:100] + arm).tolist()
    assert inverted_repeats("ACGTTGCAT" + "TTT" + "ATGCAACGT").size == 0  # 9-bp arms < 10


def test_short_tandem_repeats_pytrf_coordinates():
    s = "GCGCA" + "AT" * 6 + "GCC" + "A" * 9 + "GC"
    assert short_tandem_repeats(s).tolist() == [[5, 17], [20, 29]]  # (AT)x6, A x9: 0-based half-open
