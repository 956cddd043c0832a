"""Web pages for negotiators: read the same selectors as the API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from bargaining import selectors
from bargaining.services.negotiations import negotiation_reply_overdue, reply_rule_describe
from bargaining.services.representatives import representation_problems, vacancy_fill_deadline


@login_required
def negotiation_index(request):
    negotiations = selectors.negotiation_list(user=request.user)
    return render(request, "bargaining/index.html", {"negotiations": negotiations})


@login_required
def negotiation_page(request, pk: int):
    negotiation = get_object_or_404(selectors.negotiation_list(user=request.user), pk=pk)
    representatives = [
        (representative, vacancy_fill_deadline(representative=representative))
        for representative in selectors.representative_list(negotiation=negotiation)
    ]
    return render(
        request,
        "bargaining/negotiation.html",
        {
            "negotiation": negotiation,
            "representatives": representatives,
            "problems": representation_problems(negotiation=negotiation),
            "sessions": selectors.session_list(negotiation=negotiation),
            "gap": selectors.negotiation_gap(negotiation=negotiation),
            "reply_overdue": negotiation_reply_overdue(negotiation),
            "reply_rule": reply_rule_describe(negotiation.reply_rule),
        },
    )


urlpatterns = [
    path("negotiations/", negotiation_index, name="index"),
    path("negotiations/<int:pk>/", negotiation_page, name="negotiation"),
]
