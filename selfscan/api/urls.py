from django.urls import path

from . import docs_views, views

app_name = "api"
urlpatterns = [
    path("schema/", docs_views.schema, name="schema"),
    path("docs/", docs_views.docs, name="docs"),
    path("rounds/", views.RoundList.as_view(), name="round_list"),
    path("rounds/<int:pk>/", views.RoundDetail.as_view(), name="round_detail"),
    path("rounds/<int:round_id>/progress/", views.ProgressList.as_view(), name="round_progress"),
    path("rounds/<int:round_id>/results/", views.ResultList.as_view(), name="result_list"),
    path(
        "rounds/<int:round_id>/schools/<int:school_id>/results/",
        views.SchoolResults.as_view(),
        name="school_results",
    ),
    path(
        "rounds/<int:round_id>/besturen/<int:bestuur_id>/results/",
        views.BoardResults.as_view(),
        name="board_results",
    ),
    path("norm-versions/", views.NormVersionList.as_view(), name="normversion_list"),
    path("norm-versions/<int:pk>/", views.NormVersionDetail.as_view(), name="normversion_detail"),
    path(
        "norm-versions/<int:pk>/statements/",
        views.NormVersionStatements.as_view(),
        name="normversion_statements",
    ),
    path("surveys/", views.SurveyList.as_view(), name="survey_list"),
    path("surveys/<int:pk>/summary/", views.SurveySummary.as_view(), name="survey_summary"),
]
