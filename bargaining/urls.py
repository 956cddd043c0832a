from bargaining.pages import home, negotiations, rounds

app_name = "bargaining"

urlpatterns = [*home.urlpatterns, *negotiations.urlpatterns, *rounds.urlpatterns]
