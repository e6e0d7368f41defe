from django.urls import path

from ..views import voting as views

app_name = "voting"
urlpatterns = [
    path("<slug:slug>/votes/", views.voting_page, name="page"),
    path("<slug:slug>/votes/polls/<int:poll_id>/members/<int:organisation_id>/", views.cast, name="cast"),
    path("<slug:slug>/votes/proxies/<int:organisation_id>/", views.give_proxy, name="give_proxy"),
    path("<slug:slug>/votes/proxies/<int:pk>/revoke/", views.revoke_proxy, name="revoke_proxy"),
    path("<slug:slug>/votes/proxies/<int:pk>/form.pdf", views.proxy_form, name="proxy_form"),
    path("<slug:slug>/votes/results.csv", views.results_csv, name="results_csv"),
    path("<slug:slug>/votes/results.json", views.results_popolo, name="results_popolo"),
    path("<slug:slug>/votes/live/", views.live, name="live"),
    path("<slug:slug>/votes/live/status.json", views.live_status, name="live_status"),
    path("<slug:slug>/votes/live/roll/freeze/", views.freeze_roll, name="freeze_roll"),
    path("<slug:slug>/votes/live/roll/change/", views.change_roll, name="change_roll"),
    path("<slug:slug>/votes/live/polls/<int:poll_id>/<slug:act>/", views.poll_act, name="poll_act"),
    path("<slug:slug>/votes/live/proxies/<int:pk>/<slug:decision>/", views.decide_proxy, name="decide_proxy"),
]
