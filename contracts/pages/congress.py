"""The workers' congress in pages: the chair opens a session, each delegate votes once from
their own device, the chair watches the count of ballots and closes the vote, or enters a
paper tally; then everyone sees the result with the rule it applied (R6)."""

urlpatterns: list = []
