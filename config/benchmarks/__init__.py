"""The scale benchmark (``manage.py benchmark --serve``) and its committed results.

``cases`` names what is measured, ``timing`` measures it against app servers (interleaved with
a baseline), ``inprocess`` measures the API against hand-written ``.values()`` views and counts
queries, ``serve`` runs it all with the production stack on loopback, ``report`` prints the
table, checks the targets and writes JSON and Markdown. ``results.md`` and ``results.json``
are the figures of the last full run, with the machine they were measured on.
"""
