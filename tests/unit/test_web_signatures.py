"""The Mini App's initData as Telegram documents its check, and the signed file links:
valid ones read, forged, stale, tampered and expired ones refused."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest

from models.downloads import signing
from models.miniapp import init_data
from models.miniapp.init_data import InitDataRefused
from models.downloads.signing import LinkRefused, SignedRef
from tests.support.mini_app import NOW, TOKEN, telegram_init_data



def test_valid_init_data_names_the_telegram_user() -> None:
    user = init_data.validate(telegram_init_data(), TOKEN, NOW + timedelta(minutes=59))
    assert (user.telegram_id, user.language_code) == ("4242", "vi")


def test_forged_init_data_is_refused() -> None:
    forged = telegram_init_data().replace("4242", "4243")
    with pytest.raises(InitDataRefused) as refused:
        init_data.validate(forged, TOKEN, NOW)
    assert refused.value.reason == "forged"


def test_init_data_signed_with_another_bot_is_refused() -> None:
    with pytest.raises(InitDataRefused, match="forged"):
        init_data.validate(telegram_init_data(token="999:other"), TOKEN, NOW)


def test_stale_and_future_init_data_is_refused() -> None:
    with pytest.raises(InitDataRefused, match="stale"):
        init_data.validate(telegram_init_data(), TOKEN, NOW + timedelta(hours=1, seconds=1))
    with pytest.raises(InitDataRefused, match="stale"):
        init_data.validate(telegram_init_data(auth_date=NOW + timedelta(hours=1)), TOKEN, NOW)
    assert init_data.validate(telegram_init_data(), TOKEN, NOW + timedelta(hours=2), max_age=timedelta(hours=3))


@pytest.mark.parametrize("text", ["", "auth_date=1&user=%7B%7D", "hash="])
def test_init_data_without_hash_is_refused(text: str) -> None:
    with pytest.raises(InitDataRefused, match="missing_hash"):
        init_data.validate(text, TOKEN, NOW)


def test_signed_init_data_without_a_user_is_refused() -> None:
    fields = {"auth_date": str(int(NOW.timestamp()))}
    fields["hash"] = init_data.sign(fields, TOKEN)
    with pytest.raises(InitDataRefused, match="no_user"):
        init_data.validate(urlencode(fields), TOKEN, NOW)


SECRET = "web-secret-for-the-tests"
REF = SignedRef("file", 7, 3, NOW + timedelta(hours=24))


def test_a_signed_link_reads_back_until_it_expires() -> None:
    link = signing.sign(SECRET, REF)
    assert signing.read(SECRET, link, NOW) == REF
    with pytest.raises(LinkRefused, match="expired"):
        signing.read(SECRET, link, REF.expires_at)


@pytest.mark.parametrize(
    "change",
    [
        lambda link: link.replace("file.7.", "file.8.", 1),
        lambda link: link.replace(".7.3.", ".7.4.", 1),
        lambda link: link.replace("file.", "image.", 1),
        lambda link: link[:-1] + ("A" if link[-1] != "A" else "B"),
        lambda link: link.rpartition(".")[0],
        lambda link: "garbage",
    ],
)
def test_a_tampered_link_is_refused(change: object) -> None:
    link = signing.sign(SECRET, REF)
    with pytest.raises(LinkRefused, match="tampered"):
        signing.read(SECRET, change(link), NOW)  # type: ignore[operator]


def test_a_link_signed_with_another_key_is_refused() -> None:
    with pytest.raises(LinkRefused, match="tampered"):
        signing.read(SECRET, signing.sign("another-key", REF), NOW)
