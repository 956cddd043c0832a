"""Placeholder: filled in this step."""

urlpatterns: list = []
