"""Public pages of the journal and the news."""

from django.urls import path

from . import oai, views

urlpatterns = [
    path("journal/", views.article_list, name="article-list"),
    path(
        "journal/filters/<slug:name>/",
        views.article_filter_suggestions,
        name="article-filter-suggestions",
    ),
    path("journal/articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("journal/collections/<slug:slug>/", views.collection_detail, name="collection-detail"),
    # OAI-PMH 2.0 for harvesters (BASE, CORE, library discovery): see publications.oai.
    path("oai/", oai.oai_pmh, name="oai-pmh"),
    path("news/", views.news_list, name="news-list"),
    path("news/<slug:slug>/", views.news_detail, name="news-detail"),
]
