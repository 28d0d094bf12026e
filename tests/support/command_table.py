"""What every command does for every role, in a private chat and in a group chat: the one
table of who may do what that the authorisation tests (`tests/conversations/test_authorization.py`), the
role tests (`tests/conversations/test_roles.py`) and the /help tests (`tests/conversations/test_commands.py`) read.
Adding a command adds one row here.

A cell is the command's own answer (OK: the catalogue text of its first reply, the row's
`answer`) or one of the polite refusals. /help lists, in each chat, exactly the commands
whose cell there is OK or GROUP, in the order of `handlers/conversations.CONVERSATIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.conversations import WIRING

OK = "OK"  # the command does its job (its own first reply, the row's answer)
BACK = "BACK"  # /start from a member: welcome back (it works, /help does not list it)
JOIN = "JOIN"  # command.join_first: join with an invite first
ROLE = "ROLE"  # command.not_for_role
ADMIN = "ADMIN"  # command.admins_only
PRIVATE = "PRIVATE"  # command.private_only: write to the bot privately
GROUP = "GROUP"  # bind.group_only: send it in the group to bind (listed in /help all the same)
NOTHING = "NOTHING"  # privacy.nothing_stored: the bot holds nothing about a stranger

ROLES = ("stranger", "specialist", "leader", "viewer", "agency_viewer", "admin", "expert")
PEOPLE = {
    "stranger": "stranger-1",
    "specialist": "syt-specialist",
    "leader": "syt-leader",
    "viewer": "snv-viewer",
    "agency_viewer": "skhcn-viewer",
    "admin": "lhh-admin",
    "expert": "lhh-expert",
}
"""Who plays each role in the sample data (the stranger is anyone the sample does not know).
A viewer of an oversight body (Sở Nội vụ, `oversight` in the programme file) or of the LHH
reads every agency's data; a viewer of another agency (Sở KH&CN in Lào Cai) acts as an
agency viewer: its own agency's /activities and /due, and none of the office's views. The
expert is a member of the expert bank (role expert, consent given), on no council in the
sample: /tvpb and /chuyengia show only the councils they sit on (none here)."""
REFUSED = frozenset({JOIN, ROLE, ADMIN})
"""The outcomes that say the role may not use the command (anywhere)."""
LISTED = frozenset({OK, GROUP})
"""The outcomes of the commands /help lists in that chat."""


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    """Private chat then group chat, a cell per role of ROLES."""
    answer: str | dict[str, str]
    """The catalogue key of an OK cell's first reply; by 'stranger'/'member' (or a role of
    ROLES, before 'member') when it depends on it."""

    def cell(self, role: str, private: bool = True) -> str:
        return self.cells[ROLES.index(role) + (0 if private else len(ROLES))]


def row(*cells_then_answer: str) -> Row:
    *cells, answer = cells_then_answer
    return Row(tuple(cells), answer)


def with_expert(base: Row, private: str, group: str, answer: str | None = None) -> Row:
    """`base` with the expert's cells (ROLES' last column, private then group); `answer`,
    the expert's own first reply when it differs from the others'."""
    half = len(base.cells) // 2
    cells = (*base.cells[:half], private, *base.cells[half:], group)
    if answer is None:
        return Row(cells, base.answer)
    others = base.answer if isinstance(base.answer, dict) else {"member": base.answer}
    return Row(cells, {"expert": answer, **others})


# fmt: off
TABLE: dict[str, Row] = {
    #             --------------------------- private chat ---------------------------  ---------------------------- group chat ----------------------------
    #             stranger specialist leader  viewer   agency   admin    stranger specialist leader  viewer   agency   admin    first reply when OK
    "start":      row(OK,      BACK,    BACK,    BACK,    BACK,    BACK,    PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, "join.need_invite"),
    "help":       Row((OK,      OK,      OK,      OK,      OK,      OK,      OK,      OK,      OK,      OK,      OK,      OK),
                      {"stranger": "help.title_stranger", "member": "help.title_member"}),
    "lang":       row(OK,      OK,      OK,      OK,      OK,      OK,      PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, "lang.choose"),
    "link":       row(JOIN,    OK,      OK,      OK,      OK,      OK,      PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, "link.code"),
    "channel":    row(JOIN,    OK,      OK,      OK,      OK,      OK,      JOIN,    PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, "channel.only_one"),
    "register":   row(JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE, "register.ask_type"),
    "activities": Row((JOIN,    OK,      OK,      ROLE,    OK,      OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    PRIVATE, PRIVATE),
                      {"member": "activities.title", "agency_viewer": "activities.none_to_read"}),
    "activity":   Row((JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE),
                      {"member": "activities.title"}),
    "notices":    row(JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE, "notices.ask"),
    "attach":     row(JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE, "attach.ask_activity"),
    "due":        row(JOIN,    OK,      OK,      ROLE,    OK,      OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    PRIVATE, PRIVATE, "due.title"),
    "report":     Row((JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE),
                      {"admin": "report.is_consolidation", "member": "report.choose_period"}),
    "signed":     row(JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE, "signed.no_submission"),
    "signedfile": row(JOIN,    OK,      OK,      OK,      ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, PRIVATE, ROLE,    PRIVATE, "signedfile.usage"),
    "done":       row(JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE, "tasks.pick"),
    "status":     row(JOIN,    ROLE,    ROLE,    OK,      ROLE,    OK,      JOIN,    ROLE,    ROLE,    PRIVATE, ROLE,    PRIVATE, "office.status_title"),
    "missing":    row(JOIN,    ROLE,    ROLE,    OK,      ROLE,    OK,      JOIN,    ROLE,    ROLE,    PRIVATE, ROLE,    PRIVATE, "office.missing_title"),
    "tvpb":       row(JOIN,    OK,      OK,      OK,      OK,      OK,      JOIN,    PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, "tvpb.none_open"),
    "chuyengia":  row(JOIN,    ROLE,    ROLE,    OK,      ROLE,    OK,      JOIN,    ROLE,    ROLE,    PRIVATE, ROLE,    PRIVATE, "tvpb.choose_field"),
    "tvpbmoi":    row(JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE, "tvpb.ask_title"),
    "hoso":       row(JOIN,    OK,      OK,      ROLE,    ROLE,    OK,      JOIN,    PRIVATE, PRIVATE, ROLE,    ROLE,    PRIVATE, "tvpb.dossier_usage"),
    "targets":    row(JOIN,    ROLE,    ROLE,    OK,      ROLE,    OK,      JOIN,    ROLE,    ROLE,    PRIVATE, ROLE,    PRIVATE, "office.no_targets"),
    "tasks":      row(JOIN,    ROLE,    ROLE,    OK,      ROLE,    OK,      JOIN,    ROLE,    ROLE,    PRIVATE, ROLE,    PRIVATE, "office.tasks_title"),
    "agencies":   row(JOIN,    ROLE,    ROLE,    OK,      ROLE,    OK,      JOIN,    ROLE,    ROLE,    PRIVATE, ROLE,    PRIVATE, "office.agencies_title"),
    "people":     row(JOIN,    ROLE,    ROLE,    OK,      ROLE,    OK,      JOIN,    ROLE,    ROLE,    PRIVATE, ROLE,    PRIVATE, "people.title"),
    "export":     row(JOIN,    ROLE,    ROLE,    OK,      ROLE,    OK,      JOIN,    ROLE,    ROLE,    PRIVATE, ROLE,    PRIVATE, "export.ready"),
    "review":     row(JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   OK,      JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   PRIVATE, "review.queue"),
    "assess":     row(JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   OK,      JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   PRIVATE, "assess.step"),
    "sent":       row(JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   OK,      JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   PRIVATE, "sent.usage"),
    "chase":      row(JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   OK,      JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   PRIVATE, "outreach.chase_usage"),
    "broadcast":  row(JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   OK,      JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   PRIVATE, "outreach.broadcast_usage"),
    "invite":     row(JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   OK,      JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   PRIVATE, "invite.usage"),
    "bind":       row(JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   GROUP,   JOIN,    ADMIN,   ADMIN,   ADMIN,   ADMIN,   OK,      "bind.current"),
    "mydata":     row(NOTHING, OK,      OK,      OK,      OK,      OK,      PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, "privacy.mydata"),
    "forgetme":   row(NOTHING, OK,      OK,      OK,      OK,      OK,      PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, "privacy.forget_confirm"),
    "web":        row(JOIN,    OK,      OK,      OK,      OK,      OK,      JOIN,    PRIVATE, PRIVATE, PRIVATE, PRIVATE, PRIVATE, "web.off"),
}
# fmt: on

# The expert's column, kept apart so that a branch adding a row above adds one here too:
# an expert may use the commands every member has, and /tvpb and /chuyengia (their councils
# only, and their own profile); everything else is refused as not for their role, the
# office's own commands as the office's.
EXPERT: dict[str, tuple[str, str] | tuple[str, str, str]] = {
    "start": (BACK, PRIVATE), "help": (OK, OK), "lang": (OK, PRIVATE), "link": (OK, PRIVATE), "channel": (OK, PRIVATE),
    "register": (ROLE, ROLE), "activities": (ROLE, ROLE), "activity": (ROLE, ROLE), "notices": (ROLE, ROLE),
    "attach": (ROLE, ROLE), "due": (ROLE, ROLE), "report": (ROLE, ROLE), "signed": (ROLE, ROLE),
    "signedfile": (ROLE, ROLE), "done": (ROLE, ROLE), "status": (ROLE, ROLE), "missing": (ROLE, ROLE),
    "tvpb": (OK, PRIVATE), "chuyengia": (OK, PRIVATE, "tvpb.no_seat"), "tvpbmoi": (ROLE, ROLE), "hoso": (ROLE, ROLE),
    "targets": (ROLE, ROLE), "tasks": (ROLE, ROLE), "agencies": (ROLE, ROLE), "people": (ROLE, ROLE),
    "export": (ROLE, ROLE), "review": (ADMIN, ADMIN), "assess": (ADMIN, ADMIN), "sent": (ADMIN, ADMIN),
    "chase": (ADMIN, ADMIN), "broadcast": (ADMIN, ADMIN), "invite": (ADMIN, ADMIN), "bind": (ADMIN, ADMIN),
    "mydata": (OK, PRIVATE), "forgetme": (OK, PRIVATE), "web": (OK, PRIVATE),
}  # fmt: skip
TABLE = {name: with_expert(base, *EXPERT[name]) for name, base in TABLE.items()}


def may(command: str, role: str) -> bool:
    """Whether `role` may use `command` at all (in a private chat, where nothing else refuses)."""
    return TABLE[command].cell(role) not in REFUSED


def listed(role: str, private: bool = True) -> list[str]:
    """The commands /help lists for `role` in a private chat or a group, in /help's order."""
    return [name for name in WIRING.commands if TABLE[name].cell(role, private) in LISTED]
