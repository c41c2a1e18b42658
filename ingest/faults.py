"""Fail points for crash-safety tests: ``CTLEX_FAULTPOINT=name[:n]`` makes the process kill
itself with SIGKILL the n-th time (default 1st) it reaches the point ``name``.

Nothing happens when the setting is empty, which is always the case outside the tests.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

from app.settings import get_settings

POINTS = (
    "run_started",  # the run row exists, nothing processed yet
    "file_stored",  # after a document version's transaction committed
    "mid_transaction",  # provisions written, transaction not yet committed
    "index_doc",  # while the fresh index is being built (per document)
    "index_built",  # every document written to the fresh index, before it is swapped in
    "index_swapped",  # the fresh index is live, the run not yet marked finished
)
_seen: Counter[str] = Counter()


def fault(point: str) -> None:
    spec = get_settings().faultpoint
    if not spec:
        return
    name, _, nth = spec.partition(":")
    if name != point:
        return
    _seen[point] += 1
    if _seen[point] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
