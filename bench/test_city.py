"""The benchmark city's generator, at a small size: every row it writes meets the database's
constraints and the invariants the services keep, so the load runs measure a network that could
exist (and a model change that the generator no longer fits fails here, not in `make bench`)."""

from collections import Counter

import city
import citydata
import cityenv
from django.contrib.auth.hashers import check_password
from django.db import connection

from mutualaid.accounts.models import Member, Role, RoleGrant
from mutualaid.aid.models import Message, Need, NeedStatus, TimelineEvent
from mutualaid.trust.models import Vouch

SIZE = citydata.Size.at(0.004)


def test_it_builds_a_small_city_that_could_exist(db):
    """One build (a few seconds), every promise checked on it."""
    citydata.network_settings()
    citydata.City(SIZE, seed=3, password=cityenv.PASSWORD).build()

    # The database's checks and the services' invariants (city.py runs the same after a build).
    assert city.check(connection) == []
    # The counts asked for, and every state a need can be in.
    statuses = Counter(Need.objects.values_list("status", flat=True))
    assert Need.objects.count() == SIZE.needs
    assert statuses[NeedStatus.OPEN] == SIZE.open
    assert set(statuses) == set(NeedStatus.values)
    assert Member.objects.count() == SIZE.members
    assert Message.objects.count() == SIZE.messages
    # Every need has its timeline; retention emptied those that ended long ago.
    assert not Need.objects.filter(events__isnull=True).exists()
    purged = Need.objects.filter(purged_at__isnull=False)
    assert purged.exists()
    assert not Message.objects.filter(claim__need__in=purged).exists()
    assert TimelineEvent.objects.filter(kind="need_purged").count() == purged.count()
    # The personas log in with the known password; every organizer role is held.
    for handle in (cityenv.ADMIN, cityenv.DISPATCHER, cityenv.TRIAGER, cityenv.MEMBER):
        assert check_password(cityenv.PASSWORD, Member.objects.get(handle=handle).password)
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    # A vouch tree with depth.
    assert Vouch.objects.count() > (SIZE.members - citydata.CALLERS) // 2
    assert city.tree_depth() >= 3
