"""The heap of the long-running process, settled once it has started: what is alive then
(the imported modules, the programme, the catalogues, the engine) lives as long as the
process, so the garbage collector's full passes need not walk it again and again."""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what start-up left behind, then freeze the rest out of the collector's sight.
    Without it each full pass walked some 200,000 start-up objects (about 120 ms of CPU),
    and a page that builds a few thousand objects (the board of 1,500 agencies) set one off
    every six or seven requests: that page's p95 was three to eight times its median."""
    gc.collect()
    gc.freeze()
