"""Memory ceilings for ingest worker processes, and how much memory they really used.

A hostile or broken source file (a decompression bomb that slips past the format checks, a
pathological regex input, a 200 MB text) must fail on its own, not take the machine down. Each
extraction worker caps its own address space with ``RLIMIT_AS``: past the ceiling, a Python
allocation raises ``MemoryError`` (reported as that file's failure) and a C library that aborts
on a failed allocation kills only its worker (the pipeline turns the dead worker into that
file's failure).

``RLIMIT_AS`` bounds *virtual* memory, which is always at least the resident set: the ceiling is
therefore conservative. A worker forked from the ingest process inherits its address space
(~250-300 MiB for ``ctlex ingest``; more when forked from a process that has loaded the web
application), so the ceiling must leave room above that; ``apply_memory_limit`` refuses to set
one that would leave less than ``MIN_HEADROOM``.

Linux only (``resource`` and ``/proc``). Elsewhere the functions do nothing and say so.
"""

from __future__ import annotations

import logging
import os

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

log = logging.getLogger("ctlex.ingest")

DEFAULT_WORKER_MEMORY = 3 * 2**29  # 1.5 GiB of address space per extraction worker
MIN_HEADROOM = 256 * 2**20  # a ceiling must leave at least this much above the current size


class MemoryLimitError(ValueError):
    """A ceiling that cannot work: below what the process already uses plus the headroom."""


def address_space_bytes() -> int:
    """The calling process's current virtual memory size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def apply_memory_limit(max_bytes: int | None) -> None:
    """Cap the calling process's address space; use as a ``ProcessPoolExecutor`` initializer.

    Args:
        max_bytes: The ceiling in bytes; ``None`` or 0 leaves the process unlimited. A hard
            limit set by the administrator (``ulimit -v``) is never raised.

    Raises:
        MemoryLimitError: The ceiling is less than ``MIN_HEADROOM`` above the process's current
            size: every allocation would fail, so it is refused rather than applied.
    """
    if not max_bytes or resource is None:
        return
    check_memory_limit(max_bytes)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))
    except (ValueError, OSError) as exc:  # e.g. macOS, which does not enforce RLIMIT_AS
        log.warning("could not set the worker memory ceiling: %s", exc)


def check_memory_limit(max_bytes: int | None) -> None:
    """Refuse a ceiling below the calling process's size plus ``MIN_HEADROOM``.

    Called by the ingest process before it forks workers (they start at its size), so that a
    ceiling that cannot work is one clear error, not every file failing.
    """
    current = address_space_bytes()
    if max_bytes and current and max_bytes < current + MIN_HEADROOM:
        raise MemoryLimitError(
            f"memory ceiling {max_bytes // 2**20} MiB is too low: the process already uses "
            f"{current // 2**20} MiB of address space; set CTLEX_WORKER_MEMORY_BYTES to at least "
            f"{(current + MIN_HEADROOM) // 2**20} MiB (or 0 for no ceiling)"
        )


def memory_limit() -> int | None:
    """The calling process's current address-space ceiling in bytes (None: unlimited)."""
    if resource is None:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def children_peak_rss() -> int:
    """Peak resident set size, in bytes, of the largest child process that has ended.

    Counts children (and their descendants) that have terminated and been waited for, such as
    the workers of a ``ProcessPoolExecutor`` after its shutdown. The figure is a maximum over
    the whole life of the calling process: to measure one run, start from a fresh process.
    """
    if resource is None:
        return 0
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def self_peak_rss() -> int:
    """Peak resident set size, in bytes, of the calling process itself."""
    if resource is None:
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def memory_error_message(max_bytes: int | None) -> str:
    """The per-file message for a worker that ran out of its memory ceiling."""
    ceiling = f"{max_bytes // 2**20} MiB" if max_bytes else "the available memory"
    return (
        f"processing this file needed more than {ceiling} of memory (the worker ceiling): "
        "the file is probably hostile or damaged; split it, or raise the ceiling "
        "(CTLEX_WORKER_MEMORY_BYTES) if it is genuine"
    )


# Largest source file read at all, by format: a text source over 32 MiB is not one act (the
# longest act in the corpus is under 4 MiB); PDFs and DOCX are compressed and may be larger.
MAX_TEXT_FILE_BYTES = 32 * 2**20
MAX_BINARY_FILE_BYTES = 300 * 2**20
BINARY_FORMATS = frozenset({"pdf", "docx"})


def size_problem(size: int, fmt: str) -> str | None:
    """Why a source file of ``size`` bytes in format ``fmt`` is refused unread, or None."""
    limit = MAX_BINARY_FILE_BYTES if fmt in BINARY_FORMATS else MAX_TEXT_FILE_BYTES
    if size <= limit:
        return None
    return (
        f"file too large: {size // 2**20} MiB, over the {limit // 2**20} MiB limit for "
        f"{fmt} sources; split it into one file per act"
    )
