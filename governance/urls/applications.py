from django.urls import path

from ..views import applications as views

app_name = "applications"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("thanks/", views.submitted, name="submitted"),
    path("<str:token>/", views.status, name="status"),
    path("<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:token>/letter.pdf", views.letter, name="letter"),
]
