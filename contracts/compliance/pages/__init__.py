"""Pages of payroll compliance: uploading payroll and following each import, the breaches on a
heat map and in a list, each breach with its findings, its rule and the moves of its life. The
same selectors and services as the API."""

from contracts.compliance.pages import breach, breaches, payroll

urlpatterns = [*breaches.urlpatterns, *breach.urlpatterns, *payroll.urlpatterns]
