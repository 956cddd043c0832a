from django.urls import path

from bargaining import pages

app_name = "bargaining"

urlpatterns = [
    path("", pages.negotiation_index, name="index"),
    path("negotiations/<int:pk>/", pages.negotiation_page, name="negotiation"),
]
