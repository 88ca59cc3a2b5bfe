"""Receivers of other apps' signals (connected in apps.AssessmentsConfig.ready).

`follow_version`: when a perubahan SKP is approved (plans.signals.skp_version_approved), the
realisasi, rencana aksi, umpan balik and dialog kinerja of the periods not yet evaluated move to
the new version (progress.services_versions). It lives here, not in progress, because only this
app knows which periods are evaluated: an evaluation opened but not yet final exists only as an
Evaluasi (the lock rows progress keeps are written on finalisation), and progress may not import
assessments (dependencies point one way). A period evaluated once, draft or final, on any
version keeps its entries where its evaluation reads them (Evaluasi.objects.of_versions).
"""

from __future__ import annotations

from typing import Any

from kinerja.accounts.models import User
from kinerja.plans.models import Skp
from kinerja.progress.services_versions import realisasi_follow_version

from .models import Evaluasi


def follow_version(sender: object, *, new: Skp, previous: Skp, by: User, **kwargs: Any) -> None:
    evaluated = set(Evaluasi.objects.of_versions(new).values_list("period", flat=True))
    realisasi_follow_version(by=by, old=previous, new=new, evaluated=evaluated)
