"""API for generated documents (filled in by the documents work)."""

urlpatterns: list = []
