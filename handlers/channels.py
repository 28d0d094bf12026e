"""/link and /channel: one person on several messengers.

/link gives a one-time code; `/link CODE` sent from another messenger attaches that
account to the same person, and both sides are told. /channel chooses where the bot's own
messages (reminders, notices) go; by default, to the channel the person last used.
"""

from __future__ import annotations

from handlers import forms
from handlers.commands import EVERYONE, MEMBERS, Command
from handlers.context import Ctx
from handlers.forms import Answer, Done, Flow, Outcome, Stay, Step
from handlers.throttle import counted, refused_for_now
from handlers.types import Button, Reply
from models.errors import RuleError
from models.outbox.notify import NOW, Addressee, Letter, message, notify
from models.people.invites import normalise_code
from models.people.links import LINK_MINUTES, issue_link_code, linked_channels, prefer_channel, redeem_link_code
from models.programme.due_phrases import fold

AUTO = "auto"
AUTO_WORDS = frozenset({AUTO, "tu dong"})


NOT_USABLE = frozenset({"link.unknown", "link.used", "link.expired"})
"""Told apart to a member; to a stranger one answer, so a guess learns nothing."""


def channel_name(channel: str) -> str:
    return channel.capitalize()


def link(ctx: Ctx, args: str) -> list[Reply]:
    if args.strip():
        return _redeem(ctx, args)
    if ctx.person is None or ctx.identity is None:
        return [ctx.say("command.deactivated" if ctx.speaker.former_member else "command.join_first")]
    row = issue_link_code(ctx.session, ctx.person, ctx.identity, ctx.now)
    return [ctx.say("link.code", code=row.code, minutes=LINK_MINUTES, channel=channel_name(ctx.incoming.channel))]


def _redeem(ctx: Ctx, code: str) -> list[Reply]:
    incoming = ctx.incoming
    account = (incoming.channel, incoming.user_ref, incoming.chat_ref)
    if (refused := refused_for_now(ctx)) is not None:
        return [refused]
    try:
        linked = redeem_link_code(ctx.session, ctx.programme_id, code, account, ctx.person, ctx.now)
    except RuleError as error:
        stranger = ctx.person is None and error.key in NOT_USABLE
        return [counted(ctx, error, "link.unknown", ctx.say("link.not_usable") if stranger else Reply(ctx.error(error)))]
    person, here, there = linked.person, channel_name(incoming.channel), channel_name(linked.issuer.channel)
    ctx.speaker.person, ctx.lang = person, person.language
    issuer = Addressee(linked.issuer.channel, linked.issuer.chat_ref, person.language, None, person.id)
    notice = Letter(f"link:{normalise_code(code)}", message("link.done_there", channel=here, other=there), [issuer])
    notify(ctx.session, [notice], NOW, ctx.now, ctx.programme_id)
    return [ctx.say("link.done_here", name=person.full_name, channel=here, other=there)]


def choose_channel(ctx: Ctx, args: str) -> list[Reply]:
    assert ctx.person is not None and ctx.person.id is not None
    wanted = fold(args)
    if wanted:
        return [_prefer(ctx, None if wanted in AUTO_WORDS else wanted)]
    channels = linked_channels(ctx.session, ctx.person.id)
    if len(channels) < 2:
        return [ctx.say("channel.only_one", channel=channel_name(ctx.incoming.channel))]
    return forms.begin(ctx, "channel")


def _prefer(ctx: Ctx, channel: str | None) -> Reply:
    assert ctx.person is not None
    try:
        prefer_channel(ctx.session, ctx.person, channel, ctx.now)
    except RuleError as error:
        return Reply(ctx.error(error))
    if channel is None:
        return ctx.say("channel.set_auto")
    return ctx.say("channel.set", channel=channel_name(channel))


def _prompt(ctx: Ctx) -> Reply:
    assert ctx.person is not None and ctx.person.id is not None
    chosen = ctx.person.preferred_channel
    current = channel_name(chosen) if chosen else ctx.t("channel.auto_now")
    buttons = [Button(channel_name(channel), f"c:{channel}") for channel in linked_channels(ctx.session, ctx.person.id)]
    rows = (tuple(buttons), (Button(ctx.t("channel.auto"), AUTO),))
    return Reply(ctx.t("channel.choose", current=current), rows)


def _accept(ctx: Ctx, answer: Answer) -> Outcome:
    choice = answer.choice or ""
    if choice == AUTO:
        return Done([_prefer(ctx, None)])
    if choice.startswith("c:"):
        return Done([_prefer(ctx, choice[2:])])
    return Stay(ctx.t("form.pick_a_button"))


CHANNEL_FORM = Flow(name="channel", first="choose", steps={"choose": Step(_prompt, _accept, back=False)})

CROSS_CHANNEL = ("link", "channel")
"""Commands that only mean something when both messengers are served."""

COMMANDS = (
    Command("link", link, EVERYONE, "help.link", help_for=MEMBERS),
    Command("channel", choose_channel, MEMBERS, "help.channel", forms=(CHANNEL_FORM,)),
)
