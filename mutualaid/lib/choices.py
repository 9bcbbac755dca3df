"""A field's choice shown by its label (``get_FOO_display()``) without building the field's
table of choices again on every call.

Django's ``_get_FIELD_display`` makes a dict of the field's choices each time it is called, and
hashing each label (a lazy translation) translates it: a timeline of a need's events translated
every kind of event the network has, for each line shown. Here each field's labels are looked up
in a table made once, the labels left lazy, so that only the one shown is translated (into the
language active when it is shown).
"""

from django.utils.encoding import force_str


class ChoiceLabels:
    """Put first among a model's bases: ``class Need(ChoiceLabels, models.Model)``."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = field.__dict__["_choice_labels"] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            return force_str(labels.get(value, value), strings_only=True)
        except TypeError:  # a value that cannot be a key (a list): Django's own way
            return super()._get_FIELD_display(field)
