"""Field encryption at rest: AES-256-GCM with a key ring from the environment.

A sealed value is ``<key id>:<base64url(nonce + ciphertext + tag)>``. Each value gets a fresh random
96-bit nonce, and the table, field and row it belongs to are bound as associated data, so that a
value copied into another row or column fails to open. The newest key seals; every key in the ring
opens, so keys can be rotated (``manage.py rotate_keys`` re-seals every value with the newest key).

Keys come from ``MUTUALAID_FIELD_KEYS`` (or the file named by ``MUTUALAID_FIELD_KEYS_FILE``): a
comma- or newline-separated list of ``id:base64-of-32-bytes``, oldest first. They are independent of
SECRET_KEY.
"""

import base64
import binascii
import os
import secrets
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


class SealError(Exception):
    """A sealed value could not be opened: unknown key, tampering, or the wrong row."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    newest: str

    @classmethod
    def parse(cls, text: str) -> "KeyRing":
        keys: dict[str, bytes] = {}
        newest = ""
        for item in text.replace("\n", ",").split(","):
            item = item.strip()
            if not item:
                continue
            key_id, sep, encoded = item.partition(":")
            if not sep or not key_id.isalnum():
                raise ImproperlyConfigured(
                    "MUTUALAID_FIELD_KEYS entries look like id:base64key (the id letters and "
                    "digits only)"
                )
            try:
                key = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded) % 4))
            except (binascii.Error, ValueError):
                raise ImproperlyConfigured(
                    f"MUTUALAID_FIELD_KEYS key {key_id!r} is not base64"
                ) from None
            if len(key) != 32:
                raise ImproperlyConfigured(
                    f"MUTUALAID_FIELD_KEYS key {key_id!r} must be 32 bytes, not {len(key)}"
                )
            if key_id in keys:
                raise ImproperlyConfigured(f"MUTUALAID_FIELD_KEYS names key {key_id!r} twice")
            keys[key_id] = key
            newest = key_id
        if not keys:
            raise ImproperlyConfigured(
                "MUTUALAID_FIELD_KEYS is empty: set it (or MUTUALAID_FIELD_KEYS_FILE) to at "
                "least one key; `manage.py generate_field_key` makes one"
            )
        return cls(keys=keys, newest=newest)

    def seal(self, plaintext: str, aad: bytes) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.newest]).encrypt(nonce, plaintext.encode(), aad)
        return f"{self.newest}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, aad: bytes) -> str:
        key_id, sep, encoded = token.partition(":")
        if not sep or key_id not in self.keys:
            raise SealError(f"no key {key_id!r} in the ring")
        try:
            raw = base64.urlsafe_b64decode(encoded)
            plain = AESGCM(self.keys[key_id]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
        except (InvalidTag, binascii.Error, ValueError):
            raise SealError("the value does not open with its key and row") from None
        return plain.decode()

    @staticmethod
    def key_id_of(token: str) -> str:
        return token.partition(":")[0]


def new_key_entry(key_id: str | None = None) -> str:
    key_id = key_id or secrets.token_hex(4)
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


@cache
def _ring_for(text: str) -> KeyRing:
    return KeyRing.parse(text)


def keyring() -> KeyRing:
    """The ring configured in settings (parsed once per distinct value)."""
    return _ring_for(settings.FIELD_KEYS)
