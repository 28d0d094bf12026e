"""Zalo updates read as the documentation and the SDKs show them: with or without
event_name, the sender's name under display_name or name, a photo named properly."""

from __future__ import annotations

from bot.zalo.incoming import event_of, photo_name, to_incoming

FROM = {"id": "u1", "is_bot": False}
CHAT = {"id": "u1", "chat_type": "PRIVATE"}


def message(**fields: object) -> dict[str, object]:
    return {"from": FROM, "chat": CHAT, "message_id": "m1", **fields}


def test_the_event_comes_from_the_message_when_event_name_is_missing() -> None:
    assert event_of({}, message(text="/help")) == "message.text.received"
    assert event_of({}, message(photo_url="https://x/a.jpg")) == "message.image.received"
    assert event_of({}, message(voice_url="https://x/a.aac")) == "message.voice.received"
    assert event_of({}, message(sticker="s1")) == "message.sticker.received"
    assert event_of({}, message()) == "message.unsupported.received"
    assert event_of({"event_name": "message.voice.received"}, message(text="x")) == "message.voice.received"


def test_voice_sticker_and_unsupported_reach_the_engine_as_unreadable() -> None:
    voice = to_incoming({"message": message(voice_url="https://x/a.aac")})
    assert voice is not None and voice.unreadable == "voice" and voice.text is None
    sticker = to_incoming({"event_name": "message.sticker.received", "message": message(sticker="s1")})
    assert sticker is not None and sticker.unreadable == "sticker"
    other = to_incoming({"event_name": "message.location.received", "message": message()})
    assert other is not None and other.unreadable == "other"
    in_group = to_incoming({"message": {**message(voice_url="v"), "chat": {"id": "g", "chat_type": "GROUP"}}})
    assert in_group is not None and in_group.unreadable == "mention" and in_group.text is None


def test_the_name_is_display_name_or_name() -> None:
    shown = to_incoming({"message": {**message(text="hi"), "from": {**FROM, "display_name": "Mai"}}})
    named = to_incoming({"message": {**message(text="hi"), "from": {**FROM, "name": "Lan"}}})
    assert shown is not None and shown.display_name == "Mai"
    assert named is not None and named.display_name == "Lan"


def test_a_photo_gets_a_proper_name() -> None:
    assert photo_name("https://photo-stal-1.zdn.vn/2026/ab/bien-ban.JPG?sig=1", "m1") == "bien-ban.JPG"
    assert photo_name("https://photo-stal-1.zdn.vn/2026/ab/5f1e2d3c", "m7") == "zalo-photo-m7.jpg"
    photo = to_incoming({"message": message(photo_url="https://photo-stal-1.zdn.vn/x/5f1e")})
    assert photo is not None and photo.file is not None and photo.file.name == "zalo-photo-m1.jpg"
