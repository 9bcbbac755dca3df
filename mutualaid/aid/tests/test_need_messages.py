"""selectors.need_messages: who may read which conversation of a need."""

from mutualaid.aid import selectors, services
from mutualaid.test import BaseTestCase, make_member


class NeedMessagesTestCase(BaseTestCase):
    def setUp(self):
        # Vic talks with Rosa, releases the need; Wanda claims it and talks with Rosa too.
        self.need = self.claimed_need()
        self.wanda = make_member("wanda", area=self.north)
        self.to_vic = self.say(self.requester, "Vic, the door code is 1234")
        self.from_vic = self.say(self.volunteer, "Thanks Rosa")
        services.need_release(need=self.need, member=self.volunteer)
        services.need_claim(need=self.need, member=self.wanda)
        self.need.refresh_from_db()
        self.to_wanda = self.say(self.requester, "Wanda, the door code is 5678")
        self.from_wanda = self.say(self.wanda, "Coming at six")

    def say(self, sender, body):
        return services.message_send(need=self.need, sender=sender, body=body)

    def test_the_requester_reads_every_conversation_in_order(self):
        self.assertEqual(
            selectors.need_messages(self.need, self.requester),
            [self.to_vic, self.from_vic, self.to_wanda, self.from_wanda],
        )

    def test_an_organizer_reads_every_conversation(self):
        self.assertEqual(
            selectors.need_messages(self.need, self.organizer),
            [self.to_vic, self.from_vic, self.to_wanda, self.from_wanda],
        )

    def test_the_current_volunteer_reads_only_their_own_conversation(self):
        self.assertEqual(
            selectors.need_messages(self.need, self.wanda), [self.to_wanda, self.from_wanda]
        )

    def test_a_released_volunteer_reads_nothing_any_more(self):
        self.assertEqual(selectors.need_messages(self.need, self.volunteer), [])

    def test_the_outsider_reads_nothing(self):
        self.assertEqual(selectors.need_messages(self.need, self.outsider), [])

    def test_a_volunteer_who_claims_again_does_not_get_the_old_conversation_back(self):
        services.need_release(need=self.need, member=self.wanda)
        services.need_claim(need=self.need, member=self.volunteer)
        self.need.refresh_from_db()
        again = self.say(self.volunteer, "I'm back")
        self.assertEqual(selectors.need_messages(self.need, self.volunteer), [again])
        self.assertEqual(selectors.need_messages(self.need, self.wanda), [])

    def test_the_volunteer_loses_the_conversation_once_the_need_is_closed(self):
        services.need_mark_fulfilled(need=self.need, member=self.wanda)
        self.assertEqual(
            selectors.need_messages(self.need, self.wanda), [self.to_wanda, self.from_wanda]
        )
        services.need_confirm(need=self.need, member=self.requester)
        self.assertEqual(selectors.need_messages(self.need, self.wanda), [])
        self.assertEqual(len(selectors.need_messages(self.need, self.requester)), 4)
