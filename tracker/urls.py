"""Root URLs: the analyst pages, the releases, the reader, the API, the admin and the health
check."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from articles import views as article_views
from tracker import views
from tracker.api.routes import api

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pledges/", views.pledge_list, name="pledge-list"),
    path("pledges/export.csv", views.pledge_export, name="pledge-export"),
    path("pledges/export.xlsx", views.pledge_export_xlsx, name="pledge-export-xlsx"),
    path("pledges/totals.csv", views.pledge_totals_export, name="pledge-totals-export"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge-detail"),
    path("donors/", views.donor_list, name="donor-list"),
    path("donors/<slug:slug>/", views.donor_detail, name="donor-detail"),
    path("articles/", article_views.article_list, name="article-list"),
    path("articles/<slug:slug>/", article_views.article_detail, name="article-detail"),
    path("reference/", views.reference, name="reference"),
    path("releases/", views.release_list, name="release-list"),
    path("releases/latest/", views.release_latest, name="release-latest"),
    path("releases/latest/<str:name>", views.release_latest, name="release-latest-file"),
    # The number as text: the view says what is wrong with one that is not a release's.
    path("releases/<str:number>/", views.release_detail, name="release-detail"),
    path("releases/<str:number>/<str:name>", views.release_file, name="release-file"),
    path("api/", api.urls),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
