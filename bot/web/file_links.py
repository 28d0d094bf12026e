"""A channel that cannot carry a document (Zalo) publishes it to the person of the chat
behind a signed, expiring link on PUBLIC_URL (`models/downloads`): `/files/<token>` for a
document, `/images/<token>` for a picture (which Zalo's sendPhoto fetches)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine as Database

from bot.clock import Clock
from bot.web.app import WebConfig
from handlers.types import Document
from models.db.engine import session_scope
from models.activities.tables import Attachment
from models.downloads import files, kept
from models.people.tables import Person


@dataclass(frozen=True)
class Published:
    url: str
    image: bool
    hours: int


@dataclass(frozen=True)
class KeptLink:
    """A kept file published to one person: its link, and what the line about it says."""

    published: Published
    filename: str
    size: int
    language: str


@dataclass(frozen=True)
class FileLinks:
    db: Database
    config: WebConfig
    clock: Clock
    hours: int = files.LINK_HOURS

    def publish(self, channel: str, chat_ref: str, document: Document) -> Published | None:
        """The document's link for the person whose private chat this is; None in a group
        or an unknown chat (a link is for one person: the channel then says what it is)."""
        image = document.mime.startswith("image/")
        kind = "image" if image else "file"
        with session_scope(self.db) as session:
            person_id = files.person_of_chat(session, channel, chat_ref)
            if person_id is None:
                return None
            row = files.publish(session, person_id, document.filename, document.mime, document.content, self.clock(), self.hours)
            token = files.token(self.config.secret_key, row, kind)
        return Published(self.config.link(f"/{kind}s/{token}"), image, self.hours)

    def publish_kept(self, channel: str, chat_ref: str, attachment_id: int) -> KeptLink | None:
        """The kept bytes of an attachment (`models/downloads/kept`) published to the person
        of this private chat; None if they are not kept or the chat is no person's."""
        with session_scope(self.db) as session:
            held = kept.kept_bytes(session, attachment_id)
            person_id = files.person_of_chat(session, channel, chat_ref)
            attachment = session.get(Attachment, attachment_id)
            if held is None or held.content is None or person_id is None or attachment is None:
                return None
            name = attachment.name or f"{attachment_id}"
            row = files.publish(session, person_id, name, held.mime or "application/octet-stream", held.content, self.clock(), self.hours)
            token = files.token(self.config.secret_key, row, "file")
            language = session.get_one(Person, person_id).language
        return KeptLink(Published(self.config.link(f"/files/{token}"), False, self.hours), name, len(held.content), language)
