from django.urls import path

from ..views import dashboard as views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
]
