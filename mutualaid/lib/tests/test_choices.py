"""A choice shown by its label (lib/choices.py): as Django shows it, in the language of the
moment, without translating every label of the field to find one."""

from unittest import mock

from django.db.models import Model
from django.utils import translation
from django.utils.translation import override

from mutualaid.aid.models import EventKind, Need, TimelineEvent, Urgency
from mutualaid.test import BaseTestCase

KIND = TimelineEvent._meta.get_field("kind")


class ChoiceLabelsTestCase(BaseTestCase):
    def test_each_choice_shows_its_label_as_django_shows_it(self):
        for kind in EventKind:
            event = TimelineEvent(kind=kind)
            with self.subTest(kind=kind):
                self.assertEqual(event.get_kind_display(), str(kind.label))
        for urgency in Urgency:
            self.assertEqual(Need(urgency=urgency).get_urgency_display(), str(urgency.label))

    def test_in_the_language_of_the_moment(self):
        need = Need(urgency=Urgency.TODAY)
        with override("en"):
            english = need.get_urgency_display()
        with override("es"):
            spanish = need.get_urgency_display()
        self.assertNotEqual(english, spanish)
        with override("es"):
            self.assertEqual(spanish, str(Urgency.TODAY.label))

    def test_a_value_not_among_the_choices_shows_as_it_is(self):
        self.assertEqual(TimelineEvent(kind="made_up").get_kind_display(), "made_up")

    def test_only_the_label_shown_is_translated(self):
        event = TimelineEvent(kind=EventKind.NEED_POSTED)
        event.get_kind_display()  # the table made
        label = str(EventKind.NEED_POSTED.label)
        translated = translation._trans.gettext  # what every lazy label calls when shown
        with mock.patch.object(translation._trans, "gettext", wraps=translated) as gettext:
            self.assertEqual(event.get_kind_display(), label)
            self.assertEqual(gettext.call_count, 1)
            gettext.reset_mock()
            # Django's own way, for the record: every label of the field translated.
            self.assertEqual(Model._get_FIELD_display(event, KIND), label)
            self.assertGreaterEqual(gettext.call_count, len(EventKind))
