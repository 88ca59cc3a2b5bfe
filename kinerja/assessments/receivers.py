"""Receivers of other apps' signals (connected in apps.AssessmentsConfig.ready).

`follow_version`: when a perubahan SKP is approved (plans.signals.skp_version_approved), the
realisasi, rencana aksi, umpan balik and dialog kinerja of the periods not yet evaluated move to
the new version (progress.services_versions). It lives here, not in progress, because only this
app knows which periods are evaluated: an evaluation opened but not yet final exists only as an
Evaluasi (the lock rows progress keeps are written on finalisation), and progress may not import
assessments (dependencies point one way). A period evaluated once, draft or final, on any
version keeps its entries where its evaluation reads them (Evaluasi.objects.of_versions). The
approval is refused while the running period (or the year) has a draft evaluation: see
`refuse_while_the_running_period_is_drafted`.

`refuse_cadence_change`: a year's cadence (plans.signals.cadence_changing) may change only while
nothing of the year is recorded by period: no realisasi, rencana aksi, umpan balik, dialog
kinerja, periodic evaluation or capaian organisasi. After that, period 2 of a quarter would
become February, and a final evaluation's lock on a quarter would not hold the months in it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.core.errors import Conflict
from kinerja.plans.models import Skp
from kinerja.progress.feedback_models import DialogKinerja, UmpanBalik
from kinerja.progress.models import Realisasi, RencanaAksi
from kinerja.progress.services import period_of
from kinerja.progress.services_versions import realisasi_follow_version

from . import guards
from .models import ANNUAL, CapaianOrganisasi, Evaluasi, StatusEvaluasi


def follow_version(sender: object, *, new: Skp, previous: Skp, by: User, **kwargs: Any) -> None:
    refuse_while_the_running_period_is_drafted(new)
    evaluated = set(Evaluasi.objects.of_versions(new).values_list("period", flat=True))
    realisasi_follow_version(by=by, old=previous, new=new, evaluated=evaluated)


def refuse_while_the_running_period_is_drafted(new: Skp) -> None:
    """A draft evaluation of the running period (or of the year) reads the version it was
    opened on, and its period stays there; the new version would take that period's next
    entries, which the evaluation would never see. So the rater finalises it first (its lock
    then holds on every version), or approves once the period is over."""
    today = guards.today()
    running = period_of(new, today) if new.start_date <= today <= new.end_date else None
    periods = [ANNUAL] if running is None else [ANNUAL, running.number]
    draft = (
        Evaluasi.objects.of_versions(new)
        .filter(status=StatusEvaluasi.DRAFT, period__in=periods)
        .order_by("period")
        .first()
    )
    if draft is None:
        return
    which = running.label if running and draft.period == running.number else _("tahunan")
    raise Conflict(
        _(
            "Perubahan SKP belum dapat disetujui: evaluasi %(which)s %(year)s masih draf pada "
            "versi yang berlaku dan membaca realisasi versi itu. Finalkan evaluasi itu dulu, "
            "atau setujui perubahan setelah periodenya berakhir."
        )
        % {"which": which, "year": new.year}
    )


def refuse_cadence_change(sender: object, *, instansi_id: int, year: int, **kwargs: Any) -> None:
    of_year = {"skp__instansi_id": instansi_id, "skp__year": year}
    recorded = (
        Realisasi.objects.filter(
            instansi_id=instansi_id, date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
        ).exists()
        or RencanaAksi.objects.filter(**of_year).exists()
        or UmpanBalik.objects.filter(**of_year).exists()
        or DialogKinerja.objects.filter(**of_year).exists()
        or Evaluasi.objects.filter(instansi_id=instansi_id, year=year, period__gte=1).exists()
        or CapaianOrganisasi.objects.filter(
            instansi_id=instansi_id, year=year, period__gte=1
        ).exists()
    )
    if recorded:
        raise Conflict(
            _(
                "Periode evaluasi tahun %(year)s tidak dapat diubah lagi: sudah ada realisasi, "
                "rencana aksi, umpan balik, dialog kinerja atau evaluasi yang dicatat per "
                "periode pada tahun itu."
            )
            % {"year": year},
            field="cadence",
        )
