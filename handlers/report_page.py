"""The report as one page (the web's /report and the Telegram Mini App): the same draft as
the chat's /report (`handlers/report`), all indicators and narratives at once, pre-filled
from the window's activities, checked with the chat's rules and messages. Saving writes
only what changed, so after a return a focal point changes only what needs changing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from handlers.context import Ctx
from handlers.report import open_draft, period_name, submit_report
from handlers.types import Reply
from locales.catalogue import localised
from locales.formats import format_date, format_number
from models.errors import RuleError
from models.hidden_characters import has_hidden
from models.reporting.period_book import LivePeriod, ensure_periods
from models.reporting.figures import read_figure
from models.reporting.report_plan import prefill
from models.reporting.submissions import NARRATIVE_LENGTH, DraftView, items_of, narrative_code, record_item, relink, reportable, suggested
from models.reporting.tables import Submission, SubmissionStatus
from models.tvpb.counts import share_for

ACTIVITY_FIELD = "activity"


@dataclass(frozen=True)
class Field:
    code: str
    """The form field's name: the indicator's code, or `n:<area>` for a narrative."""
    label: str
    value: str
    unit: str = ""
    suggestion: str = ""


@dataclass(frozen=True)
class Ticked:
    id: int
    label: str
    counted: bool


@dataclass(frozen=True)
class ReportPage:
    period_id: int
    title: str
    window: str
    due: str
    status: SubmissionStatus
    returned_reason: str | None
    indicators: list[Field]
    narratives: list[Field]
    activities: list[Ticked]
    errors: dict[str, str] = field(default_factory=dict)
    notice: str = ""


def open_periods(ctx: Ctx) -> list[LivePeriod]:
    """The periods the agency may report in now (the chat's /report offers the same)."""
    assert ctx.agency is not None
    ensure_periods(ctx.session, ctx.programme, ctx.programme_id, ctx.now)
    return reportable(ctx.session, ctx.programme, ctx.programme_id, ctx.agency, ctx.today)


def live_period(ctx: Ctx, period_id: int) -> LivePeriod | None:
    return next((live for live in open_periods(ctx) if live.row.id == period_id), None)


def show(ctx: Ctx, live: LivePeriod, typed: Mapping[str, str] | None = None, errors: dict[str, str] | None = None, notice: str = "") -> ReportPage:
    """The page of one period: the draft's figures (or what was just typed, when it was
    refused), each indicator's suggestion from the counted activities, the narratives."""
    view, submission = open_draft(ctx, live)
    assert submission.id is not None
    items = items_of(ctx.session, submission.id)
    counted = [a for a in view.activities if a.id in view.linked]
    assert ctx.agency is not None
    tvpb = share_for(ctx.session, ctx.programme, ctx.programme_id, ctx.agency, view.period.window_start, view.period.window_end)
    indicators = []
    for indicator in ctx.programme.indicators:
        item = items.get(indicator.code)
        stored = format_number(item.value, ctx.lang) if item and item.value is not None else ""
        hint = suggested(indicator, counted, tvpb)
        unit = localised(indicator.unit, indicator.unit_en, ctx.lang)
        value = typed.get(indicator.code, stored) if typed is not None else (stored or (format_number(hint, ctx.lang) if hint is not None else ""))
        label = localised(indicator.name, indicator.name_en, ctx.lang)
        indicators.append(Field(indicator.code, label, value, unit, format_number(hint, ctx.lang) if hint is not None else ""))
    narratives = []
    for area in ctx.programme.content_areas:
        code = narrative_code(area.code)
        item = items.get(code)
        stored = item.text if item and item.text else "" if item else prefill(area, counted) or ""
        narratives.append(Field(code, localised(area.name, area.name_en, ctx.lang), typed.get(code, stored) if typed is not None else stored))
    activities = [Ticked(a.id, f"#{a.id} {format_date(a.day, ctx.lang)} {a.title}" + (f" ↪ {a.lead}" if a.lead else ""), a.id in view.linked) for a in view.activities]
    return ReportPage(
        live.row.id or 0,
        period_name(ctx, live.row),
        f"{format_date(live.info.window.start, ctx.lang)} – {format_date(live.info.window.end, ctx.lang)}",
        format_date(live.info.due, ctx.lang),
        submission.status,
        submission.return_reason if submission.status is SubmissionStatus.RETURNED else None,
        indicators,
        narratives,
        activities,
        errors or {},
        notice,
    )


@dataclass(frozen=True)
class Checked:
    values: dict[str, float | None]
    texts: dict[str, str | None]
    errors: dict[str, str]


def check(ctx: Ctx, form: Mapping[str, str]) -> Checked:
    """Every field read with the chat's rules; an empty field means 'skipped'."""
    values: dict[str, float | None] = {}
    texts: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for indicator in ctx.programme.indicators:
        typed = form.get(indicator.code, "").strip()
        try:
            figure = read_figure(typed, whole=not indicator.decimals) if typed else None
        except RuleError as error:
            errors[indicator.code] = ctx.error(error)
            continue
        if figure is not None and figure.other is not None:
            errors[indicator.code] = ctx.t(
                "webfiles.figure_ambiguous",
                text=typed,
                first=format_number(figure.value, ctx.lang),
                second=format_number(figure.other, ctx.lang),
                unit=localised(indicator.unit, indicator.unit_en, ctx.lang),
            )
        else:
            values[indicator.code] = figure.value if figure else None
    for area in ctx.programme.content_areas:
        code = narrative_code(area.code)
        raw = form.get(code, "")
        text = " ".join(raw.split())
        if has_hidden(raw):
            errors[code] = ctx.t("form.hidden_characters")
        elif text and not NARRATIVE_LENGTH[0] <= len(text) <= NARRATIVE_LENGTH[1]:
            errors[code] = ctx.t("report.narrative_length", least=NARRATIVE_LENGTH[0], most=NARRATIVE_LENGTH[1])
        texts[code] = text or None
    return Checked(values, texts, errors)


def save(ctx: Ctx, live: LivePeriod, form: Mapping[str, str], ticked: set[int], submitting: bool) -> tuple[ReportPage, Reply | None]:
    """Save the page into the draft (only the items that changed, and the counted
    activities), then submit it if asked; nothing is saved when a field is refused."""
    checked = check(ctx, form)
    if checked.errors:
        return show(ctx, live, form, checked.errors), None
    view, submission = open_draft(ctx, live)
    assert submission.id is not None
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        return show(ctx, live, notice=ctx.t("webfiles.report_not_open")), None
    _write(ctx, view, submission, checked, ticked)
    if not submitting:
        return show(ctx, live, notice=ctx.t("webfiles.report_saved")), None
    reply = submit_report(ctx, submission, live.row)
    return show(ctx, live, notice=reply.text), reply


def _write(ctx: Ctx, view: DraftView, submission: Submission, checked: Checked, ticked: set[int]) -> None:
    assert submission.id is not None
    wanted = ticked & {a.id for a in view.activities}
    if wanted != view.linked:
        relink(ctx.session, submission.id, wanted, view)
    items = items_of(ctx.session, submission.id)
    for code, value in checked.values.items():
        item = items.get(code)
        if (item.value if item else None) != value or item is None:
            record_item(ctx.session, submission.id, code, ctx.now, value=value)
    for code, text in checked.texts.items():
        item = items.get(code)
        if (item.text if item else None) != text or item is None:
            record_item(ctx.session, submission.id, code, ctx.now, text=text)
