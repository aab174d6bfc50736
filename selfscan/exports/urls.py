from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
    path("<int:pk>/opnieuw/", views.job_retry, name="job_retry"),
]
