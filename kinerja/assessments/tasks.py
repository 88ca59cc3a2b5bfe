"""Background tasks of the evaluation (django.tasks; the database backend's worker is
`manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task

from . import closing


@task()
def close_annual(penutupan_id: int) -> None:
    """Close the annual evaluation of an instansi (closing.run_closing)."""
    closing.run_closing(penutupan_id)
