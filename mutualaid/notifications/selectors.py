"""Reads of a member's choices: how they want to hear about each kind of notice."""

from mutualaid.lib import notices

from .models import CHAT, EMAIL, ChatHook, Mode, NeedAlerts, Preference

CHANNELS = (EMAIL, CHAT)
# The kind notices had before kinds existed: not offered as a choice.
HIDDEN_KINDS = {"message"}


def default_mode(kind: str, channel: str) -> str:
    """Right away, by email and chat alike: every kind is about the member's own needs, claims,
    trust or reports. A member without an email (or a chat address) gets nothing there anyway."""
    return Mode.IMMEDIATELY


def choosable_kinds() -> list[str]:
    return [name for name in notices.KINDS if name not in HIDDEN_KINDS]


def mode_for(member, kind: str, channel: str) -> str:
    chosen = (
        Preference.objects.filter(member=member, kind=kind, channel=channel)
        .values_list("mode", flat=True)
        .first()
    )
    return chosen or default_mode(kind, channel)


def modes_of(member) -> dict[tuple[str, str], str]:
    """(kind, channel) -> mode for every choosable kind, defaults filled in; one query."""
    chosen = {
        (kind, channel): mode
        for kind, channel, mode in Preference.objects.filter(member=member).values_list(
            "kind", "channel", "mode"
        )
    }
    return {
        (kind, channel): chosen.get((kind, channel), default_mode(kind, channel))
        for kind in notices.KINDS
        for channel in CHANNELS
    }


def chat_url_of(member) -> str:
    hook = ChatHook.objects.filter(member=member).first()
    return hook.url if hook else ""


def has_chat(member) -> bool:
    return ChatHook.objects.filter(member=member).exists()


def need_alerts_initial(member) -> dict:
    """The member's opt-in to hear of needs near them, as the form starts from (off: no row)."""
    alerts = NeedAlerts.objects.filter(member=member).first()
    if alerts is None:
        return {"enabled": False, "categories": [], "per_day": 3}
    return {
        "enabled": alerts.enabled,
        "categories": list(alerts.categories.values_list("pk", flat=True)),
        "per_day": alerts.per_day,
        "quiet_from": alerts.quiet_from,
        "quiet_until": alerts.quiet_until,
    }
