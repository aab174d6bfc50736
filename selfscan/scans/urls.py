from django.urls import path

from . import views

app_name = "scans"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/invullen/", views.ScanWizard.as_view(url_name="scans:step"), name="wizard"),
    path(
        "<int:pk>/invullen/<str:step>/",
        views.ScanWizard.as_view(url_name="scans:step"),
        name="step",
    ),
    path("<int:pk>/opslaan/", views.save, name="save"),
    path("<int:pk>/controle/", views.review, name="review"),
    path("<int:pk>/indienen/", views.submit, name="submit"),
    path("<int:pk>/geschiedenis/", views.history, name="history"),
]
