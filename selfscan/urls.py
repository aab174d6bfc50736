"""URL configuration. Each app owns its URLs under a Dutch prefix."""

from django.contrib import admin
from django.urls import include, path

from selfscan.core import views as core_views

handler403 = "selfscan.core.views.error_403"
handler404 = "selfscan.core.views.error_404"
handler500 = "selfscan.core.views.error_500"

urlpatterns = [
    path("health/", core_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/api-sleutels/", include("selfscan.api.token_urls")),
    path("account/", include("selfscan.accounts.urls")),
    path("account/inloggen/school/", include("selfscan.sso.urls")),
    path("api/v1/", include("selfscan.api.urls")),
    path("register/", include("selfscan.organisations.urls")),
    path("auditlog/", include("selfscan.audit.urls")),
    path("beheer/importeren/", include("selfscan.imports.urls")),
    path("meetrondes/", include("selfscan.rounds.urls")),
    path("zelfscan/", include("selfscan.scans.urls")),
    path("", include("selfscan.perspectives.urls")),
    path("resultaten/", include("selfscan.results.urls")),
    path("verbeteracties/", include("selfscan.plans.urls")),
    path("exports/", include("selfscan.exports.urls")),
    path("beheer/django/", admin.site.urls),
    path("normen/", include("selfscan.norms.urls")),
    path("", include("selfscan.surveys.urls")),
    path("", include("selfscan.core.urls")),
]

admin.site.site_header = "Zelfscan basisondersteuning"
admin.site.site_title = "Zelfscan"
