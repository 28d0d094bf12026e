"""The report's pictures (PNG, matplotlib without a display): submission progress by
agency kind, activities by type, and the targets' pace year by year."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot  # noqa: E402
from matplotlib.figure import Figure

from locales.catalogue import localised, t  # noqa: E402
from models.office.board import Board, TypeCount  # noqa: E402
from models.office.standing import Standing, group_words  # noqa: E402
from models.office.target_years import TargetYears  # noqa: E402

COLOURS = {
    Standing.ACCEPTED: "#2e7d32",
    Standing.ON_TIME: "#66bb6a",
    Standing.LATE: "#ffa726",
    Standing.RETURNED: "#ef5350",
    Standing.NOT_SENT: "#bdbdbd",
    Standing.OVERDUE: "#b71c1c",
}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    pyplot.close(figure)
    return buffer.getvalue()


def progress_chart(board: Board, kinds: dict[str, str], language: str, today: date) -> bytes:
    """One horizontal bar per agency kind, stacked by the reports' standing on `today`."""
    by_kind: dict[str, Counter[Standing]] = defaultdict(Counter)
    for row, item in zip(board.rows, board.stands(today), strict=True):
        by_kind[kinds.get(row.agency.kind_code or "", row.agency.kind_code or "—")][item.standing] += 1
    labels = list(by_kind)
    figure, axes = pyplot.subplots(figsize=(8, 0.6 * len(labels) + 1.6))
    left = [0] * len(labels)
    for status, colour in COLOURS.items():
        widths = [by_kind[label][status] for label in labels]
        if any(widths):
            axes.barh(labels, widths, left=left, color=colour, label=group_words(status, language))
            left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_xlabel(t("chart.agencies", language))
    axes.set_title(t("chart.progress_title", language))
    axes.invert_yaxis()
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return _png(figure)


def types_chart(counts: list[TypeCount], language: str) -> bytes:
    """Activities in the period's window, by type."""
    shown = [c for c in counts if c.activities]
    labels = [localised(c.type.name, c.type.name_en, language) for c in shown]
    figure, axes = pyplot.subplots(figsize=(8, 0.45 * max(len(labels), 1) + 1.4))
    axes.barh(labels or ["—"], [c.activities for c in shown] or [0], color="#1565c0")
    for index, count in enumerate(shown):
        axes.text(count.activities, index, f" {count.activities}", va="center", fontsize=8)
    axes.set_xlabel(t("chart.activities", language))
    axes.set_title(t("chart.types_title", language))
    axes.invert_yaxis()
    axes.tick_params(axis="y", labelsize=8)
    return _png(figure)


def pace_chart(targets: list[TargetYears], language: str) -> bytes:
    """One panel per target: activities done in each year, and the even share each year
    needs as a dashed line (none for a term target without an end)."""
    figure, panels = pyplot.subplots(len(targets), 1, figsize=(8, 1.9 * len(targets) + 0.6), squeeze=False)
    for axes, item in zip(panels[:, 0], targets, strict=True):
        years = [str(year) for year, _done in item.done]
        axes.bar(years, [done for _year, done in item.done], color="#1565c0")
        if item.share is not None:
            axes.axhline(item.share, color="#ef6c00", linestyle="--", label=t("chart.pace_share", language))
            axes.legend(loc="upper left", fontsize=7, frameon=False)
        axes.set_title(localised(item.target.name, item.target.name_en, language), fontsize=9)
        axes.tick_params(labelsize=8)
    figure.suptitle(t("chart.pace_title", language))
    figure.tight_layout()
    return _png(figure)
