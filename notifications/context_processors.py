"""What every page may show of the user's alerts: how many are unread (for the site's navigation)."""

from notifications.selectors import alert_unread_count


def unread_alerts(request) -> dict[str, int]:
    """``unread_alert_count``: the logged-in user's unread alerts (one count query); 0 for a visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_alert_count": 0}
    return {"unread_alert_count": alert_unread_count(user=user)}
