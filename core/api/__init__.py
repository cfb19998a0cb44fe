"""The API base every app builds on: keys, throttles, errors, conditional GETs, filters,
schema and base viewsets, one module per concern."""
