from django.urls import path

from ..views import offices as views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.json", views.export_json, name="export_json"),
]
