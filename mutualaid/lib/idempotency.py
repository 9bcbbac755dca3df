"""A form sent twice makes one record, not two.

A double click without JavaScript, or Back and send again, posts the same form twice. So a form
that creates a record carries a one-time key, made when the form is shown (``SubmitOnceForm``),
and the service that creates the record takes it as ``idempotency_key``: the model keeps the key
beside the record, with a unique constraint per member, and a second submission with the same key
finds the record the first one made (``earlier``) instead of making another. Two submissions that
race past that look-up meet the constraint: ``create_once`` turns the loser's unique violation into
finding the winner's record. An API can pass an ``Idempotency-Key`` header through the same door.

A key is not a secret (it only names a submission of the member's own) and holds no private text.
A submission without one (an old form, a script) is simply not deduplicated.
"""

import uuid

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

FIELD = "idempotency_key"


class IdempotencyKeyField(forms.UUIDField):
    """A hidden key, fresh each time its form is shown empty. A form shown again with its errors
    keeps the key it was sent: nothing was made with it yet, and it is still the same posting."""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": _("This form had expired. Check it, then send it again."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        """The key to show the form again with: the one it was sent, or a fresh one (``initial``)
        when it was sent none or a broken one, so that sending it again works."""
        try:
            return self.to_python(data) or initial
        except forms.ValidationError:
            return initial


class SubmitOnceForm(forms.Form):
    """A form whose submission creates a record: it carries the one-time key."""

    idempotency_key = IdempotencyKeyField()

    def clean(self):
        cleaned = super().clean()
        if self.has_error(FIELD):  # a hidden field: say it where the member can read it
            self.add_error(None, self.errors.pop(FIELD).as_data())
        return cleaned


def earlier(records, key):
    """The record among ``records`` (the member's own of one kind) made with ``key``, marked
    ``replayed``; None when there is none, or no key. A service asks before anything it would
    count or change (a rate limit), so that a second submission costs nothing. Without a key,
    ``records`` is not read (a service may pass None rather than build a queryset)."""
    if key is None:
        return None
    record = records.filter(**{FIELD: key}).first()
    if record is not None:
        record.replayed = True
    return record


def create_once(records, key, create):
    """``create()`` in a transaction (a savepoint inside another), or, if a submission with the
    same key committed first, the record it made: the unique constraint refused ours, and
    everything ``create`` did (its timeline row, its notices) rolled back with it."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        record = earlier(records, key)
        if record is None:  # another constraint said no: not ours to hide
            raise
        return record
