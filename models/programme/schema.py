"""The programme file: one province's coordination regulation as data (TOML).

Pydantic checks the shape of every field; `cross_check` then checks what refers to what
(an agency's kind, a cycle's reporters, a task's due phrase ...). Both report problems as
(field path, message key, values), so `phoihop programme check` can list all of them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from models.errors import RuleError
from models.programme.checks import (
    cycle_timing_problems,
    difficulties_problems,
    event_day_problems,
    overdue_problems,
    send_at_problems,
    term_problems,
    tvpb_problems,
)
from models.programme.due_phrases import parse_due_moment
from models.programme.problems import Problem
from models.programme.periods import DueRule, Periodicity, ProgrammeDays, WindowMode, add_years, is_working_day
from models.programme.reminders import Audience, OverdueStep, ReminderPolicy

AgencyCode = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,15}$")]
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,23}$")]
Name = Annotated[str, Field(min_length=2, max_length=300)]
Selector = Annotated[str, Field(min_length=1, max_length=40)]
CHECKED_YEARS = 10


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class LegalBasis(Strict):
    """The document the programme carries out."""

    number: Name
    """The document's number and symbol, as printed on it."""
    date: date
    """The date the document was signed (its real date, whatever the go-live date)."""
    issuer: Name
    """Who issued the document."""
    title: Name
    """The document's title (trích yếu)."""
    kind: str | None = Field(None, min_length=2, max_length=40, examples=["Quyết định"])
    """The document's kind as the report cites it ("Thực hiện Quyết định số …"); none: read from its symbol (QĐ, NQ, KH, CT, CV), else "văn bản"."""


class Term(Strict):
    """The period the programme covers: its targets count over it, `programme check` checks its years."""

    start: date
    """First day the programme covers."""
    end: date | None = None
    """Last day it covers; none for a regulation without an end (then checked 10 years on)."""


class ProgrammeInfo(Strict):
    """What the programme is, where, and in which zone its dates are read."""

    code: Code
    """The programme's code: how commands and PHOIHOP_PROGRAMME name it."""
    name: Annotated[str, Field(min_length=2, max_length=300, examples=["Quy chế phối hợp hoạt động khoa học và công nghệ"])]
    """Its full name in Vietnamese."""
    name_en: Annotated[str, Field(min_length=2, max_length=300, examples=["Science and technology coordination regulation"])]
    """Its name in English."""
    province: Name
    """The province (or centrally governed city)."""
    timezone: str = "Asia/Ho_Chi_Minh"
    """IANA time zone in which dates and hours are read."""
    language: Literal["vi", "en"] = "vi"
    """Language of the consolidated report."""
    default_language: Literal["vi", "en"] = Field("vi", examples=["en"])
    """Language the bot speaks to a newcomer until they choose another (/lang, or the choice offered when they start); the language their messenger app reports is not followed (Telegram's apps have no Vietnamese interface, so most report English)."""
    legal_basis: LegalBasis
    term: Term
    live_from: date | None = Field(None, examples=[date(2027, 3, 1)])
    """The go-live date: periods due before it are not asked for, reminded of or shown overdue, and nothing is sent before it (none: no such date). The legal basis keeps its own date."""
    deadline_on_day_off: Literal["stays", "next_working_day"] = Field("stays", examples=["next_working_day"])
    """A deadline on a weekend or holiday stays there, or moves to the next working day (Bộ luật Dân sự 2015 Điều 148); a report on that day is on time."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError("unknown_timezone", "unknown time zone {zone}", {"zone": value}) from None
        return value


class Coordinator(Strict):
    """The body that coordinates (the LHH): it reviews, chases and consolidates."""

    code: AgencyCode
    """The coordinating body's agency code (the LHH)."""
    name: Name
    """Its full name."""
    short_name: Name
    """The short name messages use."""
    oversight: list[AgencyCode] = Field(default_factory=list)
    """Agencies whose viewers read every agency's data, as the coordinator's do (e.g. Sở Nội
    vụ, seed 000 Điều 11.1); a viewer of any other agency reads only their own agency's."""


class FocalPoints(Strict):
    """How many focal points each agency names (seed 000 Điều 11.2: one leader, one specialist)."""

    leaders: int = Field(1, ge=1, le=5)
    """Leaders in charge each agency names as focal points."""
    specialists: int = Field(1, ge=1, le=5)
    """Specialists each agency names as focal points."""


class AgencyKind(Strict):
    """A kind of agency (sở, huyện, hội ...), for `kind:CODE` selectors and the report's tables."""

    code: Code
    """The kind's code, used by `kind:CODE` selectors."""
    name: Name
    """Its name in Vietnamese."""
    name_en: Name
    """Its name in English."""


class Agency(Strict):
    """One agency the programme coordinates."""

    code: AgencyCode
    """The agency's code (capitals), used in selectors and invites."""
    name: Name
    """Its full name."""
    kind: Code
    """The code of one of the agency_kinds."""


class AgencyChange(Strict):
    """An agency that became part of another, or was renamed (a new code): loading the file
    moves its activities, submissions, task shares, people and groups to the new one, and
    ends its reminders and its unused invites. Nothing is deleted; an agency dropped from the
    file without a change is made inactive and named by `phoihop programme load`."""

    old: Annotated[AgencyCode, Field(examples=["UBND-SAPA"])]
    """The old agency's code, no longer among `agencies`."""
    new: Annotated[AgencyCode, Field(examples=["UBND-XA-SAPA"])]
    """The agency it became part of, or its new code: one of `agencies`."""
    on: date = Field(examples=[date(2025, 7, 1)])
    """The day it took effect."""
    basis: Name | None = Field(None, examples=["Nghị quyết số 202/2025/QH15 ngày 12/6/2025"])
    """The document that decided it."""
    focal_points: Literal["move", "reinvite"] = Field("move", examples=["reinvite"])
    """`move`: the old agency's focal points become the new one's while its seats (focal_points) allow; whoever finds the seat taken is ended, and the office invites again. `reinvite`: all of them are ended, and the office invites the new agency's afresh. Ended people keep their history."""


class ActivityType(Strict):
    """A kind of coordination activity agencies register."""

    code: Code
    """The type's code."""
    name: Name
    """Its name in Vietnamese."""
    name_en: Name
    """Its name in English."""


class ContentArea(Strict):
    """A part of a report's narrative; `difficulties` marks the one whose texts the
    consolidated report gathers as difficulties and proposals."""

    code: Code
    """The area's code."""
    name: Name
    """Its heading in Vietnamese."""
    name_en: Name
    """Its heading in English."""
    difficulties: bool = False
    """Whether this is the difficulties-and-proposals area (at most one)."""
    activity_types: list[Code] = Field(default_factory=list, examples=[["hoi-thao", "tap-huan"]])
    """Activity types whose activities this area tells of: /report asks this area's narrative (pre-filled with their titles) only when the report counts one of them; the other areas are offered together, to skip at once."""


class ActivityCount(Strict):
    """An indicator that registered activities can pre-fill."""

    types: list[Code] = Field(min_length=1)
    """Activity types whose activities count."""
    measure: Literal["count", "participants"] = "count"
    """Count the activities, or add up their participants."""


class Indicator(Strict):
    """A figure each report gives."""

    code: Code
    """The indicator's code."""
    name: Name
    """Its name in Vietnamese."""
    name_en: Name
    """Its name in English."""
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    """Its unit in Vietnamese."""
    unit_en: Annotated[str, Field(min_length=1, max_length=40)]
    """Its unit in English."""
    from_activities: ActivityCount | None = None
    """Pre-fill it from registered activities."""
    decimals: bool = False
    """Whether the figure may have decimals (money, as "triệu đồng"); counted units (cuộc, lớp, người, mô hình) take whole numbers only."""
    plausible_max: float | None = Field(default=None, gt=0, examples=[500])
    """Above this figure the report asks the person to confirm it (a typing slip is likelier); no bound when left out."""


class OverdueRule(Strict):
    """One escalation step after a deadline."""

    after_days: int = Field(ge=1, le=90, examples=[3])
    """Days after the deadline."""
    notify: list[Audience] = Field(min_length=1, examples=[["focal_points", "leader"]])
    """Who is told."""

    def step(self) -> OverdueStep:
        return OverdueStep(self.after_days, tuple(self.notify))


class CycleReminders(Strict):
    """A cycle's own reminder steps; what it leaves out comes from the programme's [reminders]."""

    before_days: list[Annotated[int, Field(ge=0, le=90)]] | None = Field(None, examples=[[10, 5, 0]])
    """Days before the deadline on which focal points are reminded."""
    overdue: list[OverdueRule] | None = None
    """The escalation after the deadline, in increasing days."""


class Cycle(Strict):
    """A reporting cycle: who reports what to whom, how often, and by when. Each period's data window closes on its cut-off; the deadline follows it, with at least one working day between (Nghị định 09/2019/NĐ-CP Điều 8.5.b) and before the next period's cut-off."""

    code: Code
    """The cycle's code."""
    name: Name
    """The report's name in Vietnamese."""
    name_en: Name
    """Its name in English."""
    reporters: list[Selector] = Field(min_length=1)
    """Who reports: `all`, `kind:CODE`, an agency's code or the coordinator's."""
    recipient: Name
    """Who receives the report."""
    periodicity: Periodicity
    """How often."""
    parts: list[int] = Field(default_factory=list)
    """Only these periods of each year (e.g. `[1]`: the first half only); empty: all."""
    window: WindowMode = WindowMode.NATIONAL
    """Data windows: `nd09` (Nghị định 09/2019 Điều 12: the 15th to the 14th) or `calendar` months."""
    due_day_of_month: int | None = Field(None, ge=1, le=31)
    """The deadline: this day of the month (31: the month's last day), in the cut-off's month for `nd09` windows, the next one for calendar windows, unless due_months_after_cutoff says otherwise. Give this or due_days_after_window."""
    due_months_after_cutoff: int | None = Field(None, ge=0, le=3, examples=[1])
    """The month of due_day_of_month, counted from the cut-off's month (0: that month): "ngày 10 tháng sau" is 10 with 1. A deadline on or before the cut-off is refused, never moved."""
    due_days_after_window: int | None = Field(None, ge=1, le=90, examples=[10])
    """The deadline: this many days after the cut-off. Give this or due_day_of_month."""
    due_time: time | None = Field(None, examples=[time(17, 0)])
    """The deadline's hour ("17 giờ ngày 20"): a report after it is late; none: the end of the day."""
    reminders: CycleReminders | None = None
    """This cycle's own reminder steps, where the regulation gives them; none: the programme's [reminders]."""
    _days: ProgrammeDays = PrivateAttr(default_factory=ProgrammeDays)

    def policy(self, base: ReminderPolicy) -> ReminderPolicy:
        """The programme's policy with this cycle's own steps in place of its defaults."""
        own = self.reminders
        if own is None:
            return base
        before = base.before_days if own.before_days is None else tuple(sorted(set(own.before_days), reverse=True))
        overdue = base.overdue if own.overdue is None else tuple(rule.step() for rule in own.overdue)
        return replace(base, before_days=before, overdue=overdue)

    def due_rule(self) -> DueRule:
        days = self._days
        return DueRule(self.due_day_of_month, self.due_days_after_window, self.due_months_after_cutoff, days.next_working_day, days.holidays)

    @property
    def live_from(self) -> date | None:
        return self._days.live_from


class Target(Strict):
    """A target over the term or for each year, counted from registered activities of the given types."""

    code: Code
    """The target's code."""
    name: Name
    """Its name in Vietnamese."""
    name_en: Name
    """Its name in English."""
    target: int = Field(ge=1, le=100_000)
    """How many: over the term, or each year (see `per`)."""
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    """Its unit in Vietnamese."""
    unit_en: Annotated[str, Field(min_length=1, max_length=40)]
    """Its unit in English."""
    activity_types: list[Code] = Field(default_factory=list)
    """Activity types that count towards it."""
    per: Literal["term", "year"] = Field("term", examples=["year"])
    """`term`: `target` over the whole term; `year`: `target` in each calendar year of it (the current year's is shown)."""


class Event(Strict):
    """A recurring event (a conference, a contest), announced on its before_days (by default a week before and on the day)."""

    code: Code
    """The event's code."""
    name: Name
    """Its name in Vietnamese."""
    name_en: Name
    """Its name in English."""
    months: list[int] = Field(min_length=1)
    """Months it takes place in."""
    day: int | None = Field(None, ge=1, le=31)
    """Day of the month; none: some time during the month. A day a listed month lacks (30 in February) is refused unless clamp_to_month_end."""
    clamp_to_month_end: bool = Field(False, examples=[True])
    """Read a day past a month's end as that month's last day (31 in April: the 30th)."""
    every_years: int = Field(1, ge=1, le=10)
    """Every this many years, counted from first_year."""
    first_year: int = Field(ge=2000, le=2100)
    """The first year it takes place."""
    audience: list[Selector] = Field(min_length=1)
    """Who is told: selectors as in cycles.reporters."""
    before_days: list[Annotated[int, Field(ge=0, le=60)]] = Field(default_factory=lambda: [7, 0], min_length=1, examples=[[14, 7, 0]])
    """Days before the event (the 1st of its month, for one without a day) on which it is announced; 0: on the day."""


class Task(Strict):
    """A task assigned with a deadline, as the assigning document writes it."""

    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,23}$")]
    """The task's code, as the assigning document numbers it."""
    title: Annotated[str, Field(min_length=5, max_length=1000, examples=["Xây dựng Website của Liên hiệp hội"])]
    """What is to be done."""
    assignees: list[Selector] = Field(min_length=1)
    """Who does it: selectors as in cycles.reporters."""
    due: Annotated[str, Field(min_length=1, max_length=80)]
    """The deadline as the document writes it: `quý IV/2012`, `tháng 11/2012`, `trước ngày 15/6`, `15/7/2022`."""
    due_year: int | None = Field(None, ge=2000, le=2100, examples=[2027])
    """The year for a `due` that gives none."""
    source: Name
    """The document that assigns it."""
    every_years: int | None = Field(None, ge=1, le=10, examples=[2])
    """A recurring task (a contest's entry deadline): again every this many years after the first `due`, each edition coded `CODE-YEAR`."""
    last_year: int | None = Field(None, ge=2000, le=2100, examples=[2030])
    """The last year of a recurring task; none: the term's last year."""


@dataclass(frozen=True)
class TaskEdition:
    """One occurrence of a task: the task itself, or one edition of a recurring one."""

    code: str
    task: Task
    due: date
    at: time | None
    due_text: str


class Reminders(Strict):
    """When and how reminders go out."""

    before_days: list[Annotated[int, Field(ge=0, le=90)]] = Field(default_factory=lambda: [14, 7, 3, 1, 0])
    """Days before a deadline on which focal points are reminded (0: on the day)."""
    overdue: list[OverdueRule] = Field(
        default_factory=lambda: [OverdueRule(after_days=step.after_days, notify=list(step.notify)) for step in ReminderPolicy().overdue]
    )
    """The escalation after a deadline, in increasing days."""
    send_at: time = time(8, 0)
    """The hour reminders go out."""
    quiet_start: time = time(21, 0)
    """No message from this hour ..."""
    quiet_end: time = time(7, 0)
    """... to this one."""
    send_on_days_off: bool = False
    """Whether reminders go out on weekends and holidays."""
    holidays: list[date] = Field(default_factory=list, examples=[[date(2027, 1, 1), date(2027, 4, 30), date(2027, 5, 1)]])
    """Public holidays: no working day."""

    def policy(self) -> ReminderPolicy:
        return ReminderPolicy(
            before_days=tuple(sorted(set(self.before_days), reverse=True)),
            overdue=tuple(rule.step() for rule in self.overdue),
            send_at=self.send_at,
            quiet_start=self.quiet_start,
            quiet_end=self.quiet_end,
            send_on_days_off=self.send_on_days_off,
            holidays=frozenset(self.holidays),
        )


class TvpbPart(Strict):
    """One part a social-critique dossier must hold."""

    code: Code = Field(examples=["to-trinh"])
    """Its code."""
    name: Name = Field(examples=["Tờ trình"])
    """Its name, in the seed's wording."""
    name_en: Name = Field(examples=["Submission letter"])
    """Its name in English."""


class TvpbField(Strict):
    """A field of expertise: what a scheme is about and what an expert knows."""

    code: Code = Field(examples=["nong-nghiep"])
    """Its code."""
    name: Name = Field(examples=["Nông nghiệp, nông thôn"])
    """Its name."""
    name_en: Name = Field(examples=["Agriculture and rural development"])
    """Its name in English."""


class TvpbReminders(Strict):
    """The chasing steps of one TVPB deadline; what it leaves out comes from [reminders]."""

    before_days: list[Annotated[int, Field(ge=0, le=90)]] | None = Field(None, examples=[[7, 3, 0]])
    """Days before the deadline on which the drafting agency's focal points are reminded."""
    overdue: list[OverdueRule] | None = None
    """The escalation after the deadline (leader, then the LHH office), in increasing days."""

    def policy(self, base: ReminderPolicy) -> ReminderPolicy:
        return replace(
            base,
            before_days=base.before_days if self.before_days is None else tuple(sorted(set(self.before_days), reverse=True)),
            overdue=base.overdue if self.overdue is None else tuple(rule.step() for rule in self.overdue),
        )


class Tvpb(Strict):
    """Social critique (tư vấn, phản biện và giám định xã hội, TVPB&GĐXH): the dossier rule
    of seed 004 (line 301: "gửi về Liên hiệp hội trước khi trình UBND tỉnh ít nhất 20 ngày",
    then the "báo cáo tiếp thu, giải trình") and the fields of the expert bank (seed 001
    mục 2, seed 003 mục 1)."""

    dossier_days_before: int = Field(20, ge=1, le=120, examples=[20])
    """Days before the planned submission to the UBND tỉnh by which the full dossier must
    reach the LHH; a deadline on a day off moves to the working day before it."""
    response_days_after: int = Field(15, ge=1, le=120, examples=[15])
    """Days after the critique report is sent by which the drafting agency's 'báo cáo tiếp
    thu, giải trình' is due (a setting: the seeds give no number)."""
    council_notice_days: list[Annotated[int, Field(ge=0, le=60)]] = Field(default_factory=lambda: [3, 1, 0], examples=[[3, 1, 0]])
    """Days before the critique workshop on which the council members are reminded."""
    parts: list[TvpbPart] = Field(min_length=1)
    """The dossier's required parts."""
    fields: list[TvpbField] = Field(min_length=1)
    """The fields of the schemes and of the expert bank."""
    activity_type: Code | None = Field(None, examples=["tvpb"])
    """The activity type whose targets and indicators count the TVPB tasks: a task counts for the LHH once its critique report is sent (seed 004 line 291: the LHH leads the critique); an activity of this type linked to a task counts through it only."""
    dossier_reminders: TvpbReminders = TvpbReminders()
    """Chasing the dossier."""
    response_reminders: TvpbReminders = TvpbReminders()
    """Chasing the báo cáo tiếp thu, giải trình."""


class ReportFormat(Strict):
    """The consolidated report's header and closing, in the state format for administrative
    documents (Nghị định 30/2020/NĐ-CP, Phụ lục I): issuing body top left, its number and
    symbol under it, place and date top right, the 'Nơi nhận' block and the signer."""

    parent_body: str | None = Field(None, max_length=200, examples=["ĐẢNG ĐOÀN LIÊN HIỆP HỘI"])
    """The body above the issuer, printed over it."""
    issuer: Name
    """The issuing body, in capitals."""
    issuer_lines: list[Name] | None = Field(None, min_length=1, max_length=2, examples=[["LIÊN HIỆP CÁC HỘI KHOA HỌC", "VÀ KỸ THUẬT TỈNH LÀO CAI"]])
    """The issuing body as printed, on one or two lines (Nghị định 30/2020 Phụ lục I: never break a word pair); none: split before "VÀ" or "TỈNH"."""
    symbol: Annotated[str, Field(pattern=r"^[A-ZĐ0-9&-]{2,20}$")] = "BC-LHH"
    """The document symbol after its number."""
    place: Name
    """Place in the date line."""
    addressee: Name
    """Whom the report is addressed to (Kính gửi)."""
    recipients: list[Name] = Field(min_length=1)
    """The Nơi nhận block."""
    signer: list[Name] = Field(min_length=1, max_length=3)
    """The signature block's lines."""
    signer_name: str | None = Field(None, min_length=2, max_length=120, examples=["Nguyễn Văn An"])
    """The signer's name under the space for the signature; /assess can set it for one period; none: the space is left for it."""


class Programme(Strict):
    """A programme file."""

    programme: ProgrammeInfo
    """The programme itself."""
    coordinator: Coordinator
    """The coordinating body."""
    focal_points: FocalPoints = FocalPoints()
    """Focal points per agency."""
    agency_kinds: list[AgencyKind] = Field(min_length=1)
    """Kinds of agency."""
    agencies: list[Agency] = Field(min_length=1)
    """The agencies the programme coordinates."""
    agency_changes: list[AgencyChange] = Field(default_factory=list)
    """Agencies merged into others or renamed."""
    activity_types: list[ActivityType] = Field(min_length=1)
    """Kinds of coordination activity."""
    content_areas: list[ContentArea] = Field(default_factory=list)
    """Parts of a report's narrative."""
    indicators: list[Indicator] = Field(default_factory=list)
    """Figures a report gives."""
    cycles: list[Cycle] = Field(default_factory=list)
    """Reporting cycles."""
    targets: list[Target] = Field(default_factory=list)
    """Targets over the term."""
    events: list[Event] = Field(default_factory=list)
    """Recurring events."""
    tasks: list[Task] = Field(default_factory=list)
    """Tasks assigned with a deadline."""
    reminders: Reminders = Reminders()
    """The reminder policy."""
    report: ReportFormat | None = None
    """The consolidated report's header and closing; default: made from the coordinator."""
    tvpb: Tvpb | None = None
    """Social critique dossiers and the expert bank; none: the programme does not run them."""

    def model_post_init(self, context: Any, /) -> None:
        days = ProgrammeDays(
            frozenset(self.reminders.holidays), self.programme.deadline_on_day_off == "next_working_day", self.programme.live_from
        )
        for cycle in self.cycles:
            cycle._days = days

    @property
    def code(self) -> str:
        return self.programme.code

    @property
    def live_from(self) -> date | None:
        return self.programme.live_from

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

    def years(self) -> range:
        """The calendar years of the term; a term without an end is checked CHECKED_YEARS on."""
        term = self.programme.term
        return range(term.start.year, (term.end.year if term.end else term.start.year + CHECKED_YEARS) + 1)

    def oversees(self, agency_code: str) -> bool:
        """Whether viewers of this agency read every agency's data (`Coordinator.oversight`)."""
        return agency_code == self.coordinator.code or agency_code in self.coordinator.oversight

    def cycle(self, code: str) -> Cycle:
        return next(cycle for cycle in self.cycles if cycle.code == code)

    def reports_outside(self, cycle: Cycle) -> bool:
        """Whether only the coordinator reports in `cycle`: its report to a body outside the
        programme (Sở Nội vụ, UBND tỉnh), consolidated from the agencies' reports."""
        return set(self.agencies_for(cycle.reporters)) == {self.coordinator.code}

    def due_time(self, cycle_code: str) -> time | None:
        """The hour of a cycle's deadlines (none for a cycle no longer in the file)."""
        return next((cycle.due_time for cycle in self.cycles if cycle.code == cycle_code), None)

    def task_times(self) -> dict[str, time]:
        """The hour of each task's (and recurring task's edition's) deadline whose due phrase gives one, by code."""
        return {edition.code: edition.at for edition in self.task_editions() if edition.at is not None}

    def task_due(self, task: Task) -> date:
        """The task's (first) deadline, moved off a day off when the programme says so."""
        return self._moved(parse_due_moment(task.due, task.due_year).day)

    def _moved(self, due: date) -> date:
        while self.programme.deadline_on_day_off == "next_working_day" and not is_working_day(due, frozenset(self.reminders.holidays)):
            due += timedelta(days=1)
        return due

    def task_editions(self) -> list[TaskEdition]:
        """Every task, and every edition of a recurring one up to its last year."""
        return [edition for task in self.tasks for edition in self._editions(task)]

    def _editions(self, task: Task) -> list[TaskEdition]:
        first = parse_due_moment(task.due, task.due_year)
        if task.every_years is None:
            return [TaskEdition(task.code, task, self._moved(first.day), first.at, task.due)]
        last = task.last_year or self.years()[-1]
        editions = []
        for years in range(0, last - first.day.year + 1, task.every_years):
            nominal = add_years(first.day, years)
            text = task.due if years == 0 else f"{nominal:%d/%m/%Y}" if first.at is None else f"{first.at:%H:%M} ngày {nominal:%d/%m/%Y}"
            editions.append(TaskEdition(f"{task.code}-{nominal.year}", task, self._moved(nominal), first.at, text))
        return editions


def _select(programme: Programme, selector: str) -> set[str]:
    if selector == "all":
        return {agency.code for agency in programme.agencies}
    if selector.startswith("kind:"):
        kind = selector.removeprefix("kind:")
        return {agency.code for agency in programme.agencies if agency.kind == kind}
    codes = {agency.code for agency in programme.agencies} | {programme.coordinator.code}
    return {selector} & codes


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
    "too_long": "check.too_many",
    "greater_than_equal": "check.too_small",
    "less_than_equal": "check.too_large",
    "enum": "check.bad_choice",
    "literal_error": "check.bad_choice",
    "unknown_timezone": "check.unknown_timezone",
    "int_from_float": "check.not_whole_number",
    "int_type": "check.not_whole_number",
    "int_parsing": "check.not_whole_number",
    "float_type": "check.not_number",
    "float_parsing": "check.not_number",
    "string_type": "check.not_text",
    "bool_type": "check.not_true_false",
    "bool_parsing": "check.not_true_false",
    "list_type": "check.not_list",
    "model_type": "check.not_table",
    "dict_type": "check.not_table",
    "model_attributes_type": "check.not_table",
}
"""pydantic's error types to catalogue keys: the person reads the check in their own
language, never pydantic's English."""


def _from_pydantic(error: Any) -> Problem:
    kind = error["type"]
    key = _PYDANTIC_KEYS.get(kind)
    if key is None:
        key = "check.bad_date" if kind.startswith(("date", "time")) else "check.invalid"
    context = error.get("ctx") or {}
    limit = next((context[name] for name in ("ge", "gt", "le", "lt", "min_length", "max_length") if name in context), "")
    shown = error.get("input")
    params = {
        "value": shown if isinstance(shown, str | int | float) else "",
        "limit": limit,
        "expected": context.get("expected", ""),
        "pattern": context.get("pattern", ""),
        "zone": context.get("zone", ""),
    }
    return Problem(loc_to_path(error["loc"]), key, params)


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
        cycle.due_rule()
    except RuleError as error:
        return problems + [Problem(path, "check.due_rule", {})] if error.key == "due_rule.exactly_one" else problems
    return problems or cycle_timing_problems(programme, cycle, path)


def _agency_change_problems(programme: Programme) -> list[Problem]:
    current = {agency.code for agency in programme.agencies}
    olds = {change.old for change in programme.agency_changes}
    problems = []
    for i, change in enumerate(programme.agency_changes):
        if change.old in current:
            problems.append(Problem(f"agency_changes[{i}].old", "check.change_old_still_listed", {"code": change.old}))
        if change.new not in current or change.new in olds:
            problems.append(Problem(f"agency_changes[{i}].new", "check.change_new_unknown", {"code": change.new, "old": change.old}))
    return problems


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
    problems += _agency_change_problems(programme)
    for i, indicator in enumerate(programme.indicators):
        if indicator.from_activities:
            problems += _unknown(indicator.from_activities.types, types, f"indicators[{i}].from_activities.types", "check.unknown_type")
    for i, target in enumerate(programme.targets):
        problems += _unknown(target.activity_types, types, f"targets[{i}].activity_types", "check.unknown_type")
    for i, area in enumerate(programme.content_areas):
        problems += _unknown(area.activity_types, types, f"content_areas[{i}].activity_types", "check.unknown_type")
    for i, cycle in enumerate(programme.cycles):
        problems += _cycle_problems(programme, i, cycle)
    problems += term_problems(programme) + difficulties_problems(programme)
    problems += send_at_problems(programme.reminders, "reminders") + overdue_problems(programme.reminders.overdue, "reminders.overdue")
    for i, cycle in enumerate(programme.cycles):
        if cycle.reminders is not None and cycle.reminders.overdue is not None:
            problems += overdue_problems(cycle.reminders.overdue, f"cycles[{i}].reminders.overdue")
    for i, event in enumerate(programme.events):
        problems += _selector_problems(programme, event.audience, f"events[{i}].audience")
        problems += event_day_problems(event, f"events[{i}].day")
        problems += [
            Problem(f"events[{i}].months[{j}]", "check.bad_month", {"month": m}) for j, m in enumerate(event.months) if not 1 <= m <= 12
        ]
    problems += tvpb_problems(programme, types)
    for i, task in enumerate(programme.tasks):
        problems += _selector_problems(programme, task.assignees, f"tasks[{i}].assignees")
        if task.every_years is not None and len(task.code) > 18:
            problems.append(Problem(f"tasks[{i}].code", "check.recurring_code_too_long", {"code": task.code}))
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
        return Checked(None, [_labelled(problem, data) for problem in problems])
    return Checked(programme, [_labelled(problem, data) for problem in cross_check(programme)])


def _labelled(problem: Problem, data: dict[str, Any]) -> Problem:
    """The problem with the code of the list item its path is in, read from the file."""
    name, bracket, rest = problem.path.partition("[")
    items = data.get(name)
    if not bracket or not isinstance(items, list):
        return problem
    index = int(rest.partition("]")[0])
    item = items[index] if index < len(items) else None
    code = item.get("code") if isinstance(item, dict) else None
    return replace(problem, item=code) if isinstance(code, str) else problem


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
