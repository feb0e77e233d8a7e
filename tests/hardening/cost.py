"""Growth-rate measurement without wall-clock limits: run the same work at size n and 2n
and compare CPU times. Linear work doubles (ratio ~2); quadratic work quadruples. A ratio
is stable on a slow or loaded machine where an absolute time limit would not be."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

MAX_RATIO = 3.0


def cpu_time(work: Callable[[], object], repeat: int = 3) -> float:
    """The best CPU time of `repeat` runs (the best is the least disturbed by the machine)."""
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
    finally:
        if enabled:
            gc.enable()
    return best


Work = Callable[[], object]


def growth(make: Callable[[int], Work], n: int, repeat: int = 3,
           size: Callable[[int], int] | None = None) -> tuple[float, float, float]:
    """(time at n, time at 2n, their ratio); `make(n)` builds the input outside the timing.
    With `size(n)` (the input's real size when it grows faster than n, as the indentation of
    a deep list does), the ratio is per unit of input: linear work gives ~2 again."""
    make(max(1, n // 100))()  # warm caches (compiled regexes, imports) before timing
    small, large = make(n), make(2 * n)
    t1 = cpu_time(small, repeat)
    t2 = cpu_time(large, repeat)
    ratio = t2 / max(t1, 1e-4)
    if size is not None:
        ratio *= 2 * size(n) / size(2 * n)
    return t1, t2, ratio


def assert_linear(make: Callable[[int], Work], n: int, what: str = "", floor: float = 0.0, repeat: int = 3,
                  size: Callable[[int], int] | None = None) -> None:
    """Fail when doubling the input more than triples the time (measured twice before failing).
    Below `floor` seconds at size n the work is too fast to matter and is not compared."""
    for _attempt in range(2):
        t1, t2, ratio = growth(make, n, repeat, size)
        if t1 < floor or ratio < MAX_RATIO:
            return
    raise AssertionError(f"{what}: {t1:.3f}s at n={n}, {t2:.3f}s at 2n: ratio {ratio:.1f} (super-linear)")


def calibrated(make: Callable[[int], Work], smallest: int, largest: int, target: float = 0.15) -> int:
    """The size between `smallest` and `largest` whose run takes about `target` CPU seconds,
    so that slow work is measured at a size this machine can afford."""
    make(max(1, smallest // 100))()
    t0 = cpu_time(make(smallest), 1)
    return max(smallest, min(largest, int(smallest * target / max(t0, 1e-4))))
