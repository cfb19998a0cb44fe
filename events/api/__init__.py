"""The events app's part of the partner REST API (``/api/v1/``), and what every app's API shares."""
