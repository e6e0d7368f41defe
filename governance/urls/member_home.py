from django.urls import path

from ..views import member_home as views

app_name = "member_home"
urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("organisations/<slug:slug>/profile/", views.edit_profile, name="edit_profile"),
]
