"""A ``Server-Timing`` response header with the request's server time and SQL queries.

For benchmarks over real HTTP (``bench/bench_http.py``): the client reads how long the server
spent on a request and how many queries it made, without counting the network, the client or
gunicorn's own queueing. Installed only when ``TRELLIS_SERVER_TIMING=1`` (see
config/settings.py): the header tells anyone how heavy a page is, which production keeps to
itself.

The header reads ``app;dur=12.3, db;dur=4.5;desc="7 queries"``: ``app`` is the whole time
inside this middleware, ``db`` the time spent executing SQL, counted with
``connection.execute_wrapper`` (the same hook in every process, with or without ``DEBUG``).
Put it first in ``MIDDLEWARE`` so that ``app`` covers every other middleware, the tenancy
transaction included.
"""

from __future__ import annotations

import time

from django.db import connection


class ServerTimingMiddleware:
    """Time the request and its queries; add the figures as a ``Server-Timing`` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = 0
        sql_seconds = 0.0

        def count(execute, sql, params, many, context):
            nonlocal queries, sql_seconds
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                sql_seconds += time.perf_counter() - started
                queries += 1

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        total_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (f'app;dur={total_ms:.2f}, '
                                     f'db;dur={sql_seconds * 1000:.2f};desc="{queries} queries"')
        return response
