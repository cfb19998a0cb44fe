"""A URL configuration that moves the event pages, for tests/core/test_paths.py."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [
    path("elsewhere/<slug:slug>/", lambda request, slug: HttpResponse(), name="event-detail")
]
