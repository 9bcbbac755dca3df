"""`manage.py rotate-keys`: the same command as rotate_keys, under the name operators look for."""

from .rotate_keys import Command  # noqa: F401
