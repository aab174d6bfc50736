from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("scholen/", views.school_list, name="school_list"),
    path("scholen/nieuw/", views.school_create, name="school_create"),
    path("scholen/<int:pk>/", views.school_detail, name="school_detail"),
    path("scholen/<int:pk>/wijzigen/", views.school_edit, name="school_edit"),
    path("besturen/", views.bestuur_list, name="bestuur_list"),
    path("besturen/nieuw/", views.bestuur_create, name="bestuur_create"),
    path("besturen/<int:pk>/", views.bestuur_detail, name="bestuur_detail"),
    path("besturen/<int:pk>/wijzigen/", views.bestuur_edit, name="bestuur_edit"),
    path("wijken/", views.area_list, name="area_list"),
    path("wijken/nieuw/", views.wijk_create, name="wijk_create"),
    path("wijken/<int:pk>/wijzigen/", views.wijk_edit, name="wijk_edit"),
    path("stadsdelen/nieuw/", views.stadsdeel_create, name="stadsdeel_create"),
    path("stadsdelen/<int:pk>/wijzigen/", views.stadsdeel_edit, name="stadsdeel_edit"),
    path("import/", views.import_upload, name="import"),
    path("import/doorvoeren/", views.import_apply, name="import_apply"),
    path("import/sjabloon.csv", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/opnieuw/", views.import_retry, name="import_retry"),
]
