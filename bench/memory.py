"""Peak memory of this process, for the benchmarks that measure in a fresh process.

On Linux the figure is VmHWM from /proc/self/status: the high-water mark of this program's own memory.
`getrusage(...).ru_maxrss` would do elsewhere, but on Linux it also keeps the parent's peak from before
the `exec` (a child started by a benchmark that had built a large board would start at that size).
"""

from __future__ import annotations

import resource
from pathlib import Path

STATUS = Path("/proc/self/status")


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    try:
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
