import pytest
from django.core.exceptions import ImproperlyConfigured

from mutualaid.lib.crypto import KeyRing, SealError, new_key_entry

OLD = new_key_entry("old")
NEW = new_key_entry("new")


def test_a_sealed_value_opens_with_its_row_and_shows_no_plaintext():
    ring = KeyRing.parse(NEW)
    token = ring.seal("canary-8c1f rent is late", b"aid_need.details.row-1")
    assert "canary" not in token
    assert token.startswith("new:")
    assert ring.open(token, b"aid_need.details.row-1") == "canary-8c1f rent is late"


def test_each_seal_uses_a_fresh_nonce():
    ring = KeyRing.parse(NEW)
    assert ring.seal("same", b"a") != ring.seal("same", b"a")


def test_a_value_moved_to_another_row_or_column_does_not_open():
    ring = KeyRing.parse(NEW)
    token = ring.seal("private", b"aid_need.details.row-1")
    with pytest.raises(SealError):
        ring.open(token, b"aid_need.details.row-2")
    with pytest.raises(SealError):
        ring.open(token, b"aid_message.body.row-1")


def test_a_tampered_value_does_not_open():
    ring = KeyRing.parse(NEW)
    token = ring.seal("private", b"aad")
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(SealError):
        ring.open(flipped, b"aad")


def test_the_newest_key_seals_and_every_key_opens():
    old_ring = KeyRing.parse(OLD)
    sealed_long_ago = old_ring.seal("kept", b"aad")
    ring = KeyRing.parse(f"{OLD},{NEW}")
    assert ring.newest == "new"
    assert ring.seal("fresh", b"aad").startswith("new:")
    assert ring.open(sealed_long_ago, b"aad") == "kept"


def test_a_value_under_a_retired_key_does_not_open():
    sealed = KeyRing.parse(OLD).seal("gone", b"aad")
    with pytest.raises(SealError, match="no key 'old'"):
        KeyRing.parse(NEW).open(sealed, b"aad")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("nocolon", "id:base64key"),
        ("k1:c2hvcnQ=", "32 bytes"),
        ("k1:!!!notbase64!!!", "not base64"),
        (f"{NEW},{NEW}", "twice"),
    ],
)
def test_a_bad_key_ring_fails_loudly(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        KeyRing.parse(text)
