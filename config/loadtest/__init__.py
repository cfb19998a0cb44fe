"""The load test behind ``manage.py loadtest``: the stack it starts, its clients, its checks."""
