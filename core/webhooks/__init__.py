"""Webhooks for partners: signed JSON deliveries of published, changed and withdrawn items.

- ``events``: the one place that notices an item becoming public, changing while public or
  leaving the site (a signal handler on the saves the workflow makes, and the scheduled check
  for publish and unpublish times the clock reaches), and queues a delivery for each endpoint
  that asked for it;
- ``payloads``: the body, built from the item's public API representation when it is sent;
- ``signing``: secrets and the ``Webhook-Signature`` header;
- ``targets``: which URLs an endpoint may have (the guard against requests to private networks);
- ``delivery``: one attempt, retries with backoff, disabling after failures, replays;
- ``tasks``: the background tasks (django-tasks, database queue) that ``db_worker`` runs.
"""
