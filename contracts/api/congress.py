"""API for the workers' congress sessions (filled in by the congress work)."""

urlpatterns: list = []
