"""/report: the agency's report for an open period.

It offers the agency's activities in the period's window to count, walks the programme's
indicators (a number with its unit, pre-filled from those activities), then a short
narrative per content area, and ends with a summary to submit or keep as a draft. Every
answer is saved at once, so the draft survives leaving the form.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from functools import partial

from sqlmodel import col, select

from handlers import forms
from handlers.commands import FOCAL_AND_ADMIN, Command
from handlers.context import Ctx
from handlers.forms import (
    Answer,
    Choice,
    Done,
    Flow,
    Go,
    Outcome,
    Pager,
    Redo,
    Stay,
    Step,
    Switched,
    choice_rows,
    step_arg,
)
from handlers.types import Button, Reply, WebForm
from locales.catalogue import localised
from locales.formats import format_date, format_moment, format_number
from models.errors import RuleError
from models.hidden_characters import has_hidden
from models.outbox.notify import message, tell_office
from models.programme.periods import parse_period_code
from models.programme.wording import deadline
from models.programme.wording import period_name as cycle_period_name
from models.programme.due_phrases import fold
from models.reporting.figures import read_figure
from models.reporting.period_book import SETTLED, LivePeriod, ensure_periods
from models.reporting.report_plan import (
    ACTIVITIES_ITEM,
    CONFIRM,
    MORE,
    asked_areas,
    clipped,
    entries,
    entry_numbered,
    first_unanswered,
    prefill,
    steps_of,
    unasked_open,
)
from models.reporting.submissions import (
    NARRATIVE_LENGTH,
    NO_TVPB,
    DraftView,
    WindowActivity,
    contents,
    draft_view,
    items_of,
    mark_sent,
    narrative_code,
    new_draft,
    record_item,
    relink,
    reportable,
    reportable_rows,
    submit,
    suggested,
)
from models.reporting.tables import Period, Submission, SubmissionStatus
from models.tvpb.counts import TvpbShare, counts_tasks, share_for
from models.web.signin import issue_link

ACTIVITIES_PER_PAGE = 6
SHOWN_NARRATIVE = 160
SHOWN_HINT = 700
ANSWERED = "answered"
VIEW = "report:view"
TVPB_SHARE = "report:tvpb"
"""Where an update keeps the form's `DraftView` (read once, kept in step as links change)."""


@dataclass(frozen=True)
class ReportForm:
    """What the form keeps in the conversation row between answers: the period and the
    draft being filled in, and the page of the activities list (`forms.turn_page` turns it)."""

    period_id: int
    submission_id: int
    page: int = 0

    @classmethod
    def of(cls, ctx: Ctx) -> ReportForm:
        values = forms.data(ctx)
        return cls(values["period_id"], values["submission_id"], values.get("page", 0))

    def values(self) -> dict[str, int]:
        return asdict(self)


def start_report(ctx: Ctx, _args: str) -> list[Reply]:
    assert ctx.agency is not None
    ensure_periods(ctx.session, ctx.programme, ctx.programme_id, ctx.now)
    outside = [p for p in _owed(ctx) if ctx.programme.reports_outside(p.cycle)]
    periods = _reportable(ctx)
    told = [Reply(_consolidated(ctx, outside))] if outside else []
    going = _going_on(ctx)
    if going is not None:
        return told + _open(ctx, going)
    if not periods:
        return told or [ctx.say("report.none", agency=ctx.agency.name)]
    if len(periods) == 1:
        return told + _open(ctx, periods[0])
    return told + forms.begin(ctx, "report")


def _going_on(ctx: Ctx) -> LivePeriod | None:
    """The period of the report form the chat has open past its first step, if the agency
    may still report in it: /report takes that form up where it was."""
    convo = ctx.convo
    if convo is None or convo.flow != "report" or convo.step in (None, "choose") or "submission_id" not in convo.data:
        return None
    view = _view(ctx)
    return _live(ctx, view) if view.submission is not None else None


def _consolidated(ctx: Ctx, periods: list[LivePeriod]) -> str:
    """The coordinator's reports to outside bodies are consolidations of the agencies'
    reports: made with /export and recorded with /sent, never typed in the form."""
    assert ctx.agency is not None
    lines = [ctx.t("report.is_consolidation", agency=ctx.agency.name)]
    for live in periods:
        code = f"{live.cycle.code}/{live.info.code}"
        lines.append(ctx.t("report.consolidation_line", name=period_name(ctx, live.row), recipient=live.cycle.recipient, period=code))
    return "\n".join([*lines, ctx.t("report.consolidation_how")])


def period_name(ctx: Ctx, period: Period, language: str | None = None) -> str:
    """A period row's name in the reader's (or `language`'s) words."""
    return cycle_period_name(ctx.programme.cycle(period.cycle_code), parse_period_code(period.period_code), language or ctx.lang)


def _owed(ctx: Ctx) -> list[LivePeriod]:
    """`reportable`, read once per update (the command and the prompt it renders share it)."""
    agency = ctx.agency
    assert agency is not None
    return ctx.once("report:periods", lambda: reportable(ctx.session, ctx.programme, ctx.programme_id, agency, ctx.today))


def _reportable(ctx: Ctx) -> list[LivePeriod]:
    """The owed periods the form fills in: not the coordinator's reports to outside bodies."""
    return [p for p in _owed(ctx) if not ctx.programme.reports_outside(p.cycle)]


def _live(ctx: Ctx, view: DraftView | None) -> LivePeriod | None:
    """The viewed period, if the agency may still report in it (as `reportable` decides)."""
    assert ctx.agency is not None
    if view is None or view.period.programme_id != ctx.programme_id or (view.submission and view.submission.status in SETTLED):
        return None
    found = next(iter(reportable_rows(ctx.programme, ctx.agency, [view.period], ctx.today)), None)
    return None if found is None or ctx.programme.reports_outside(found.cycle) else found


def _tvpb(ctx: Ctx, view: DraftView) -> TvpbShare:
    """What the TVPB tasks add to this agency's suggestions of the window, read once per update."""
    assert ctx.agency is not None
    agency, period = ctx.agency, view.period
    return ctx.once(
        TVPB_SHARE, lambda: share_for(ctx.session, ctx.programme, ctx.programme_id, agency, period.window_start, period.window_end)
    )


def _coded_view(ctx: Ctx, code: str) -> DraftView:
    """`_view` with the draft's item `code` (the same one query), kept as the update's view."""
    assert ctx.agency is not None and ctx.agency.id is not None
    form = ReportForm.of(ctx)
    view = draft_view(ctx.session, form.period_id, ctx.agency.id, form.submission_id, code)
    assert view is not None
    ctx.memo[VIEW] = view
    return view


def _view(ctx: Ctx) -> DraftView:
    """The form's period, submission and window (`draft_view`), read once per update."""
    assert ctx.agency is not None and ctx.agency.id is not None
    agency_id = ctx.agency.id

    def read() -> DraftView | None:
        form = ReportForm.of(ctx)
        return draft_view(ctx.session, form.period_id, agency_id, form.submission_id)

    view = ctx.once(VIEW, read)
    assert view is not None
    return view


def _open(ctx: Ctx, live: LivePeriod, view: DraftView | None = None) -> list[Reply]:
    """Start (or resume) the form for one period; a new draft counts the window's activities
    the agency registered, not those another agency named it a partner in (it ticks them)."""
    assert live.row.id is not None
    view, submission = open_draft(ctx, live, view)
    ctx.memo[VIEW] = view
    if _same_form(ctx, submission.id):
        forms.continued(ctx)
        return [_head(ctx, live, submission), forms.render(ctx)]
    answered = set(items_of(ctx.session, submission.id)) if view.has_items else set()
    start, then = _resume_at(ctx, view, submission, answered)
    first = _planned(start)
    values = ReportForm(live.row.id, submission.id).values() | {ANSWERED: sorted(answered)} | ({"then": then} if then is not None else {})
    return [_head(ctx, live, submission), *forms.begin(ctx, "report", values, first)]


def _same_form(ctx: Ctx, submission_id: int) -> bool:
    """Whether the chat's open form is already this report (a /report typed in its middle,
    days later): it goes on at its step rather than starting again."""
    convo = ctx.convo
    return _going_on(ctx) is not None and convo is not None and convo.data.get("submission_id") == submission_id


def _resume_at(ctx: Ctx, view: DraftView, submission: Submission, answered: set[str]) -> tuple[str, list[str] | None]:
    """Where the form starts, and the steps it visits before the summary (None: every
    unanswered item in turn). After a return that flagged items, only those; otherwise the
    list of activities for a draft with no item yet, else the first unanswered item."""
    if submission.status is SubmissionStatus.RETURNED and submission.returned_items:
        steps = steps_of(ctx.programme, submission.returned_items)
        if steps:
            return steps[0], steps[1:]
    if not answered and view.activities:
        return "activities", None
    return _first_unanswered(ctx, answered), None


def _head(ctx: Ctx, live: LivePeriod, submission: Submission) -> Reply:
    head = ctx.t(
        "report.header",
        name=period_name(ctx, live.row),
        start=format_date(live.info.window.start, ctx.lang),
        end=format_date(live.info.window.end, ctx.lang),
        due=deadline(live.info.due, live.cycle.due_time, ctx.lang),
    )
    if submission.status is SubmissionStatus.RETURNED:
        head += "\n" + ctx.t("report.was_returned", reason=submission.return_reason or "")
        flagged = flagged_line(ctx, submission.returned_items or [])
        head += "\n" + flagged if flagged else ""
    return Reply(head, web_form=_web_form(ctx))


def flagged_line(ctx: Ctx, codes: list[str]) -> str:
    """The flagged items as the summary numbers and names them ("Các mục cần sửa: 3. Số lớp
    tập huấn; 9. …"), "" when none."""
    names = item_names(ctx)
    shown = "; ".join(entry.label(names[entry.code]) for entry in entries(ctx.programme) if entry.code in codes)
    return ctx.t("report3.flagged_items", items=shown) if shown else ""


def item_names(ctx: Ctx) -> dict[str, str]:
    """Each report item's name in the reader's language, by item code."""
    names = {i.code: localised(i.name, i.name_en, ctx.lang) for i in ctx.programme.indicators}
    names |= {narrative_code(a.code): localised(a.name, a.name_en, ctx.lang) for a in ctx.programme.content_areas}
    return names | {ACTIVITIES_ITEM: ctx.t("report3.activities_item")}


def _web_form(ctx: Ctx) -> WebForm | None:
    """The same draft as one page, when the web is on: in Telegram as its Mini App, elsewhere
    through a single-use sign-in link that opens the page."""
    if ctx.policy.web_url is None or ctx.person is None or ctx.person.id is None:
        return None
    base = ctx.policy.web_url.rstrip("/")
    token = issue_link(ctx.session, ctx.person.id, ctx.now)
    return WebForm(ctx.t("webfiles.open_form"), f"{base}/miniapp", f"{base}/signin/{token}?next=/report")


def open_draft(ctx: Ctx, live: LivePeriod, view: DraftView | None = None) -> tuple[DraftView, Submission]:
    """The agency's submission for the period, a new draft if it has none; a draft not yet
    started counts the window's activities the agency registered (the chat's form and the
    web page start from the same draft)."""
    assert ctx.agency is not None and ctx.agency.id is not None and live.row.id is not None
    view = view or draft_view(ctx.session, live.row.id, ctx.agency.id)
    assert view is not None
    submission = view.submission or new_draft(ctx.session, live.row.id, ctx.agency.id, ctx.now)
    assert submission.id is not None
    if submission.status is SubmissionStatus.DRAFT and not view.started:
        own = {a.id for a in view.activities if a.lead is None}
        relink(ctx.session, submission.id, own, view)
        view = view.relinked(own)
    return replace(view, submission=submission), submission


def _counted(ctx: Ctx) -> list[WindowActivity]:
    view = _view(ctx)
    return [a for a in view.activities if a.id in view.linked]


def _asked(ctx: Ctx) -> list[int]:
    """The content areas whose narrative is asked on its own (a counted activity tells of it)."""
    return asked_areas(ctx.programme, _counted(ctx))


def _answered(ctx: Ctx) -> set[str]:
    """The codes of the items the draft holds: read as the form begins, then kept in the form
    as it records them (what another focal point answers meanwhile shows at the next /report)."""
    if ANSWERED not in forms.data(ctx):
        forms.remember(ctx, **{ANSWERED: sorted(items_of(ctx.session, ReportForm.of(ctx).submission_id))})
    return set(forms.data(ctx)[ANSWERED])


def _record(ctx: Ctx, code: str, value: float | None = None, text: str | None = None) -> None:
    record_item(ctx.session, ReportForm.of(ctx).submission_id, code, ctx.now, value=value, text=text)
    forms.remember(ctx, **{ANSWERED: sorted(_answered(ctx) | {code})})


def _first_unanswered(ctx: Ctx, answered: set[str] | None = None) -> str:
    return first_unanswered(ctx.programme, _answered(ctx) if answered is None else answered, lambda: _asked(ctx))


def _onward(ctx: Ctx) -> Outcome:
    """After an answer: the next of the steps the form was sent to (an edit from the summary,
    the items a return flagged), then the summary; otherwise the first unanswered item."""
    then = forms.data(ctx).get("then")
    if then is None:
        return Go(_planned(_first_unanswered(ctx)))
    if then:
        forms.remember(ctx, then=then[1:])
        return Go(_planned(then[0]))
    return Go("confirm")


def _planned(step: str) -> str:
    """A step named by the report's plan (`report_plan`), as one of this form's steps."""
    base, _, arg = step.partition(":")
    if base == "ind":
        return f"ind:{arg}"
    if base == "nar":
        return f"nar:{arg}"
    if base == "activities":
        return "activities"
    return "more" if base == MORE else "confirm"


def _choose_prompt(ctx: Ctx) -> Reply:
    periods = _reportable(ctx)
    choices = [
        Choice(ctx.t("report.period_choice", name=period_name(ctx, p.row), due=deadline(p.info.due, p.cycle.due_time, ctx.lang)), f"p:{p.row.id}")
        for p in periods
    ]
    return Reply(ctx.t("report.choose_period"), choice_rows(choices))


def _choose_accept(ctx: Ctx, answer: Answer) -> Outcome:
    assert ctx.agency is not None and ctx.agency.id is not None
    choice = answer.choice or ""
    view = draft_view(ctx.session, int(choice[2:]), ctx.agency.id) if choice.startswith("p:") else None
    chosen = _live(ctx, view)
    if chosen is None:
        return Stay(ctx.t("form.pick_a_button"))
    return Switched(_open(ctx, chosen, view))


def _submission_and_period(ctx: Ctx) -> tuple[Submission, Period]:
    query = (
        select(Submission, Period)
        .join(Period, col(Period.id) == Submission.period_id)
        .where(Submission.id == ReportForm.of(ctx).submission_id)
    )
    found = ctx.session.exec(query).first()
    assert found is not None
    return found


def _activities_prompt(ctx: Ctx) -> Reply:
    view = _view(ctx)
    activities, chosen = view.activities, view.linked
    pager = Pager(len(activities), ACTIVITIES_PER_PAGE, ReportForm.of(ctx).page)
    shown = pager.slice(activities)
    marks = {a.id: ("✓ " if a.id in chosen else "") + ("↪ " if a.lead else "") + ("" if a.held else "⏳ ") for a in shown}
    choices = [Choice(marks[a.id] + f"#{a.id} {format_date(a.day, ctx.lang)} {a.title}"[:60], f"a:{a.id}") for a in shown]
    rows = choice_rows(choices) + (pager.buttons(ctx), (Button(ctx.t("register.partners_done"), "ok"),))
    text = ctx.t(
        "report.ask_activities",
        chosen=len(chosen),
        total=len(activities),
        page=pager.page + 1,
        pages=pager.pages,
    )
    others = [ctx.t("report.registered_by", number=a.id, lead=a.lead) for a in shown if a.lead]
    if any(not a.held for a in shown):
        others.append(ctx.t("report3.planned_note"))
    return Reply("\n".join([text, *others]), rows)


def _activities_accept(ctx: Ctx, answer: Answer) -> Outcome:
    choice = answer.choice or ""
    if choice == "ok":
        return _onward(ctx)
    if turned := forms.turn_page(ctx, answer):
        return turned
    if choice.startswith("a:"):
        view = _view(ctx)
        wanted = (view.linked ^ {int(choice[2:])}) & {a.id for a in view.activities}
        relink(ctx.session, ReportForm.of(ctx).submission_id, wanted, view)
        ctx.memo[VIEW] = view.relinked(wanted)
        return Redo()
    return Stay(ctx.t("form.pick_a_button"))


def _indicator_prompt(ctx: Ctx) -> Reply:
    index = int(step_arg(ctx))
    indicator = ctx.programme.indicators[index]
    unit = localised(indicator.unit, indicator.unit_en, ctx.lang)
    lines = [
        ctx.t(
            "report.ask_indicator",
            number=index + 1,
            total=len(ctx.programme.indicators),
            name=localised(indicator.name, indicator.name_en, ctx.lang),
            unit=unit,
        )
    ]
    buttons = []
    view = _coded_view(ctx, indicator.code) if indicator.code in _answered(ctx) else _view(ctx)
    tvpb = _tvpb(ctx, view) if counts_tasks(ctx.programme, [indicator]) else NO_TVPB
    suggestion = suggested(indicator, [a for a in view.activities if a.id in view.linked], tvpb)
    if suggestion is not None:
        shown = format_number(suggestion, ctx.lang)
        lines.append(ctx.t("report.suggestion", value=shown, unit=unit))
        buttons.append(Button(ctx.t("report.use_value", value=shown), f"use:{suggestion!r}"))
    current = view.item if indicator.code in _answered(ctx) else None
    if current is not None and current.value is not None:
        lines.append(ctx.t("form.current", value=f"{format_number(current.value, ctx.lang)} {unit}"))
        buttons.append(Button(ctx.t("report.keep"), "keep"))
    buttons.append(Button(ctx.t("register.skip"), "skip"))
    rows = [tuple(buttons)]
    sweeping = "then" not in forms.data(ctx)
    if sweeping and sum(1 for later in ctx.programme.indicators[index:] if later.from_activities is not None) > 1:
        rows.insert(0, (Button(ctx.t("forms.use_all_suggestions"), "use_all"),))
    return Reply("\n".join(lines), tuple(rows))


def _indicator_accept(ctx: Ctx, answer: Answer) -> Outcome:
    index = int(step_arg(ctx))
    indicator = ctx.programme.indicators[index]
    choice = answer.choice or ""
    if choice.startswith("use:"):
        return _bounded_figure(ctx, index, float(choice[4:]), answer.text)
    if choice == "keep":
        return _onward(ctx)
    if choice == "use_all":
        return _use_all_suggestions(ctx, index)
    if choice == "skip":
        return _record_figure(ctx, index, None)
    try:
        figure = read_figure(answer.text or "", whole=not indicator.decimals)
    except RuleError as error:
        return Stay(ctx.error(error))
    if figure.other is not None:
        forms.remember(ctx, checking={"text": answer.text, "values": [figure.value, figure.other]})
        return Go(f"check:{index}")
    return _bounded_figure(ctx, index, figure.value, answer.text)


def _bounded_figure(ctx: Ctx, index: int, value: float, text: str | None) -> Outcome:
    """Record a figure typed, suggested or picked after an ask-back; one above the
    indicator's plausible bound is confirmed first."""
    most = ctx.programme.indicators[index].plausible_max
    if most is not None and value > most:
        forms.remember(ctx, checking={"text": text, "values": [value], "most": most})
        return Go(f"check:{index}")
    return _record_figure(ctx, index, value)


def _use_all_suggestions(ctx: Ctx, index: int) -> Outcome:
    """Record what the counted activities suggest for this indicator and every later one
    that has a suggestion within its plausible bound; go on to the first unanswered item,
    or first confirm the first suggestion above its bound."""
    counted = _counted(ctx)
    tvpb = _tvpb(ctx, _view(ctx)) if counts_tasks(ctx.programme, ctx.programme.indicators[index:]) else NO_TVPB
    above: list[tuple[int, float]] = []
    for position, indicator in enumerate(ctx.programme.indicators[index:], start=index):
        suggestion = suggested(indicator, counted, tvpb)
        if suggestion is None:
            continue
        if indicator.plausible_max is not None and suggestion > indicator.plausible_max:
            above.append((position, suggestion))
        else:
            _record(ctx, indicator.code, value=suggestion)
    return _bounded_figure(ctx, *above[0], None) if above else _onward(ctx)


def _record_figure(ctx: Ctx, index: int, value: float | None) -> Outcome:
    _record(ctx, ctx.programme.indicators[index].code, value=value)
    return _onward(ctx)


def _check_prompt(ctx: Ctx) -> Reply:
    """A figure asked back: which of two readings ("1.234 hay 1,234?"), or whether one
    above the indicator's plausible bound is meant."""
    indicator = ctx.programme.indicators[int(step_arg(ctx))]
    unit = localised(indicator.unit, indicator.unit_en, ctx.lang)
    checking = forms.data(ctx)["checking"]
    values = [format_number(value, ctx.lang) for value in checking["values"]]
    if "most" in checking:
        text = ctx.t("forms.figure_above", value=values[0], unit=unit, most=format_number(checking["most"], ctx.lang))
        choices = [Choice(ctx.t("forms.figure_confirm", value=values[0], unit=unit), f"use:{checking['values'][0]!r}")]
    else:
        text = ctx.t("forms.figure_which", text=checking["text"], first=values[0], second=values[1], unit=unit)
        choices = [Choice(f"{shown} {unit}", f"use:{value!r}") for shown, value in zip(values, checking["values"], strict=True)]
    return Reply(text, choice_rows([*choices, Choice(ctx.t("forms.figure_retype"), "retype")]))


def _check_accept(ctx: Ctx, answer: Answer) -> Outcome:
    index = int(step_arg(ctx))
    choice = answer.choice or ""
    if choice == "retype":
        return Go(f"ind:{index}")
    checking = forms.data(ctx)["checking"]
    if choice not in {f"use:{value!r}" for value in checking["values"]}:
        return Stay(ctx.t("form.pick_a_button"))
    if "most" in checking:
        return _record_figure(ctx, index, float(choice[4:]))
    return _bounded_figure(ctx, index, float(choice[4:]), checking["text"])


def _narrative_prompt(ctx: Ctx) -> Reply:
    """An area's narrative: what it holds, or the titles of its counted activities to keep
    («Dùng gợi ý»), replace (type) or add to (type «+ …»)."""
    index = int(step_arg(ctx))
    area = ctx.programme.content_areas[index]
    text = ctx.t(
        "report.ask_narrative",
        number=index + 1,
        total=len(ctx.programme.content_areas),
        area=localised(area.name, area.name_en, ctx.lang),
        most=NARRATIVE_LENGTH[1],
    )
    code = narrative_code(area.code)
    current = _coded_view(ctx, code).item if code in _answered(ctx) else None
    hint = prefill(area, _counted(ctx))
    buttons = [Button(ctx.t("register.skip"), "skip")]
    rows: list[tuple[Button, ...]] = []
    if current is not None and current.text:
        text += "\n" + ctx.t("form.current", value=clipped(current.text, SHOWN_NARRATIVE))
        buttons.insert(0, Button(ctx.t("report.keep"), "keep"))
    elif hint is not None:
        text += "\n" + ctx.t("report3.narrative_hint", text=clipped(hint, SHOWN_HINT))
        buttons.insert(0, Button(ctx.t("report3.use_hint"), "use"))
        if "then" not in forms.data(ctx) and sum(1 for i in _asked(ctx) if i >= index) > 1:
            rows.append((Button(ctx.t("forms.use_all_suggestions"), "use_all"),))
    if current is not None and current.text or hint is not None:
        text += "\n" + ctx.t("report3.narrative_add")
    return Reply(text, (*rows, tuple(buttons)))


def _narrative_accept(ctx: Ctx, answer: Answer) -> Outcome:
    index = int(step_arg(ctx))
    area = ctx.programme.content_areas[index]
    code = narrative_code(area.code)
    if answer.choice == "use_all":
        return _use_all_hints(ctx, index)
    if answer.choice in ("use", "skip"):
        _record(ctx, code, text=prefill(area, _counted(ctx)) if answer.choice == "use" else None)
    elif answer.choice != "keep":
        if has_hidden(answer.text or ""):
            return Stay(ctx.t("form.hidden_characters"))
        text = " ".join((answer.text or "").split())
        if text.startswith("+"):
            current = _coded_view(ctx, code).item
            base = current.text if current is not None and current.text else prefill(area, _counted(ctx)) or ""
            text = " ".join(f"{base} {text[1:]}".split())
        if not NARRATIVE_LENGTH[0] <= len(text) <= NARRATIVE_LENGTH[1]:
            return Stay(ctx.t("report.narrative_length", least=NARRATIVE_LENGTH[0], most=NARRATIVE_LENGTH[1]))
        _record(ctx, code, text=text)
    return _onward(ctx)


def _use_all_hints(ctx: Ctx, index: int) -> Outcome:
    """Keep the suggested titles for this area and every later asked one still unanswered."""
    counted, answered = _counted(ctx), _answered(ctx)
    for position in _asked(ctx):
        area = ctx.programme.content_areas[position]
        if position >= index and narrative_code(area.code) not in answered:
            _record(ctx, narrative_code(area.code), text=prefill(area, counted))
    return _onward(ctx)


def _more_prompt(ctx: Ctx) -> Reply:
    """The areas no counted activity tells of, together: none more, or one to write."""
    areas = ctx.programme.content_areas
    open_areas = unasked_open(ctx.programme, _answered(ctx), _asked(ctx))
    names = "\n".join(f"• {localised(areas[i].name, areas[i].name_en, ctx.lang)}" for i in open_areas)
    choices = [Choice(ctx.t("report3.no_more"), "none")]
    choices += [Choice(ctx.t("report3.write_area", area=localised(areas[i].name, areas[i].name_en, ctx.lang))[:60], f"w:{i}") for i in open_areas]
    return Reply(ctx.t("report3.ask_more", areas=names), choice_rows(choices))


def _more_accept(ctx: Ctx, answer: Answer) -> Outcome:
    open_areas = unasked_open(ctx.programme, _answered(ctx), _asked(ctx))
    choice = answer.choice or ""
    if choice == "none":
        for i in open_areas:
            _record(ctx, narrative_code(ctx.programme.content_areas[i].code))
        return _onward(ctx)
    if choice.startswith("w:") and int(choice[2:]) in open_areas:
        return Go(f"nar:{choice[2:]}")
    return Stay(ctx.t("form.pick_a_button"))


def summary(ctx: Ctx, submission_id: int) -> str:
    """The figures and narratives of a submission, for the confirm step and for review."""
    items, linked = contents(ctx.session, submission_id)
    names, units = item_names(ctx), {i.code: localised(i.unit, i.unit_en, ctx.lang) for i in ctx.programme.indicators}
    lines = []
    for entry in entries(ctx.programme):
        item = items.get(entry.code)
        if entry.code == ACTIVITIES_ITEM:
            shown = str(linked)
        elif entry.code in units:
            shown = format_number(item.value, ctx.lang) + " " + units[entry.code] if item and item.value is not None else ctx.t("register.none")
        else:
            shown = clipped(item.text, SHOWN_NARRATIVE) if item and item.text else ctx.t("register.none")
        lines.append(f"{entry.label(names[entry.code])}: {shown}")
    return "\n".join(lines)


EDITS_PER_ROW = 6
_EDIT = re.compile(r"^(?:sua|edit)\s*(?:muc|item|so)?\s*(\S+)$")


def _confirm_prompt(ctx: Ctx) -> Reply:
    """The numbered summary: submit, keep the draft, or «sửa N» (typed, or a button where
    there are buttons) to go to item N and come back here."""
    listed = entries(ctx.programme)
    text = ctx.t("report.confirm") + "\n\n" + summary(ctx, ReportForm.of(ctx).submission_id)
    text += "\n\n" + ctx.t("report3.how_to_edit", most=len(listed))
    edits = [Button(ctx.t("report3.edit_button", number=e.number), f"edit:{e.number}", keyboard_only=True) for e in listed]
    rows = [tuple(edits[i : i + EDITS_PER_ROW]) for i in range(0, len(edits), EDITS_PER_ROW)]
    return Reply(text, ((Button(ctx.t("report.submit"), "submit"), Button(ctx.t("report.keep_draft"), "draft")), *rows))


def _edit_to(ctx: Ctx, answer: Answer) -> Outcome | None:
    """«sửa N» (a button, or typed with or without diacritics): go to item N, then back to
    the summary; a number that is no item is told so. None when the answer is no edit."""
    choice = answer.choice or ""
    found = _EDIT.match(" ".join(fold(answer.text or "").split())) if not choice else None
    wanted = choice[5:] if choice.startswith("edit:") else found.group(1) if found else None
    if wanted is None:
        return None
    most = len(entries(ctx.programme))
    entry = entry_numbered(ctx.programme, int(wanted)) if wanted.isdecimal() and len(wanted) <= 3 else None
    if entry is None:
        return Stay(ctx.t("report3.no_such_item", number=wanted[:12], most=most))
    forms.remember(ctx, then=[])
    return Go(_planned(entry.step))


def _confirm_accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice == "draft":
        return Done([ctx.say("report.draft_saved")])
    edit = _edit_to(ctx, answer)
    if edit is not None:
        return edit
    if answer.choice != "submit":
        return Stay(ctx.t("report3.confirm_what", most=len(entries(ctx.programme))))
    submission, period = _submission_and_period(ctx)
    return Done([submit_report(ctx, submission, period)])


def submit_report(ctx: Ctx, submission: Submission, period: Period) -> Reply:
    """Submit (the same transition and notices from the chat and the web): what to tell the
    person who submitted."""
    assert ctx.person is not None and ctx.person.id is not None and ctx.agency is not None
    try:
        submit(ctx.session, submission, period, ctx.person.id, ctx.now, ctx.programme.due_time(period.cycle_code))
        if ctx.agency.is_coordinator:
            mark_sent(ctx.session, submission, ctx.person.id, ctx.now)
    except RuleError as error:
        return Reply(ctx.error(error))
    name = period_name(ctx, period)
    if ctx.agency.is_coordinator:
        recipient = next((cycle.recipient for cycle in ctx.programme.cycles if cycle.code == period.cycle_code), "")
        return ctx.say("report.sent_outside", name=name, recipient=recipient, when=format_moment(ctx.now, ctx.lang))
    text = ctx.t("report.submitted", name=name, agency=ctx.agency.name, when=format_moment(ctx.now, ctx.lang), person=ctx.person.full_name)
    if submission.late:
        text += "\n" + ctx.t("report.late", due=deadline(period.due_date, ctx.programme.due_time(period.cycle_code), ctx.lang))
    _tell_office(ctx, submission, period)
    return Reply(text)


def _tell_office(ctx: Ctx, submission: Submission, period: Period) -> None:
    assert ctx.agency is not None
    stamp = f"submitted:{submission.id}:r{submission.round}"
    notice = message("report.office_notice", agency=ctx.agency.name, name=partial(period_name, ctx, period))
    tell_office(ctx.session, ctx.programme_id, stamp, notice, ctx.now)


REPORT_FORM = Flow(
    name="report",
    first="choose",
    steps={
        "choose": Step(_choose_prompt, _choose_accept, back=False),
        "activities": Step(_activities_prompt, _activities_accept, back=False),
        "ind": Step(_indicator_prompt, _indicator_accept, free_text=True),
        "check": Step(_check_prompt, _check_accept),
        "nar": Step(_narrative_prompt, _narrative_accept, free_text=True),
        MORE: Step(_more_prompt, _more_accept),
        CONFIRM: Step(_confirm_prompt, _confirm_accept),
    },
    cancelled_key="report.cancelled",
    replaced_key="forms.report_replaced",
)

COMMANDS = (
    Command("report", start_report, FOCAL_AND_ADMIN, "help.report", forms=(REPORT_FORM,)),
)
