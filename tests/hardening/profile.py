"""Hypothesis settings for the hardening suite: derandomized (the same examples on every
run and in CI), no per-example deadline (a loaded CI machine must not fail a test), and
example counts chosen so that the whole suite stays well inside its time budget.

HARDENING_EXAMPLES=10 multiplies every count by 10 for a longer local run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SCALE = float(os.environ.get("HARDENING_EXAMPLES", "1"))

settings.register_profile(
    "hardening",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def examples(n: int) -> settings:
    """The hardening profile with n examples (scaled by HARDENING_EXAMPLES)."""
    return settings(settings.get_profile("hardening"), max_examples=max(1, int(n * SCALE)))
