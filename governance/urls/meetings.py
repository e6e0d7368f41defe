from django.urls import path

from ..views import meetings as views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<slug:slug>.ics", views.meeting_ics, name="ics"),
    path("<slug:slug>/", views.meeting_detail, name="detail"),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
    path("<slug:slug>/delegates/<int:organisation_id>/", views.register_delegate, name="register"),
    path("<slug:slug>/delegates/<int:pk>/remove/", views.remove_delegate, name="unregister"),
]
