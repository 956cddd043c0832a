"""Recording a consultation round at the table: open it, tick who is there, each side's
proposals with their typed parameters, the minutes, saved as they are typed; then each chief
representative signs with their own login."""

urlpatterns: list = []
