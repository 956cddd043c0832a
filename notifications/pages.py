"""Placeholder: filled in this step."""

app_name = "notifications"

urlpatterns: list = []
