"""bot/heap.settle, which `phoihop run` calls once started: what is alive is frozen out of
the garbage collector's passes, what was garbage is collected first."""

from __future__ import annotations

import gc
import weakref

from bot.heap import settle


class Node:
    def __init__(self) -> None:
        self.me = self


def test_settle_collects_the_garbage_and_freezes_what_is_alive() -> None:
    kept, dropped = Node(), Node()
    gone = weakref.ref(dropped)
    del dropped
    try:
        settle()
        assert gone() is None
        assert gc.get_freeze_count() > 0
        assert all(kept is not o for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(kept is o for o in gc.get_objects())
