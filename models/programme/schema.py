"""The programme file: one province's coordination regulation as data (TOML).

Pydantic checks the shape of every field; `cross_check` then checks what refers to what
(an agency's kind, a cycle's reporters, a task's due phrase ...). Both report problems as
(field path, message key, values), so `phoihop programme check` can list all of them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from models.errors import RuleError
from models.programme.due_phrases import parse_due
from models.programme.periods import DueRule, Periodicity, WindowMode, due_date, periods_of_year, window, working_days_between
from models.programme.reminders import Audience, OverdueStep, ReminderPolicy

AgencyCode = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,15}$")]
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,23}$")]
Name = Annotated[str, Field(min_length=2, max_length=300)]
Selector = Annotated[str, Field(min_length=1, max_length=40)]
CHECKED_YEARS = 10


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LegalBasis(Strict):
    number: Name
    date: date
    issuer: Name
    title: Name


class Term(Strict):
    start: date
    end: date | None = None


class ProgrammeInfo(Strict):
    code: Code
    name: Name
    name_en: Name
    province: Name
    timezone: str = "Asia/Ho_Chi_Minh"
    language: Literal["vi", "en"] = "vi"
    legal_basis: LegalBasis
    term: Term

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone") from None
        return value


class Coordinator(Strict):
    code: AgencyCode
    name: Name
    short_name: Name
    oversight: list[AgencyCode] = Field(default_factory=list)
    """Agencies whose viewers read every agency's data, as the coordinator's do (e.g. Sở Nội
    vụ, seed 000 Điều 11.1); a viewer of any other agency reads only their own agency's."""


class FocalPoints(Strict):
    leaders: int = Field(1, ge=1, le=5)
    specialists: int = Field(1, ge=1, le=5)


class AgencyKind(Strict):
    code: Code
    name: Name
    name_en: Name


class Agency(Strict):
    code: AgencyCode
    name: Name
    kind: Code


class ActivityType(Strict):
    code: Code
    name: Name
    name_en: Name


class ContentArea(Strict):
    """A part of a report's narrative; `difficulties` marks the one whose texts the
    consolidated report gathers as difficulties and proposals."""

    code: Code
    name: Name
    name_en: Name
    difficulties: bool = False


class ActivityCount(Strict):
    """An indicator that registered activities can pre-fill."""

    types: list[Code] = Field(min_length=1)
    measure: Literal["count", "participants"] = "count"


class Indicator(Strict):
    code: Code
    name: Name
    name_en: Name
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    unit_en: Annotated[str, Field(min_length=1, max_length=40)]
    from_activities: ActivityCount | None = None


class Cycle(Strict):
    code: Code
    name: Name
    name_en: Name
    reporters: list[Selector] = Field(min_length=1)
    recipient: Name
    periodicity: Periodicity
    parts: list[int] = Field(default_factory=list)
    window: WindowMode = WindowMode.NATIONAL
    due_day_of_month: int | None = Field(None, ge=1, le=28)
    due_days_after_window: int | None = Field(None, ge=1, le=90)

    def due_rule(self) -> DueRule:
        return DueRule(self.due_day_of_month, self.due_days_after_window)


class Target(Strict):
    code: Code
    name: Name
    name_en: Name
    target: int = Field(ge=1, le=100_000)
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    unit_en: Annotated[str, Field(min_length=1, max_length=40)]
    activity_types: list[Code] = Field(default_factory=list)


class Event(Strict):
    code: Code
    name: Name
    name_en: Name
    months: list[int] = Field(min_length=1)
    day: int | None = Field(None, ge=1, le=28)
    every_years: int = Field(1, ge=1, le=10)
    first_year: int = Field(ge=2000, le=2100)
    audience: list[Selector] = Field(min_length=1)


class Task(Strict):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,23}$")]
    title: Annotated[str, Field(min_length=5, max_length=1000)]
    assignees: list[Selector] = Field(min_length=1)
    due: Annotated[str, Field(min_length=1, max_length=80)]
    due_year: int | None = Field(None, ge=2000, le=2100)
    source: Name


class OverdueRule(Strict):
    after_days: int = Field(ge=1, le=90)
    notify: list[Audience] = Field(min_length=1)


class Reminders(Strict):
    before_days: list[Annotated[int, Field(ge=0, le=90)]] = Field(default_factory=lambda: [14, 7, 3, 1, 0])
    overdue: list[OverdueRule] = Field(
        default_factory=lambda: [OverdueRule(after_days=step.after_days, notify=list(step.notify)) for step in ReminderPolicy().overdue]
    )
    send_at: time = time(8, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    send_on_days_off: bool = False
    holidays: list[date] = Field(default_factory=list)

    def policy(self) -> ReminderPolicy:
        return ReminderPolicy(
            before_days=tuple(sorted(set(self.before_days), reverse=True)),
            overdue=tuple(OverdueStep(rule.after_days, tuple(rule.notify)) for rule in self.overdue),
            send_at=self.send_at,
            quiet_start=self.quiet_start,
            quiet_end=self.quiet_end,
            send_on_days_off=self.send_on_days_off,
            holidays=frozenset(self.holidays),
        )


class ReportFormat(Strict):
    """The consolidated report's header and closing, in the state format for administrative
    documents (Nghị định 30/2020/NĐ-CP, Phụ lục I): issuing body top left, its number and
    symbol under it, place and date top right, the 'Nơi nhận' block and the signer."""

    parent_body: str | None = Field(None, max_length=200)
    issuer: Name
    symbol: Annotated[str, Field(pattern=r"^[A-ZĐ0-9&-]{2,20}$")] = "BC-LHH"
    place: Name
    addressee: Name
    recipients: list[Name] = Field(min_length=1)
    signer: list[Name] = Field(min_length=1, max_length=3)


class Programme(Strict):
    programme: ProgrammeInfo
    coordinator: Coordinator
    focal_points: FocalPoints = FocalPoints()
    agency_kinds: list[AgencyKind] = Field(min_length=1)
    agencies: list[Agency] = Field(min_length=1)
    activity_types: list[ActivityType] = Field(min_length=1)
    content_areas: list[ContentArea] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    cycles: list[Cycle] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    reminders: Reminders = Reminders()
    report: ReportFormat | None = None

    @property
    def code(self) -> str:
        return self.programme.code

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.programme.timezone)

    def agencies_for(self, selectors: list[str]) -> list[str]:
        """Agency codes a list of selectors names: 'all' (every agency), 'kind:CODE',
        the coordinator's code or an agency's code, in the order of the file."""
        chosen: set[str] = set()
        for selector in selectors:
            chosen |= _select(self, selector)
        order = [self.coordinator.code] + [agency.code for agency in self.agencies]
        return [code for code in order if code in chosen]

    def report_format(self) -> ReportFormat:
        """The file's [report] section, or one made from the coordinator and province."""
        if self.report is not None:
            return self.report
        return ReportFormat(
            issuer=self.coordinator.name.upper(),
            place=self.programme.province,
            addressee=f"Ủy ban nhân dân tỉnh {self.programme.province}",
            recipients=[f"UBND tỉnh {self.programme.province} (để báo cáo)", "Lưu: VT, VP LHH"],
            signer=["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        )

    def oversees(self, agency_code: str) -> bool:
        """Whether viewers of this agency read every agency's data (`Coordinator.oversight`)."""
        return agency_code == self.coordinator.code or agency_code in self.coordinator.oversight

    def cycle(self, code: str) -> Cycle:
        return next(cycle for cycle in self.cycles if cycle.code == code)

    def task_due(self, task: Task) -> date:
        return parse_due(task.due, task.due_year)


def _select(programme: Programme, selector: str) -> set[str]:
    if selector == "all":
        return {agency.code for agency in programme.agencies}
    if selector.startswith("kind:"):
        kind = selector.removeprefix("kind:")
        return {agency.code for agency in programme.agencies if agency.kind == kind}
    codes = {agency.code for agency in programme.agencies} | {programme.coordinator.code}
    return {selector} & codes


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a programme file, at `path` (e.g. 'agencies[3].kind')."""

    path: str
    key: str
    params: dict[str, Any]


def loc_to_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


_PYDANTIC_KEYS = {
    "missing": "check.missing",
    "extra_forbidden": "check.unknown_field",
    "string_pattern_mismatch": "check.bad_code",
    "string_too_short": "check.too_short",
    "string_too_long": "check.too_long",
    "too_short": "check.too_few",
    "greater_than_equal": "check.too_small",
    "less_than_equal": "check.too_large",
    "enum": "check.bad_choice",
    "literal_error": "check.bad_choice",
}


def _from_pydantic(error: Any) -> Problem:
    kind = error["type"]
    key = _PYDANTIC_KEYS.get(kind)
    if key is None and kind.startswith(("date", "time")):
        key = "check.bad_date"
    elif key is None and kind.endswith(("_type", "_parsing")):
        key = "check.bad_type"
    context = error.get("ctx") or {}
    limit = next((context[name] for name in ("ge", "gt", "le", "lt", "min_length", "max_length") if name in context), "")
    params = {"detail": error["msg"], "limit": limit, "expected": context.get("expected", ""), "pattern": context.get("pattern", "")}
    return Problem(loc_to_path(error["loc"]), key or "check.invalid", params)


def _duplicates(items: list[Any], prefix: str) -> list[Problem]:
    seen: set[str] = set()
    found = []
    for index, item in enumerate(items):
        if item.code in seen:
            found.append(Problem(f"{prefix}[{index}].code", "check.duplicate_code", {"code": item.code}))
        seen.add(item.code)
    return found


def _unknown(values: list[str], known: set[str], path: str, key: str) -> list[Problem]:
    return [Problem(f"{path}[{i}]", key, {"code": value}) for i, value in enumerate(values) if value not in known]


def _selector_problems(programme: Programme, selectors: list[str], path: str) -> list[Problem]:
    return [
        Problem(f"{path}[{i}]", "check.unknown_selector", {"code": selector})
        for i, selector in enumerate(selectors)
        if not _select(programme, selector)
    ]


def _cycle_problems(programme: Programme, index: int, cycle: Cycle) -> list[Problem]:
    path = f"cycles[{index}]"
    problems = _selector_problems(programme, cycle.reporters, f"{path}.reporters")
    problems += [
        Problem(f"{path}.parts[{i}]", "check.bad_part", {"part": part, "most": cycle.periodicity.parts})
        for i, part in enumerate(cycle.parts)
        if not 1 <= part <= cycle.periodicity.parts
    ]
    try:
        rule = cycle.due_rule()
    except RuleError as error:
        return problems + [Problem(path, "check.due_rule", {})] if error.key == "due_rule.exactly_one" else problems
    if problems:
        return problems
    holidays = frozenset(programme.reminders.holidays)
    term = programme.programme.term
    last_year = term.end.year if term.end else term.start.year + CHECKED_YEARS
    for year in range(term.start.year, last_year + 1):
        for key in periods_of_year(cycle.periodicity, year, tuple(cycle.parts)):
            cutoff = window(key, cycle.window).end
            # Nghị định 09/2019/NĐ-CP Điều 8.5.b: at least one working day between the cut-off and the deadline.
            if working_days_between(cutoff, due_date(cutoff, rule), holidays) < 1:
                return [Problem(path, "check.due_too_soon", {"period": key.code})]
    return []


def cross_check(programme: Programme) -> list[Problem]:
    """Everything that refers to something else, and the rules a single field cannot hold."""
    problems: list[Problem] = []
    for name in ("agency_kinds", "agencies", "activity_types", "content_areas", "indicators", "cycles", "targets", "events", "tasks"):
        problems += _duplicates(getattr(programme, name), name)
    if any(agency.code == programme.coordinator.code for agency in programme.agencies):
        problems.append(Problem("coordinator.code", "check.duplicate_code", {"code": programme.coordinator.code}))
    agencies = {agency.code for agency in programme.agencies}
    problems += _unknown(programme.coordinator.oversight, agencies, "coordinator.oversight", "check.unknown_agency")
    kinds = {kind.code for kind in programme.agency_kinds}
    types = {kind.code for kind in programme.activity_types}
    problems += [
        Problem(f"agencies[{i}].kind", "check.unknown_kind", {"code": agency.kind})
        for i, agency in enumerate(programme.agencies)
        if agency.kind not in kinds
    ]
    for i, indicator in enumerate(programme.indicators):
        if indicator.from_activities:
            problems += _unknown(indicator.from_activities.types, types, f"indicators[{i}].from_activities.types", "check.unknown_type")
    for i, target in enumerate(programme.targets):
        problems += _unknown(target.activity_types, types, f"targets[{i}].activity_types", "check.unknown_type")
    for i, cycle in enumerate(programme.cycles):
        problems += _cycle_problems(programme, i, cycle)
    for i, event in enumerate(programme.events):
        problems += _selector_problems(programme, event.audience, f"events[{i}].audience")
        problems += [
            Problem(f"events[{i}].months[{j}]", "check.bad_month", {"month": m}) for j, m in enumerate(event.months) if not 1 <= m <= 12
        ]
    for i, task in enumerate(programme.tasks):
        problems += _selector_problems(programme, task.assignees, f"tasks[{i}].assignees")
        try:
            programme.task_due(task)
        except RuleError as error:
            problems.append(Problem(f"tasks[{i}].due", error.key, error.params))
    return problems


@dataclass(frozen=True)
class Checked:
    programme: Programme | None
    problems: list[Problem]


def check_data(data: dict[str, Any]) -> Checked:
    """Every problem in a programme: shape first, then references. When some list items are
    malformed, the references of the well-formed rest are still checked."""
    try:
        programme = Programme.model_validate(data)
    except ValidationError as error:
        problems = [_from_pydantic(item) for item in error.errors()]
        salvaged = _salvage(data)
        if salvaged is not None:
            partial, kept = salvaged
            problems += [_renumber(problem, kept) for problem in cross_check(partial)]
        return Checked(None, problems)
    return Checked(programme, cross_check(programme))


def _list_item_model(name: str) -> type[BaseModel] | None:
    annotation = Programme.model_fields[name].annotation
    args = getattr(annotation, "__args__", ())
    return args[0] if getattr(annotation, "__origin__", None) is list and args else None


def _salvage(data: dict[str, Any]) -> tuple[Programme, dict[str, list[int]]] | None:
    """The programme without its malformed list items, and which items were kept."""
    cleaned, kept = dict(data), {}
    for name in Programme.model_fields:
        model = _list_item_model(name)
        if model is None or not isinstance(data.get(name), list):
            continue
        kept[name] = [i for i, item in enumerate(data[name]) if _valid(model, item)]
        cleaned[name] = [data[name][i] for i in kept[name]]
    try:
        return Programme.model_validate(cleaned), kept
    except ValidationError:
        return None


def _valid(model: type[BaseModel], item: Any) -> bool:
    try:
        model.model_validate(item)
    except ValidationError:
        return False
    return True


def _renumber(problem: Problem, kept: dict[str, list[int]]) -> Problem:
    """A salvaged programme's path back to the file's own item numbers."""
    name, bracket, rest = problem.path.partition("[")
    if not bracket or name not in kept:
        return problem
    index, _, tail = rest.partition("]")
    return Problem(f"{name}[{kept[name][int(index)]}]{tail}", problem.key, problem.params)


def check_file(path: Path) -> Checked:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Checked(None, [Problem(str(path), "check.unreadable_file", {"detail": str(error)})])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Checked(None, [Problem(str(path), "check.toml_syntax", {"detail": str(error)})])
    return check_data(data)


def load_programme(path: Path) -> Programme:
    """The programme in `path`; raises ProgrammeInvalid listing every problem."""
    checked = check_file(path)
    if checked.problems or checked.programme is None:
        raise ProgrammeInvalid(path, checked.problems)
    return checked.programme


class ProgrammeInvalid(Exception):
    def __init__(self, path: Path, problems: list[Problem]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path = path
        self.problems = problems
