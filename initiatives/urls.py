"""Public pages of the initiatives app."""

from django.urls import path

from . import views

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiative-list"),
    path(
        "initiatives/filters/<slug:name>/",
        views.initiative_filter_suggestions,
        name="initiative-filter-suggestions",
    ),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative-detail"),
]
