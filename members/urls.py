from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("map.json", views.map_points, name="map_points"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/logo", views.logo, name="logo"),
]
