"""Sample people and activities for the demo and the tests (`samples/<programme file name>`, kept out of
`programmes/` so that every file there is a programme).

People join as if through an invite, with consent recorded; activity dates are given as
days from `today`, so the sample always has recent history and something coming up.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from locales.catalogue import t
from models.activities.register import Draft, register
from models.people.roster import link_identity, log
from models.people.tables import ChannelIdentity, Person, Role
from models.programme.schema import Programme
from models.programme.tables import ActivityType, Agency
from models.tvpb.experts import join_bank

SAMPLE_CHANNEL = "console"


class SamplePerson(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    agency: str
    role: Role
    name: str
    language: str = "vi"


class SampleActivity(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agency: str
    type: str
    title: str
    days_from_today: int
    place: str
    partners: list[str] = Field(default_factory=list)
    participants: int | None = None


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    programme: str
    people: list[SamplePerson] = Field(default_factory=list)
    activities: list[SampleActivity] = Field(default_factory=list)


def read_sample(path: Path) -> Sample:
    return Sample.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


MADE_AGENCIES = 6
"""Agencies that get sample focal points when a programme has no sample file."""


def made_sample(programme: Programme) -> Sample:
    """Sample people made from a programme's own agencies, for a programme without a sample
    file: two admins of the coordinator, a leader and a specialist in each of the first
    MADE_AGENCIES agencies. Named by their post, not invented names; no activities."""
    language = programme.programme.language
    coordinator = programme.coordinator.code
    people = [
        SamplePerson(key=f"{_key(coordinator)}-{suffix}", agency=coordinator, role=Role.ADMIN, name=t(f"sample.{suffix}", language, code=coordinator))
        for suffix in ("admin", "admin2")
    ]
    for agency in programme.agencies[:MADE_AGENCIES]:
        for role in (Role.LEADER, Role.SPECIALIST):
            name = t(f"sample.{role.value}", language, code=agency.code)
            people.append(SamplePerson(key=f"{_key(agency.code)}-{role.value}", agency=agency.code, role=role, name=name))
    return Sample(programme=programme.code, people=people)


def sample_for(programme_file: Path, programme: Programme, samples: Path) -> Sample:
    """The programme's sample file (samples/<same name>) if there is one, else people made from its agencies."""
    path = samples / programme_file.name
    return read_sample(path) if path.is_file() else made_sample(programme)


def _key(code: str) -> str:
    return code.lower().replace("_", "-")


def load_sample(session: Session, programme_id: int, sample: Sample, now: datetime) -> dict[str, Person]:
    """Add the sample's people (skipping keys already present) and activities."""
    agencies = {a.code: a for a in session.exec(select(Agency).where(Agency.programme_id == programme_id))}
    types = {t.code: t for t in session.exec(select(ActivityType).where(ActivityType.programme_id == programme_id))}
    people = {}
    for item in sample.people:
        people[item.key] = add_sample_person(session, programme_id, agencies[item.agency], item, now)
    today = now.date()
    for activity in sample.activities:
        lead = agencies[activity.agency]
        draft = Draft(
            type_id=types[activity.type].id,
            title=activity.title,
            day=today + timedelta(days=activity.days_from_today),
            place=activity.place,
            partner_ids=tuple(agencies[code].id for code in activity.partners),
            participants=activity.participants,
        )
        register(session, programme_id, lead, draft, None, today, now)
    return people


def add_sample_person(session: Session, programme_id: int, agency: Agency, item: SamplePerson, now: datetime) -> Person:
    """A sample person, joined through the console channel (their key is their account)."""
    existing = session.exec(
        select(Person)
        .join(ChannelIdentity, col(ChannelIdentity.person_id) == Person.id)
        .where(ChannelIdentity.channel == SAMPLE_CHANNEL, ChannelIdentity.user_ref == item.key)
    ).first()
    if existing is not None:
        return existing
    person = Person(
        programme_id=programme_id,
        agency_id=agency.id,
        role=item.role,
        full_name=item.name,
        language=item.language,
        consent_at=now,
        consent_version="sample",
        created_at=now,
    )
    session.add(person)
    session.flush()
    link_identity(session, person, (SAMPLE_CHANNEL, item.key, item.key), now)
    log(session, "sample_data", now, person.id)
    if person.role is Role.EXPERT:
        join_bank(session, person, now)
    return person
