"""Processes that die with the one that started them.

A web server or Celery worker killed with SIGKILL cannot clean up, so each conversion
process arranges its own end: it leads its own process group (pandoc and typst, started
by the writers, join it), asks the kernel for SIGTERM when its parent dies
(PR_SET_PDEATHSIG), and answers SIGTERM by killing its whole group. Nothing it started is
left running, reparented to init.

The group is a session of its own (setsid): where the kernel shares CPU time between
sessions rather than processes (Linux's autogroup, on by default), every conversion process
of one server in the server's session shared one session's share, so on a machine with other
busy sessions two conversion processes got the CPU of one (BENCHMARKS.md, P6).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from types import FrameType

PR_SET_PDEATHSIG = 1


def _kill_group(signum: int, frame: FrameType | None) -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


def die_with_parent() -> None:
    """Call first thing in a child process (Linux; elsewhere only the group is set up)."""
    parent = os.getppid()
    try:
        os.setsid()  # a new session and process group (see above)
    except OSError:  # already a group leader: its group is its own
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, _kill_group)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        _kill_group(signal.SIGTERM, None)
