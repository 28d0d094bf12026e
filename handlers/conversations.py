"""The conversations the bot serves, in the order /help lists their commands (and
Telegram's command menus): the one list to extend when adding a command module."""

from __future__ import annotations

from handlers import (
    activities,
    activity,
    activity_notices,
    assess,
    attach,
    basics,
    channels,
    due,
    export,
    groups,
    invite,
    join,
    office,
    outreach,
    overview,
    people_admin,
    privacy,
    register,
    report,
    review,
    signed,
    signed_file,
    tasks,
    web,
    tvpb,
    tvpb_forms,
)
from handlers.wiring import ConversationModule, Wiring

CONVERSATIONS: tuple[ConversationModule, ...] = (
    join,
    basics,
    channels,
    register,
    activities,
    activity,
    attach,
    activity_notices,
    due,
    report,
    signed,
    signed_file,
    tasks,
    office,
    review,
    assess,
    outreach,
    overview,
    tvpb,
    tvpb_forms,
    people_admin,
    export,
    privacy,
    web,
    invite,
    groups,
)

WIRING = Wiring.of(CONVERSATIONS)
