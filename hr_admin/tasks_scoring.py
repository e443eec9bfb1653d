"""Celery tasks of the health check: scoring."""
