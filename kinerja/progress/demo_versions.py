"""Demo perubahan SKP for `seed_demo`: one pegawai of the demo kasi's team changes an approved
SKP in the running period, through the same services a user calls (revise, raise one target,
submit, approve). On approval the running period's realisasi, rencana aksi, threads and dialogs
follow to the new version (services_versions.realisasi_follow_version); the period the demo
evaluated stays on version 1. Run after the demo realisasi and evaluations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from kinerja.org.demo_plan import NIP_PELAPOR, NIP_PENILAI
from kinerja.org.models import Instansi
from kinerja.plans import content_services
from kinerja.plans import services as plans
from kinerja.plans.models import Iki, Skp, StatusSkp

from .models import Realisasi
from .services import period_of


@dataclass(frozen=True)
class PerubahanSummary:
    pegawai: str
    nip: str
    version: int
    followed: int  # realisasi now on the new version


def seed_perubahan(*, instansi: Instansi) -> PerubahanSummary | None:
    """None when the demo has no such pegawai (a tiny --pegawai, or no entries this period)."""
    today = timezone.localdate()
    candidates = (
        Skp.objects.filter(
            instansi=instansi,
            status=StatusSkp.DISETUJUI,
            is_current=True,
            rater__nip=NIP_PENILAI,
            pegawai__user__isnull=False,
            rater__user__isnull=False,
            start_date__lte=today,
            end_date__gte=today,
        )
        .exclude(pegawai__nip=NIP_PELAPOR)  # the printed login keeps its simple story
        .select_related("pegawai__user", "rater__user")
        .order_by("pegawai__nip")
    )
    for skp in candidates:
        period = period_of(skp, today)
        if Realisasi.objects.filter(skp=skp, period=period.number).exists():
            return _revise(skp)
    return None


def _revise(skp: Skp) -> PerubahanSummary:
    owner, rater = skp.pegawai.user, skp.rater.user if skp.rater else None
    assert owner is not None and rater is not None  # filtered in seed_perubahan
    new = plans.skp_revise(by=owner, skp=skp)
    iki = (
        Iki.objects.filter(rhk__skp=new, target_value__isnull=False)
        .select_related("rhk")
        .order_by("rhk__order", "order")
        .first()
    )
    if iki is not None and iki.target_value is not None:
        content_services.iki_save(
            by=owner, rhk=iki.rhk, iki=iki, values={"target_value": iki.target_value + 1}
        )
    plans.skp_submit(by=owner, skp=new)
    plans.skp_approve(by=rater, skp=new)
    followed = Realisasi.objects.filter(skp=new).count()
    return PerubahanSummary(skp.pegawai.name, skp.pegawai.nip, new.version, followed)
