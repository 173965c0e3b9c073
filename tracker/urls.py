"""Root URLs: the analyst pages, the reader, the admin and the health check."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from articles import views as article_views
from tracker import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="pledge-list"), name="home"),
    path("pledges/", views.pledge_list, name="pledge-list"),
    path("pledges/export.csv", views.pledge_export, name="pledge-export"),
    path("articles/", article_views.article_list, name="article-list"),
    path("articles/<slug:slug>/", article_views.article_detail, name="article-detail"),
    path("reference/", views.reference, name="reference"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
