"""How much memory a run may use, and the up-front refusal of work that cannot fit.

A suite whose metrics need memory that grows with its input estimates it before anything is scored
(:meth:`mitbench.suites.base.Suite.peak_bytes`); :func:`check_fits` compares the estimate with
what this process can get: ``$MITBENCH_MAX_MEMORY`` when set (bytes, or ``512M``, ``8G``: a share
of a node you do not own alone), else the kernel's ``MemAvailable`` and the cgroup limit of the
container or batch job, whichever is smaller. Refusing at once, with the numbers, is better than an
out-of-memory kill after hours of scoring.
"""
from __future__ import annotations

import os
from pathlib import Path

from mitbench.data.core.textio import parse_size

MEMORY_ENV = "MITBENCH_MAX_MEMORY"
GIB = 1 << 30


def _read_int(path: str) -> int | None:
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None  # cgroup v2 writes "max" for no limit


def available_bytes() -> int | None:
    """Bytes this process can still allocate, or None when the system does not say."""
    raw = os.environ.get(MEMORY_ENV, "").strip()
    if raw:
        return parse_size(raw, MEMORY_ENV)
    found = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    v1 = "/sys/fs/cgroup/memory/memory."
    for limit, usage in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                         (v1 + "limit_in_bytes", v1 + "usage_in_bytes")):
        cap, used = _read_int(limit), _read_int(usage)
        if cap is not None and used is not None and cap < 1 << 60:  # v1 reports "no limit" as ~2**63
            found.append(max(cap - used, 0))
    return min(found) if found else None


def check_fits(need: int, what: str, hint: str) -> None:
    """Raise ``MemoryError`` when ``need`` bytes exceed :func:`available_bytes`.

    Parameters
    ----------
    need : int
        Estimated peak bytes of the work.
    what : str
        The work, named in the message (e.g. ``"suite 'external' (100000 records)"``).
    hint : str
        What the user can change (e.g. ``"suite.n_boot=200"``).
    """
    have = available_bytes()
    if have is not None and need > have:
        raise MemoryError(f"{what} needs about {need / GIB:.2f} GiB for its metrics, but only "
                          f"{have / GIB:.2f} GiB is available ({MEMORY_ENV} or the system's free memory); "
                          f"nothing was scored. {hint}")
