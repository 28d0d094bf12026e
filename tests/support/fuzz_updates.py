"""What the engine fuzz test draws and how it judges: hostile inputs, the cast of speakers,
a check of which catalogue a reply was written from, and a copy of the database that each
example starts from."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import String, Table, delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine as Database
from sqlmodel import SQLModel

import models.db.all_tables  # noqa: F401  (every table in the metadata)
from handlers.conversations import WIRING
from handlers.types import ChatKind, FileRef
from locales.catalogue import LANGUAGES, catalogue

# ---------------------------------------------------------------- hostile and careless input

SQL_LOOKING = (
    "'; DROP TABLE person; --",
    "1; DELETE FROM agency WHERE 1=1",
    "' OR '1'='1",
    "\"; UPDATE person SET role='admin'; --",
    "Robert'); DROP TABLE invite;--",
    "1 UNION SELECT code FROM invite",
    "%' AND 1=0 UNION ALL SELECT NULL--",
    "$$; TRUNCATE programme CASCADE; $$",
)
MARKUP = (
    "<b>in đậm</b>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "*_`",
    "**__~~||spoiler||~~__**",
    "```\ncode\n```",
    "&lt;b&gt; &amp; &#x3C;",
    "<img src=x onerror=alert(1)>",
    "{name} {0} %s %(name)s {{}}",
)
ODD_TEXT = (
    "",
    " ",
    "\n\n\t",
    "\x00",
    "a\x00b",
    "Hội thảo\x00 khoa học",
    "\u200b\u200c\u200d\ufeff",
    "\u202eRTL override\u202c",
    "مرحبا بالعالم",
    "שלום עולם",
    "😀🎉👩‍👩‍👧‍👦🇻🇳",
    "ｆｕｌｌｗｉｄｔｈ",
    "²",
    "①",
    "٣",
    "𝟚",
    "Ⅻ",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "/",
    "//",
    "/ start",
    "@phoihop_bot",
    "\r\n",
    "\\",
    "%00",
    "null",
    "None",
    "undefined",
    "ĐĂNG KÝ",
    "đồng ý",
)
PLAUSIBLE = (
    "Nguyễn Văn An",
    "John Smith",
    "Lê Thị Bích",
    "Ó'Brien-Nguyễn",
    "15/12",
    "15/12/2026",
    "2026-12-05",
    "31/2/2026",
    "32/13/2026",
    "quý IV/2026",
    "tháng 12",
    "Lào Cai",
    "Sa Pa",
    "SYT, SNV",
    "LHH; SKHCN",
    "XYZ",
    "12",
    "12,5",
    "1.250",
    "1 250",
    "1000001",
    "Hội thảo khoa học về nông nghiệp bền vững",
    "Workshop on sustainable farming",
    "Tiếng Việt",
    "English",
    "tieng viet",
    "english",
    "auto",
    "tự động",
    "zalo",
    "telegram",
)
HOSTILE = SQL_LOOKING + MARKUP + ODD_TEXT
AGENCY_CODES = ("LHH", "SYT", "SNV", "SKHCN", "SNNPTNT", "SXD", "HYH", "SAPA", "TINHDOAN", "HLV", "NOPE", "syt", "")
ROLE_WORDS = ("leader", "specialist", "admin", "viewer", "lãnh đạo", "chuyên viên", "quản trị", "theo dõi", "king")
PERIOD_WORDS = ("", "2026", "2027", "Q4/2026", "Q1/2027", "H2/2026", "M11/2026", "year/2026", "quý IV/2026", "2026-Q4", "latest")
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LONG = 10_000
HEAVY_COMMANDS = frozenset({"export", "status"})  # documents and charts: drawn less often, they cost 0.2–0.4 s
MIMES = ("application/pdf", "image/jpeg", "image/png", "text/html", "application/x-msdownload", "", "x/\u202e")

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
RTL = "".join(chr(c) for c in range(0x0621, 0x064B)) + "".join(chr(c) for c in range(0x05D0, 0x05EB))
EMOJI = "😀🎉🔥💾📣✔✖◀▶🇻🇳👍🏽‍♀️"
VIETNAMESE = "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐ"
CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\u0085\u2028\u2029"
SPECIAL = ZERO_WIDTH + RTL + EMOJI + VIETNAMESE + CONTROL + "<>&\"'`*_[](){}%$#@!/\\|;:,.-+=~^"


@cache
def plain_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Anything a keyboard, a paste or a broken client may send: any code point, with the
    troublesome ones (zero width, right-to-left, emoji, controls, NUL) drawn often.
    Strategies here are built once (@cache): building one costs more than drawing from it."""
    return st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL)), max_size=max_size)


@cache
def long_text() -> st.SearchStrategy[str]:
    """10,000 characters built from a short piece, so a draw stays small."""
    return st.builds(lambda piece, fill: ((piece or fill) * LONG)[:LONG], plain_text(12), st.sampled_from(("a", "9", "😀", "ư ", "<b>")))


@cache
def some_text() -> st.SearchStrategy[str]:
    return st.one_of(plain_text(), st.sampled_from(HOSTILE), st.sampled_from(PLAUSIBLE))


@cache
def command_args() -> st.SearchStrategy[str]:
    agency_role = st.builds(lambda a, r: f"{a} {r}", st.sampled_from(AGENCY_CODES), st.sampled_from(ROLE_WORDS))
    return st.one_of(
        st.just(""),
        some_text(),
        st.sampled_from(AGENCY_CODES),
        st.sampled_from(PERIOD_WORDS),
        st.sampled_from(("all", "vi", "en", "EN", "fr", "auto", "console", "zalo", "telegram", "1", "#1", "2", "999")),
        agency_role,
        st.builds(lambda a, p: f"{a} {p}", st.sampled_from(("all", "SYT", "SNNPTNT", "XYZ")), st.sampled_from(PERIOD_WORDS)),
        st.builds(lambda a, t: f"{a} {t}", st.sampled_from(("all", "focal", "leaders", "SYT", "nobody")), some_text()),
        long_text(),
    )


@cache
def command_names() -> st.SearchStrategy[str]:
    """Every command, the heavy ones (documents, charts) less often, and some that are not."""
    light = [name for name in sorted(WIRING.commands) if name not in HEAVY_COMMANDS]
    others = ["cancel", "back", "nosuch", "START", "Help@phoihop_bot", "lang@other_bot", "", "/", "start@"]
    return st.sampled_from(light * 3 + others + sorted(HEAVY_COMMANDS))


@cache
def commands() -> st.SearchStrategy[str]:
    return st.builds(lambda name, args: f"/{name} {args}" if args else f"/{name}", command_names(), command_args())


WEIRD_NUMBERS = ("1.", "2)", "(3)", "١", "²", "①", "𝟙", "1️⃣", "Ⅱ", "３", " 2 ", "#1", "0", "-1", "9" * 30, "9" * 5000)


@cache
def numbers() -> st.SearchStrategy[str]:
    """Numbered choices as typed: plain, padded, in other scripts, or absurdly long."""
    return st.one_of(st.integers(-2, 25).map(str), st.sampled_from(WEIRD_NUMBERS))


@cache
def file_refs() -> st.SearchStrategy[FileRef]:
    """Files as channels describe them: Telegram ids are short, names at most 255 characters."""
    return st.builds(
        FileRef,
        ref=st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=80),
        name=st.one_of(st.none(), plain_text(30), st.sampled_from(HOSTILE), st.builds(lambda c: c * 255, st.sampled_from("aư😀"))),
        mime=st.one_of(st.none(), st.sampled_from(MIMES)),
        size=st.one_of(st.none(), st.integers(-1, 10**10)),
        unique_ref=st.one_of(st.none(), st.text(st.characters(codec="ascii", categories=("L", "N")), max_size=20)),
    )


@cache
def random_code() -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(INVITE_ALPHABET), min_size=8, max_size=8)


def mangled_code(code: str, how: int) -> str:
    """The same code as a careless person types it, or a near miss."""
    variants = (code, code.lower(), " ".join(code), f"  {code}\n", code[:-1], code + "X", code[::-1], f"{code} {code}")
    return variants[how % len(variants)]


def forged(payload: str, how: int, noise: str) -> str:
    """Button data that no prompt offered: truncated, re-signed, spliced or replaced."""
    nonce, _, body = payload.partition(":")
    variants = (
        payload[: max(0, len(payload) // 2)],
        f"zzzz:{body}",
        f"{nonce}:{noise}",
        f"{nonce}:{body}{noise}",
        f"{nonce}:",
        f"{nonce}{body}",
        noise,
        f"{nonce}:back:{body}",
        f"{nonce}:../{body}",
        payload.upper(),
        f"{nonce}:p:999999999999999999999",
        f"{nonce}:a:-1",
        f"{nonce}:pg:99999999999999999999",
        f"{nonce}:use:1e309",
    )
    return variants[how % len(variants)]


# ---------------------------------------------------------------- a script: every draw of an example, made up front

ANSWERING = (
    ("button",) * 6
    + ("plausible",) * 5
    + ("number", "number", "number", "text", "text", "nav")
    + ("label", "hostile", "long", "command", "command", "code", "stale", "other", "forged", "file")
)
IDLE = (
    ("command",) * 6
    + ("starter",) * 3
    + ("code", "code", "text", "hostile", "plausible", "long", "number", "forged", "other", "file", "redeliver")
)
NAVIGATION = frozenset({"back", "cancel"})
STEP_ANSWERS: dict[str, tuple[str, ...]] = {
    "title": (
        "Hội thảo khoa học về nông nghiệp bền vững",
        "Workshop on sustainable farming",
        "<b>Tập huấn</b> [chuyển giao](javascript:alert(1))",
        "Hội thảo\x00 khoa học",
        "'; DROP TABLE activity; --",
        "Họp",
    ),
    "date": ("15/12/2026", "2026-12-05", "1/1/2027", "20/11/2026", "31/2/2026", "15/12/2031", "hôm qua"),
    "place": ("Lào Cai", "Sa Pa", "Hội trường <i>UBND</i> tỉnh", "x", "Phòng họp\u200b số 2"),
    "partners": ("SYT, SNV", "LHH; SKHCN", "XYZ", "syt", "SYT,,SYT"),
    "participants": ("12", "1.250", "1 000", "1000001", "-3", "mười"),
    "name": ("Nguyễn Văn An", "John Smith", "Lê Thị Bích", "A", "Robert'); DROP TABLE person;--", "Trần\u202e Thị Hoa"),
    "reason": ("Thiếu số liệu chỉ tiêu 2, đề nghị bổ sung", "ok", "<script>x</script> thiếu số liệu"),
    "ind": ("12", "12,5", "1.250", "0", "-1", "1e309", "NaN", "99999999999999"),
    "nar": ("Đã tổ chức 3 hội thảo với 120 đại biểu tham dự.", "ngắn", "<b>Đã</b> triển khai đầy đủ các nội dung"),
    "note": ("Đã hoàn thành, báo cáo gửi kèm", "x" * 1001, "<i>xong</i>"),
    "pick": ("1", "2", "#3", "99", "0"),
    "text": ("Hội thảo chăn nuôi an toàn sinh học", "Hội trường <i>UBND</i> tỉnh", "x", "Phòng họp\u200b số 2"),
    "reschedule": ("15/12/2026", "1/1/2027", "20/11/2026", "31/2/2026", "15/12/2031", "mai"),
    "drop": ("Trùng lịch họp của UBND tỉnh", "ab", "<script>x</script> hoãn\x00"),
    "held": ("20/11/2026", "1/1/2027", "hôm qua", "31/2/2026"),
    "held_people": ("12", "1.250", "1000001", "-3", "mười"),
}
SENT_FILES = (
    FileRef("BQACAgUAAxkBAAI", "bien-ban-hoi-thao.pdf", "application/pdf", 182_000, "AgADtQ8AAk"),
    FileRef("AgACAgUAAxkBAAJ", None, "image/jpeg", 91_000, "AQADr7wx"),
    FileRef("BQACAgUAAxkBAAK", "quá-lớn.zip", "application/zip", 80_000_000, "AgADuQ8AAk"),
)


def answer_for(form_step: str | None, fallback: str, pick: int) -> tuple[str | None, FileRef | None]:
    """An answer that suits the form's step (most are right, some are wrong on purpose);
    a file where a file is asked for; `fallback` outside a known step."""
    base = (form_step or "").partition(":")[0]
    if base == "file":
        return None, SENT_FILES[pick % len(SENT_FILES)]
    pool = STEP_ANSWERS.get(base)
    return (pool[pick % len(pool)] if pool else fallback), None


STARTERS = (
    "register",
    "report",
    "activities",
    "attach",
    "activity",
    "activity 3",
    "notices",
    "done",
    "lang",
    "review",
    "people",
    "agencies",
    "forgetme",
    "mydata",
    "channel",
    "broadcast all Họp giao ban quý IV",
    "broadcast all Họp\x00 giao ban",
    "invite SYT specialist",
    "bind all",
    "bind SYT",
    "start",
    "help",
)
SEATS = ("SYT specialist", "SXD leader", "LHH admin", "SNV viewer", "SAPA leader")
CODE_KINDS = ("start", "start", "link", "make", "made up")


@dataclass(frozen=True)
class Move:
    """What to send: a kind ('button', 'text', 'command', …) and what it carries; a
    button, a label or a code is chosen when the update is sent, by `Step.pick`."""

    kind: str
    content: Any = None


@dataclass(frozen=True)
class Step:
    """One update: whether someone else speaks (and who), what they send if a prompt of
    theirs waits for an answer, what they send if none does, and a number that picks
    among what exists at that moment (buttons offered, codes issued)."""

    switch: bool
    speaker: int
    answer: Move
    idle: Move
    pick: int


class Script:
    """An example, drawn whole before anything is sent, so that a draw hypothesis cuts
    short never leaves updates sent and uncounted. Its repr (which hypothesis prints for a
    failing example) gives one short line per step."""

    def __init__(
        self, clients: tuple[str | None, ...], names: tuple[str | None, ...], titles: tuple[str | None, ...], steps: tuple[Step, ...]
    ) -> None:
        self.clients, self.names, self.titles, self.steps = clients, names, titles, steps

    def __repr__(self) -> str:
        def move(m: Move) -> str:
            return f"{m.kind} {repr(m.content)[:40]}"

        lines = [f"{'>' if s.switch else ' '}{s.speaker:2d} | {move(s.answer):48} | {move(s.idle):48} | {s.pick}" for s in self.steps]
        return f"Script(clients={self.clients!r:.200}, {len(self.steps)} steps:\n" + "\n".join(lines) + ")"


def _contents() -> dict[str, st.SearchStrategy[Any]]:
    nothing = st.none()
    return {
        "button": nothing,
        "nav": nothing,
        "stale": nothing,
        "other": nothing,
        "redeliver": nothing,
        "label": st.integers(0, 3),
        "forged": st.tuples(st.integers(0, 13), plain_text(8)),
        "number": numbers(),
        "text": plain_text(),
        "hostile": st.sampled_from(HOSTILE),
        "plausible": st.sampled_from(PLAUSIBLE),
        "long": long_text(),
        "command": commands(),
        "starter": st.sampled_from(STARTERS),
        "code": st.tuples(st.sampled_from(CODE_KINDS), st.integers(0, 7), st.one_of(random_code(), command_args())),
        "file": st.tuples(file_refs(), st.one_of(st.none(), some_text())),
    }


CONTENTS = _contents()
SWITCH = st.sampled_from((False, False, False, True))
PICK = st.integers(0, 2**16)


@st.composite
def steps(draw: st.DrawFn, speakers: int) -> Step:
    answer, idle = draw(st.sampled_from(ANSWERING)), draw(st.sampled_from(IDLE))
    return Step(
        draw(SWITCH),
        draw(st.integers(0, speakers - 1)),
        Move(answer, draw(CONTENTS[answer])),
        Move(idle, draw(CONTENTS[idle])),
        draw(PICK),
    )


@st.composite
def scripts(draw: st.DrawFn, updates: int) -> Script:
    people = cast()
    accounts = len({speaker.account for speaker in people})
    return Script(
        tuple(draw(st.sampled_from(CLIENT_LANGUAGES)) for _ in range(accounts)),
        tuple(draw(st.one_of(st.none(), some_text())) for _ in range(accounts)),
        tuple(draw(st.one_of(st.none(), plain_text(128))) for _ in GROUPS),
        tuple(draw(st.lists(steps(len(people)), min_size=updates, max_size=updates))),
    )


# ---------------------------------------------------------------- the cast


@dataclass(frozen=True)
class Speaker:
    key: str
    channel: str
    user_ref: str
    chat_ref: str
    kind: ChatKind = ChatKind.PRIVATE

    @property
    def account(self) -> tuple[str, str]:
        return self.channel, self.user_ref

    @property
    def place(self) -> tuple[str, str, str]:
        return self.channel, self.chat_ref, self.user_ref


GROUPS = ("-100200300", "-100400500")
MEMBER_KEYS = (
    "lhh-admin",
    "snv-viewer",
    "skhcn-viewer",
    "syt-leader",
    "syt-specialist",
    "snnptnt-leader",
    "snnptnt-specialist",
    "hyh-specialist",
    "sapa-specialist",
    "tinhdoan-specialist",
)
FORMER_KEYS = ("lhh-admin2", "hlv-leader")
ENGLISH_KEYS = ("lhh-admin", "snv-viewer", "syt-specialist", "hyh-specialist", "lhh-admin2")
ZALO_MEMBER = ("syt-specialist", "zalo", "z-70001")
STRANGERS = (("console", "stranger-01"), ("telegram", "stranger-02"), ("zalo", "stranger-03"), ("telegram", "stranger-04"))
CLIENT_LANGUAGES = (None, "", "en", "en-US", "EN_gb", "vi", "vi-VN", "fr", "zh-Hant", "xx-\u202e")


def cast() -> list[Speaker]:
    """Members in private and in groups, two deactivated people, strangers on each channel."""
    people = [Speaker(key, "console", key, key) for key in MEMBER_KEYS + FORMER_KEYS]
    people.append(Speaker(ZALO_MEMBER[0], ZALO_MEMBER[1], ZALO_MEMBER[2], ZALO_MEMBER[2]))
    people += [
        Speaker(key, "console", key, GROUPS[i % 2], ChatKind.GROUP) for i, key in enumerate(("lhh-admin", "syt-leader", "hlv-leader"))
    ]
    people += [Speaker(ref, channel, ref, ref) for channel, ref in STRANGERS]
    people += [Speaker(ref, channel, ref, GROUPS[0], ChatKind.GROUP) for channel, ref in STRANGERS[:2]]
    return people


# ---------------------------------------------------------------- which catalogue a text came from

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
WORD = re.compile(r"\w+")
EDGES = " \t.,:;!?()«»\"'—–-•·*→✓✗✔✖◀▶📣💾📅⚠…/[]#"


def _pieces(template: str) -> Iterable[str]:
    """The literal runs of a template, line by line, between its placeholders."""
    for chunk in PLACEHOLDER.split(template):
        for line in chunk.split("\n"):
            piece = line.strip(EDGES)
            words = WORD.findall(piece)
            letters = sum(ch.isalpha() for ch in piece)
            if words and letters >= 5:
                yield piece


@dataclass(frozen=True)
class Verdict:
    found: frozenset[str]
    keys: tuple[str, ...]


class CatalogueLanguage:
    """Tells which catalogue a reply was written from. A piece of a template counts as a
    sign of its language when no template of the other language contains it and no
    programme or sample text does (names of agencies appear in both languages); a reply is
    in language L when it shows at least one sign of L and none of the other."""

    def __init__(self, data_texts: Iterable[str]) -> None:
        data = "\n".join(data_texts).casefold()
        everything = {lang: "\n".join(catalogue(lang).values()) for lang in LANGUAGES}
        self.signs: dict[str, dict[str, list[str]]] = {}
        for lang in LANGUAGES:
            others = "\n".join(text for other, text in everything.items() if other != lang).casefold()
            index: dict[str, list[str]] = {}
            for template in catalogue(lang).values():
                for piece in _pieces(template):
                    folded = piece.casefold()
                    if folded not in others and folded not in data:
                        index.setdefault(WORD.findall(piece)[0], []).append(piece)
            self.signs[lang] = {word: sorted(set(pieces), key=len, reverse=True) for word, pieces in index.items()}
        self.keys = frozenset(key for lang in LANGUAGES for key in catalogue(lang))
        self.only = {
            lang: {text for text in catalogue(lang).values() if all(text not in catalogue(o).values() for o in LANGUAGES if o != lang)}
            for lang in LANGUAGES
        }
        self._cache: dict[str, Verdict] = {}

    def signs_in(self, text: str, lang: str) -> list[str]:
        words = set(WORD.findall(text))
        found = []
        for word in words & self.signs[lang].keys():
            for piece in self.signs[lang][word]:
                if " " in piece.strip():
                    if piece in text:
                        found.append(piece)
                elif re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text):
                    found.append(piece)
        return found

    def judge(self, text: str) -> Verdict:
        verdict = self._cache.get(text)
        if verdict is None:
            found = frozenset(lang for lang in LANGUAGES if self.signs_in(text, lang))
            keys = tuple(word for word in re.findall(r"[a-z_]+\.[a-z_0-9]+", text) if word in self.keys)
            verdict = Verdict(found, keys)
            if len(self._cache) < 50_000:
                self._cache[text] = verdict
        return verdict

    def problems(self, text: str, labels: Iterable[str], language: str) -> list[str]:
        """Why `text` (and its button labels) is not written in `language`: [] when it is."""
        verdict = self.judge(text)
        wrong = []
        if verdict.found != {language}:
            other = sorted(verdict.found - {language})
            if other:
                shown = {lang: self.signs_in(text, lang)[:3] for lang in other}
                wrong.append(f"text shows signs of {other}: {shown}")
            if language not in verdict.found:
                wrong.append(f"text shows no sign of {language!r}")
        if verdict.keys:
            wrong.append(f"untranslated message keys {verdict.keys}")
        for label in labels:
            strays = [lang for lang in LANGUAGES if lang != language and label in self.only[lang]]
            if strays:
                wrong.append(f"button {label!r} comes from the {strays} catalogue")
        return wrong


# ---------------------------------------------------------------- the database each example starts from


def tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)


class DatabaseImage:
    """Every row of every table, taken once; `restore` puts the database back to it, so
    each example starts from the same state on SQLite and PostgreSQL alike."""

    def __init__(self, db: Database) -> None:
        with db.connect() as connection:
            self.rows = read_all(connection)

    def restore(self, db: Database) -> None:
        with db.begin() as connection:
            for table in reversed(tables()):
                connection.execute(delete(table))
            for table in tables():
                if self.rows[table.name]:
                    connection.execute(insert(table), self.rows[table.name])


def read_all(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    return {table.name: [dict(row._mapping) for row in connection.execute(select(table))] for table in tables()}


@cache
def string_limits() -> dict[str, dict[str, int]]:
    """Declared lengths of the string columns, table by table (SQLite does not enforce them)."""
    return {
        table.name: {c.name: c.type.length for c in table.columns if isinstance(c.type, String) and c.type.length} for table in tables()
    }


def person_columns() -> dict[str, list[str]]:
    """Columns that point at a person, table by table."""
    return {
        table.name: [c.name for c in table.columns if any(fk.column.table.name == "person" for fk in c.foreign_keys)]
        + (["id"] if table.name == "person" else [])
        for table in tables()
    }


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())
