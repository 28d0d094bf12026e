"""The `phoihop` command line."""

from __future__ import annotations

import argparse
import logging
import secrets
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy.engine import Engine as Database
from sqlmodel import Session, select

from bot.clock import ShiftedClock, system_clock
from bot.console import Console
from bot.demo import DEMO_PROGRAMME, DEMO_SAMPLE, NEWCOMER, Demo, start_demo
from bot.runner import CHANNELS, RunError, Webhooks, run_bots
from bot.settings import Settings
from bot.web.app import WebConfig, build_app
from bot.web.pages.common import WEB_CHANNEL
from bot.web.server import serving_in_thread
from locales.catalogue import t
from locales.formats import format_moment
from models.db.engine import make_engine, session_scope
from models.db.migrate import current_revision, head_revision, upgrade
from models.db.transfer import TransferError, copy_database
from models.errors import RuleError
from models.office.board import choose_period
from models.people.invites import issue, parse_role
from models.people.tables import Role
from models.programme.loader import load_into
from models.programme.schema import Problem, check_file, load_programme
from models.programme.served import NoProgramme, Served, ServedProgramme, zone_of
from models.programme.tables import Agency, ProgrammeRecord
from models.samples.generator import fill_sample
from models.samples.sample_file import read_sample
from scheduler.calendar_text import render, to_ics
from scheduler.plan import calendar


class CliError(Exception):
    """A message for the person at the terminal, and exit status 2."""


def _print_problems(path: Path, problems: list[Problem], language: str) -> None:
    print(t("cli.check_failed", language, path=path, count=len(problems)))
    for problem in problems:
        print(f"  {problem.where}: {t(problem.key, language, **problem.params)}")


def cmd_programme_check(args: argparse.Namespace, settings: Settings) -> int:
    failed = 0
    for path in args.files:
        checked = check_file(Path(path))
        if checked.problems or checked.programme is None:
            _print_problems(Path(path), checked.problems, settings.language)
            failed += 1
            continue
        programme = checked.programme
        print(
            t(
                "cli.check_ok",
                settings.language,
                path=path,
                code=programme.code,
                agencies=len(programme.agencies),
                cycles=len(programme.cycles),
                tasks=len(programme.tasks),
            )
        )
    return 1 if failed else 0


def cmd_programme_reference(_args: argparse.Namespace, _settings: Settings) -> int:
    """docs/programme-file.md, from the schema."""
    from models.programme.reference import render_reference

    sys.stdout.write(render_reference())
    return 0


def _database(settings: Settings) -> Database:
    db = make_engine(settings.database_url)
    if current_revision(db) != head_revision():
        raise CliError(t("cli.not_migrated", settings.language))
    return db


def cmd_programme_load(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    checked = check_file(path)
    if checked.problems or checked.programme is None:
        _print_problems(path, checked.problems, settings.language)
        return 1
    with session_scope(_database(settings)) as session:
        report = load_into(session, checked.programme, system_clock())
    key = "cli.load_changed" if report.changed else "cli.load_unchanged"
    print(t(key, settings.language, code=report.code, created=report.created, updated=report.updated, deactivated=report.deactivated))
    if report.moved:
        print(t("cli.load_moved", settings.language, moved=report.moved))
    if report.ended:
        print(t("cli.load_ended", settings.language, count=report.ended))
    if report.dropped:
        print(t("cli.load_dropped", settings.language, codes=", ".join(report.dropped)))
    return 0


def cmd_db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    db = make_engine(settings.database_url)
    upgrade(db)
    print(t("cli.db_upgraded", settings.language, revision=current_revision(db)))
    return 0


def cmd_db_migrate_to(args: argparse.Namespace, settings: Settings) -> int:
    target = make_engine(args.url)
    try:
        counts = copy_database(make_engine(settings.database_url), target)
    except TransferError as error:
        raise CliError(t(error.key, settings.language, **error.params)) from None
    for count in counts:
        print(t("cli.migrate_table", settings.language, table=count.table, rows=count.target))
    shown = target.url.render_as_string(hide_password=True)
    rows = sum(count.target for count in counts)
    print(t("cli.migrate_done", settings.language, tables=len(counts), rows=rows, url=shown))
    return 0


def _served(session: Session, wanted: str | None, settings: Settings) -> Served:
    """The programme a command works on (`wanted`, else the only one loaded), as the bot serves it."""
    try:
        return ServedProgramme(wanted, settings.timezone)(session)
    except NoProgramme as error:
        raise CliError(t(error.key, settings.language, **error.params)) from None


def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    language = settings.language
    with session_scope(_database(settings)) as session:
        served = _served(session, args.programme or settings.programme, settings)
        agency = session.exec(select(Agency).where(Agency.programme_id == served.id, Agency.code == args.agency.upper())).first()
        try:
            if agency is None:
                raise RuleError("invite.unknown_agency", agency=args.agency)
            role: Role = parse_role(args.role)
            issued = issue(session, agency, role, system_clock(), args.days or settings.invite_days)
        except RuleError as error:
            raise CliError(t(error.key, language, **error.params)) from None
        expires = format_moment(issued.invite.expires_at.astimezone(served.zone), language)
        print(t("cli.invite", language, code=issued.invite.code, agency=agency.name, role=t(f"role.{role}", language), expires=expires))
    return 0


def _start_clock(today: str | None, settings: Settings) -> ShiftedClock:
    """The wall clock, or (`--today`) one that starts at 09:00 on that day and runs on: the
    demo's way to bring deadlines closer, and a rehearsal's or a test's way to run the bot on
    a chosen day whatever the date."""
    clock = ShiftedClock()
    if today:
        zone = zone_of(load_programme(DEMO_PROGRAMME), settings.timezone)
        try:
            clock.jump_to(datetime.combine(date.fromisoformat(today), time(9, 0), tzinfo=zone))
        except ValueError:
            raise CliError(t("demo.clock_bad", settings.language, text=today)) from None
    return clock


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """The demo on `--programme`, else on PHOIHOP_PROGRAMME (a file or a shipped code), else on Lào Cai's."""
    wanted = args.programme or settings.programme
    programme_file = _programme_file(wanted, settings.language) if wanted else DEMO_PROGRAMME
    checked = check_file(programme_file)
    if checked.problems:
        _print_problems(programme_file, checked.problems, settings.language)
        return 1
    clock = _start_clock(args.today, settings)
    web_url = settings.public_url or f"http://{settings.web_listen}:{settings.web_port}"
    demo = start_demo(Path(args.db), clock, args.who, settings.timezone, settings.invite_days, programme_file, web_url)
    if args.who != NEWCOMER and args.who not in demo.people():
        raise CliError(t("demo.as_unknown", settings.language, key=args.who, keys=", ".join(demo.people())))
    with ExitStack() as web:
        _demo_web(web, demo, settings, web_url)
        return _demo_console(args, demo)


def _demo_web(stack: ExitStack, demo: Demo, settings: Settings, web_url: str) -> None:
    """The web beside the terminal demo, with a sign-in link for the demo's admin; if its
    port is taken, the demo goes on without it."""
    key = settings.web_secret_key.get_secret_value() if settings.web_secret_key else secrets.token_urlsafe(32)
    app = build_app(demo.engine, WebConfig(web_url, key))
    try:
        stack.enter_context(serving_in_thread(app, settings.web_listen, settings.web_port))
    except OSError as error:
        print(t("cli.web_cannot_listen", settings.language, listen=settings.web_listen, port=settings.web_port, error=error.strerror or error))
        return
    print(t("cli.web_ready", settings.language, url=web_url, listen=settings.web_listen, port=settings.web_port))
    print(t("cli.web_demo_link", settings.language, url=demo.admin_sign_in_link(web_url)))


def _demo_console(args: argparse.Namespace, demo: Demo) -> int:
    console = Console(demo.engine, demo.who, demo.language, demo.command, demo.deliver)
    interactive = sys.stdin.isatty()
    print(demo.banner(demo.language(demo.who)))
    print(demo.command("/whoami"))

    def prompt() -> str:
        console.who = demo.who
        return demo.prompt()

    console.loop(sys.stdin, sys.stdout, echo=not interactive, prompt=prompt)
    return 0


def _programme_file(name: str, language: str) -> Path:
    path = Path(name)
    if not path.is_file():
        path = DEMO_PROGRAMME.parent / f"{name}.toml"
    if not path.is_file():
        raise CliError(t("cli.no_programme_file", language, name=name))
    return path


def cmd_schedule(args: argparse.Namespace, settings: Settings) -> int:
    """A dry run: the calendar the programme produces in a year; nothing is sent."""
    path = _programme_file(args.programme, settings.language)
    checked = check_file(path)
    if checked.problems or checked.programme is None:
        _print_problems(path, checked.problems, settings.language)
        return 1
    entries = calendar(checked.programme, args.year)
    print(render(checked.programme, entries, args.year, settings.language))
    if args.ics:
        Path(args.ics).write_text(to_ics(checked.programme, entries, settings.language, system_clock()), encoding="utf-8", newline="")
        print(t("cli.schedule_written", settings.language, count=len(entries), path=args.ics))
    return 0


def cmd_sample_data(args: argparse.Namespace, settings: Settings) -> int:
    """The demo's agencies, people, a year of activities and two periods of submissions, in
    the configured database (loading the Lào Cai programme first if needed)."""
    language = settings.language
    programme = load_programme(DEMO_PROGRAMME)
    now = system_clock().astimezone(zone_of(programme, settings.timezone))
    with session_scope(_database(settings)) as session:
        load_into(session, programme, now)
        record = session.exec(select(ProgrammeRecord).where(ProgrammeRecord.code == programme.code)).one()
        filled = fill_sample(session, programme, record.id, read_sample(DEMO_SAMPLE), now)
    print(
        t(
            "cli.sample_filled",
            language,
            code=programme.code,
            people=filled.people,
            activities=filled.activities,
            submissions=filled.submissions,
        )
    )
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """`phoihop export PERIOD --out DIR`: the consolidated report's files."""
    from models.office.export.bundle import build_bundle  # matplotlib, python-docx, openpyxl: not for the other commands

    language = settings.language
    with session_scope(_database(settings)) as session:
        served = _served(session, args.programme or settings.programme, settings)
        programme = served.programme
        now = system_clock().astimezone(served.zone)
        try:
            period = choose_period(session, programme, served.id, args.period or "", now)
        except RuleError as error:
            raise CliError(t(error.key, language, **error.params)) from None
        bundle = build_bundle(session, programme, served.id, period, now, programme.programme.language)
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in bundle.files().items():
        (folder / name).write_bytes(content)
        print(t("cli.export_written", language, path=folder / name, size=len(content)))
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    language = settings.language
    webhooks: Webhooks = {setup.channel: getattr(args, setup.webhook_dest) for setup in CHANNELS}
    if not any(setup.wanted(settings, webhooks[setup.channel]) for setup in CHANNELS):
        print(t("cli.run_demo", language))
        if "database_url" in settings.model_fields_set:
            print(t("cli.run_demo_not_database", language, db=args.db))
        return cmd_demo(args, settings)
    setups = {setup.channel: setup for setup in CHANNELS}

    def announce(channel: str, name: str) -> None:
        if channel == WEB_CHANNEL:
            print(t("cli.web_ready", language, url=name, listen=settings.web_listen, port=settings.web_port), flush=True)
            return
        print(setups[channel].ready_line(settings, name, webhooks[channel]), flush=True)

    try:
        run_bots(settings, webhooks, announce, _start_clock(args.today, settings))
    except RunError as error:
        raise CliError(t(error.key, language, **error.params)) from None
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="phoihop", description="Trợ lý điều phối quy chế phối hợp / coordination assistant")
    commands = root.add_subparsers(dest="command", required=True)

    def demo_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--as", dest="who", default="lhh-admin", help="sample person key, or 'new' for a newcomer")
        sub.add_argument("--db", default="phoihop-demo.sqlite3", help="SQLite file, recreated on every start")
        sub.add_argument("--today", help="start the clock on this day (YYYY-MM-DD)")
        sub.add_argument("--programme", help="programme file or shipped code (default: PHOIHOP_PROGRAMME, else Lào Cai)")

    run = commands.add_parser("run", help="run the Telegram and/or Zalo bot (long polling); without a token, the terminal demo")
    demo_options(run)
    for setup in CHANNELS:
        run.add_argument(setup.webhook_option, dest=setup.webhook_dest, metavar="URL", help=setup.webhook_help)
    run.set_defaults(func=cmd_run)
    demo = commands.add_parser("demo", help="chat with the bot in the terminal, on sample data")
    demo_options(demo)
    demo.set_defaults(func=cmd_demo)

    programme = commands.add_parser("programme", help="check or load a programme file").add_subparsers(dest="action", required=True)
    check = programme.add_parser("check", help="report every problem in programme files")
    check.add_argument("files", nargs="+")
    check.set_defaults(func=cmd_programme_check)
    load = programme.add_parser("load", help="load a programme file into the database (idempotent)")
    load.add_argument("file")
    load.set_defaults(func=cmd_programme_load)
    reference = programme.add_parser("reference", help="print the reference of programme files (docs/programme-file.md)")
    reference.set_defaults(func=cmd_programme_reference)

    db = commands.add_parser("db", help="database maintenance").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="migrate the database to the latest schema").set_defaults(func=cmd_db_upgrade)
    migrate_to = db.add_parser("migrate-to", help="copy every row of DATABASE_URL into an empty database at URL (e.g. SQLite → PostgreSQL)")
    migrate_to.add_argument("url", help="the target, e.g. postgresql+psycopg://phoihop:…@127.0.0.1/phoihop")
    migrate_to.set_defaults(func=cmd_db_migrate_to)

    schedule = commands.add_parser("schedule", help="print the calendar a programme produces in a year (dry run)")
    schedule.add_argument("programme", help="programme file, or the code of a shipped one")
    schedule.add_argument("--year", type=int, required=True)
    schedule.add_argument("--ics", help="also write it as an iCalendar file")
    schedule.set_defaults(func=cmd_schedule)

    sample = commands.add_parser(
        "sample-data", help="fill the configured database with the demo's sample agencies, people, activities and submissions"
    )
    sample.set_defaults(func=cmd_sample_data)

    export = commands.add_parser("export", help="write the consolidated report of a period (docx, xlsx, charts)")
    export.add_argument("period", nargs="?", help="e.g. 2027-H1, 2026 or dv-nam/2026; default: the period whose deadline is nearest")
    export.add_argument("--out", required=True, help="folder to write the files into")
    export.add_argument("--programme", help="programme code, when the database holds several")
    export.set_defaults(func=cmd_export)

    invite = commands.add_parser("invite", help="print an invite code (how the first admin gets in)")
    invite.add_argument("agency", help="agency code, e.g. LHH or SYT")
    invite.add_argument("role", help="leader | specialist | admin | viewer")
    invite.add_argument("--programme", help="programme code, when the database holds several")
    invite.add_argument("--days", type=int, help="days before the code expires")
    invite.set_defaults(func=cmd_invite)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    args = parser().parse_args(argv)
    try:
        return int(args.func(args, settings))
    except CliError as error:
        print(str(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
