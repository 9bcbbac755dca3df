"""What each organizer role may do: the one place roles become capabilities.

Views, selectors, services and templates ask ``member.can(Capability.X)`` (or ``{% if
request.user|can:"read_private" %}`` in a template), never a role's name. Changing what a role may
do is a change to this table alone.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Role


class Capability(models.TextChoices):
    SEE_ALL_NEEDS = "see_all_needs", _("See every need, organizers-only and hidden ones included")
    SEE_HANDLES = "see_handles", _("See an anonymous requester's handle")
    READ_PRIVATE = "read_private", _("Read needs' private details, conversations and contacts")
    MATCH = "match", _("Match needs with volunteers")
    TRIAGE = "triage", _("Work the triage queue: publish, prioritise, merge or decline new needs")
    INTAKE = "intake", _("Record needs for neighbors who phone, and relay their messages")
    READ_REPORTED = "read_reported", _("Read reported content")
    HANDLE_REPORTS = "handle_reports", _("Handle safety reports")
    SUSPEND = "suspend", _("Suspend members and lift suspensions")
    APPROVE = "approve", _("Approve members on the network's behalf")
    REVOKE_VOUCHES = "revoke_vouches", _("Revoke anyone's vouch")
    VIEW_TRUST = "view_trust", _("See the vouch tree and members' trust records")
    CONFIGURE = "configure", _("Change the network's settings, areas and kinds of help")
    EDIT_RESOURCES = "edit_resources", _("Keep the directory of food banks, shelters and hotlines")
    GRANT_ROLES = "grant_roles", _("Grant and remove organizer roles")
    VIEW_FIGURES = "view_figures", _("See the network's figures: counts, waiting times, retention")


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    # Triagers and dispatchers match needs: they read what a need says, privately too.
    Role.TRIAGER: frozenset(
        {
            C.SEE_ALL_NEEDS,
            C.SEE_HANDLES,
            C.READ_PRIVATE,
            C.MATCH,
            C.TRIAGE,
            C.INTAKE,
            C.VIEW_TRUST,
            C.VIEW_FIGURES,
            # Who declines a need as out of scope keeps the list of where else to turn.
            C.EDIT_RESOURCES,
        }
    ),
    Role.DISPATCHER: frozenset(
        {
            C.SEE_ALL_NEEDS,
            C.SEE_HANDLES,
            C.READ_PRIVATE,
            C.MATCH,
            C.INTAKE,
            C.VIEW_TRUST,
            C.VIEW_FIGURES,
        }
    ),
    # Safety officers read what was reported to them, and act on members.
    Role.SAFETY: frozenset(
        {
            C.SEE_ALL_NEEDS,
            C.SEE_HANDLES,
            C.READ_REPORTED,
            C.HANDLE_REPORTS,
            C.SUSPEND,
            C.APPROVE,
            C.REVOKE_VOUCHES,
            C.VIEW_TRUST,
            C.VIEW_FIGURES,
        }
    ),
    # Admins configure the network; they do not read private text unless they hold another role.
    Role.ADMIN: frozenset(
        {
            C.SEE_ALL_NEEDS,
            C.CONFIGURE,
            C.EDIT_RESOURCES,
            C.GRANT_ROLES,
            C.APPROVE,
            C.REVOKE_VOUCHES,
            C.VIEW_TRUST,
            C.VIEW_FIGURES,
        }
    ),
}


def capabilities_of(roles) -> frozenset[str]:
    held = frozenset()
    for role in roles:
        held |= ROLE_CAPABILITIES.get(role, frozenset())
    return held


def roles_with(capability: str) -> list[str]:
    """The roles that carry ``capability`` (for queries: "every member who may ...")."""
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]
