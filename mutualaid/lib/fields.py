"""A text field stored sealed (AES-GCM, see crypto.py), bound to its table, column and row.

The row is named by the model's ``code`` UUID, which exists before the first save (an integer key
does not), so every model with an encrypted field has a ``code``. The value is opened lazily, the
first time the attribute is read, and sealed again with the newest key on every save.

What does not work, on purpose: filtering on an encrypted field, and ``QuerySet.update()`` or
``bulk_update()`` with non-empty plaintext (both would need the row, or would write plaintext).
Emptying a field with ``update(field="")`` works: it is how retention purges.
"""

from django.db import models

from .crypto import keyring


class Sealed(str):
    """A value as stored: sealed, not yet opened."""


class _SealedAttribute:
    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        name = self.field.attname
        if name not in instance.__dict__:  # a deferred field
            instance.refresh_from_db(fields=[name])
        value = instance.__dict__[name]
        if isinstance(value, Sealed):
            value = keyring().open(value, self.field.associated_data(instance))
            instance.__dict__[name] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        setattr(cls, self.attname, _SealedAttribute(self))

    def associated_data(self, instance) -> bytes:
        return f"{instance._meta.db_table}.{self.column}.{instance.code}".encode()

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return Sealed(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not value:
            return value
        return Sealed(keyring().seal(value, self.associated_data(model_instance)))

    def get_prep_value(self, value):
        if value is None or value == "" or isinstance(value, Sealed):
            return value
        raise TypeError(
            f"{self.model.__name__}.{self.name} is encrypted: write it with save(), not update() "
            "or a lookup"
        )
