"""Recording a consultation round at the table: open it, tick who is there, each side's
proposals with their typed parameters, the minutes, saved as they are typed; then each chief
representative signs with their own login. And the gap between the sides, topic by topic.

Every change goes through the services the API calls (``session_create``, ``session_update``,
``proposal_create``, ``session_sign``); they decide who may do what and refuse edits to signed
minutes (R4). These views only decide what to show: a form to those who negotiate for a side,
the record read-only to everyone else, and to everyone once both chiefs have signed."""

from django.urls import path

from bargaining.pages.rounds.gap import gap
from bargaining.pages.rounds.table import round_open, round_page, round_proposal, round_save, round_sign

ROUND = "negotiations/<int:pk>/rounds/<int:round_id>/"

urlpatterns = [
    path("negotiations/<int:pk>/rounds/new/", round_open, name="round_open"),
    path(ROUND, round_page, name="round"),
    path(f"{ROUND}minutes/", round_save, {"part": "minutes"}, name="round_minutes"),
    path(f"{ROUND}agenda/", round_save, {"part": "agenda"}, name="round_agenda"),
    path(f"{ROUND}attendees/", round_save, {"part": "attendees"}, name="round_attendees"),
    path(f"{ROUND}proposals/", round_proposal, name="round_proposal"),
    path(f"{ROUND}sign/", round_sign, name="round_sign"),
    path("negotiations/<int:pk>/gap/", gap, name="gap"),
]
