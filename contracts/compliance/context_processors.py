"""What the site's navigation needs to know of payroll compliance: whether to offer its pages."""

from django.utils.functional import SimpleLazyObject

from contracts.compliance.selectors import compliance_enterprise_list


def navigation(request) -> dict[str, object]:
    """``reads_compliance``: the user may read payroll compliance somewhere (asked only when a page uses it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"reads_compliance": False}
    return {"reads_compliance": SimpleLazyObject(lambda: compliance_enterprise_list(user=user).exists())}
