"""The one refusal: an action a person may not take now, with a code for machines and words for
people.

Every service raises ``Refusal`` when a rule says no; nothing is changed when it does. A view shows
``message`` to the person, a form puts it on a field, the API returns ``{"code": ..., "message":
...}``. ``retry_after`` (seconds) is set when a rate limit said no, so the page or API can say when
to try again (429 with Retry-After).
"""


class Refusal(Exception):
    """An action refused by a rule. ``code`` is stable (API clients and tests read it)."""

    def __init__(self, message, *, code: str = "refused", retry_after: int | None = None, **extra):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.retry_after = retry_after
        self.extra = extra

    def __str__(self):
        return str(self.message)

    def as_dict(self) -> dict:
        """The refusal as the API answers it."""
        body = {"code": self.code, "message": str(self.message)}
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
        body.update(self.extra)
        return body


# The codes that are about one piece of text a person wrote (a form shows them on that field).
TEXT_CODES = frozenset({"empty", "too_long", "personal_details"})
