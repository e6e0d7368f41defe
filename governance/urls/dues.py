from django.urls import path

from ..views import dues as views

app_name = "dues"
urlpatterns = [
    path("<int:pk>.pdf", views.invoice_pdf_download, name="invoice_pdf"),
]
