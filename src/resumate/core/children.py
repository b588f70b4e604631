"""Child processes that never outlive their parent."""

from __future__ import annotations

import contextlib
import os
import signal
import sys

__all__ = ["die_with_parent"]


def die_with_parent(parent: int) -> None:
    """On Linux, be killed when the parent dies (a parent killed with SIGKILL leaves no
    orphan). Call it first thing in the child, with the parent's pid taken before the spawn.

    The kernel signals the child when the *thread* that started it ends, so start children from
    a thread that lives as long as the process (the event loop's, or the main thread)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)  # the parent died before we asked to follow it
