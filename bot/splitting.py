"""Cutting a long text into messages a channel accepts, at line ends where possible."""

from __future__ import annotations

from collections.abc import Callable, Iterator

Measure = Callable[[str], int]


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Pieces of at most `limit`, each made of whole lines; a line longer than the limit is
    cut at a space (or anywhere if it has none), its start filling the piece before it, so
    a heading never goes out alone ahead of a long paragraph. No piece begins or ends with
    a blank line; blank pieces are dropped."""
    pieces: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        if current is not None and measure(line) > limit:
            head, line = _fill(current, line, limit, measure)
            if head:
                current = f"{current}\n{head}"
        for part in _cut_line(line, limit, measure):
            joined = part if current is None else f"{current}\n{part}"
            if measure(joined) <= limit:
                current = joined
                continue
            if current is not None:
                pieces.append(current)
            current = part
    if current is not None:
        pieces.append(current)
    return [piece.strip("\n") for piece in pieces if piece.strip()]


def _fill(current: str, line: str, limit: int, measure: Measure) -> tuple[str, str]:
    """The words of `line` that fit after `current` (cut at a space), and the rest."""
    room = limit - measure(current) - 1
    if room <= 0 or measure(line[:1]) > room:
        return "", line
    space = line.rfind(" ", 0, _longest_prefix(line, room, measure) + 1)
    if space <= 0:
        return "", line
    return line[:space], line[space:].lstrip(" ")


def _cut_line(line: str, limit: int, measure: Measure) -> Iterator[str]:
    while measure(line) > limit:
        fits = _longest_prefix(line, limit, measure)
        space = line.rfind(" ", 0, fits + 1)
        cut = space if space > 0 else fits
        yield line[:cut]
        line = line[cut:].lstrip(" ")
    yield line


def _longest_prefix(line: str, limit: int, measure: Measure) -> int:
    low, high = 1, len(line)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(line[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low
