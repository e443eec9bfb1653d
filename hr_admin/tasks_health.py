"""Celery tasks of the health check: invitations, reminders, closing."""
