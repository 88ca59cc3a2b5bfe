"""Demo data of the tindak lanjut area for `seed_demo`: a training catalogue for the demo
kabupaten and the early-warning cases of the story bidang for the period running today (the
triggers of the scan), with the Butuh Perbaikan predicates of the period the evaluation demo
finalised (the last one that is over), one of them turned into a coaching session; bulk rows
and one summary audit event."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kinerja.assessments.demo import closed_period
from kinerja.audit import services as audit
from kinerja.org.models import Instansi, Peran, PeranAkses, UnitKerja
from kinerja.plans.models import Skp, StatusSkp
from kinerja.plans.rules import periods
from kinerja.progress.services import cadence_of

from . import guards, rules, services
from .models import AksiSesi, Kasus, Pelatihan, Sesi, StatusKasus
from .scan import triggers_for

STORY_UNIT_CODE = "DINKES-B1"
CATALOGUE = (
    (
        "Kepemimpinan pengawas",
        "24",
        "KLASIKAL",
        [6, 7],
        "Memimpin dan menggerakkan tim",
        True,
        False,
    ),
    (
        "Manajemen waktu dan prioritas kerja",
        "8",
        "E_LEARNING",
        [2, 3],
        "Perencanaan kerja",
        True,
        False,
    ),
    ("Komunikasi efektif", "12", "KLASIKAL", [5, 6], "Komunikasi lisan dan tulisan", False, False),
    (
        "Literasi digital dan TI perkantoran",
        "10",
        "E_LEARNING",
        [3, 7],
        "Aplikasi perkantoran",
        True,
        False,
    ),
    ("Pelayanan publik prima", "16", "KLASIKAL", [1], "Standar pelayanan dan keluhan", False, True),
    (
        "Coaching dan mentoring di tempat kerja",
        "6",
        "COACHING_MENTORING",
        [3, 5],
        "Berbagi pengetahuan",
        False,
        False,
    ),
)


@dataclass
class DevelopmentSummary:
    catalogue: int
    cases: int
    sessions: int


def seed_pengembangan(*, instansi: Instansi) -> DevelopmentSummary | None:
    """Bulk rows checked by the same rules as the services (few, fixed), and one summary audit
    event, as the other demos."""
    grant = PeranAkses.objects.filter(instansi=instansi, role=Peran.ADMIN).first()
    if grant is None:
        return None
    Pelatihan.objects.bulk_create(
        Pelatihan(
            instansi=instansi,
            name=name,
            jp=Decimal(jp),
            mode=mode,
            core_values=values,
            kompetensi=kompetensi,
            for_hasil=hasil,
            for_pelayanan=pelayanan,
        )
        for name, jp, mode, values, kompetensi, hasil, pelayanan in CATALOGUE
    )
    unit = UnitKerja.objects.filter(instansi=instansi, code=STORY_UNIT_CODE).first()
    today = guards.today()
    cases: list[Kasus] = []
    sessions = 0
    skps = Skp.objects.filter(
        instansi=instansi, year=today.year, is_current=True, status=StatusSkp.DISETUJUI
    )
    first = skps.first()
    if unit is not None and first is not None:
        span = [p for p in periods(today.year, cadence_of(first)) if p.start <= today][-1]
        evaluated = closed_period(instansi.pk, today)
        threshold = services.pengaturan_for(instansi.pk).progress_threshold
        for skp in skps.filter(unit_path__startswith=unit.path).order_by("id"):
            found = [(span, t) for t in triggers_for(skp, span, today, threshold)]
            if evaluated is not None and evaluated != span:  # the closed period's low predicates
                found += [
                    (evaluated, t)
                    for t in triggers_for(skp, evaluated, today, threshold)
                    if t.reason == rules.PREDIKAT_RENDAH
                ]
            for period, trigger in found:
                cases.append(
                    Kasus(
                        instansi=instansi,
                        pegawai_id=skp.pegawai_id,
                        rater_id=skp.rater_id,
                        skp=skp,
                        unit_path=skp.unit_path,
                        year=skp.year,
                        period=period.number,
                        reason=trigger.reason,
                        data=trigger.data,
                    )
                )
        Kasus.objects.bulk_create(cases)
        kasus = next((k for k in cases if k.reason == "PREDIKAT_RENDAH" and k.rater_id), None)
        if kasus is not None and kasus.rater_id is not None:
            sesi = Sesi.objects.create(
                instansi=instansi,
                kasus=kasus,
                pegawai_id=kasus.pegawai_id,
                rater_id=kasus.rater_id,
                pembimbing_id=kasus.rater_id,
                unit_path=kasus.unit_path,
                year=kasus.year,
                period=kasus.period,
                method="COACHING",
                date=today,
                notes="Membahas bukti dukung yang belum lengkap dan jadwal laporan.",
                predikat_before=services.latest_predikat(
                    kasus.pegawai_id, kasus.year, kasus.period
                ),
                created_by_id=grant.user_id,
            )
            AksiSesi.objects.create(
                sesi=sesi, text="Lengkapi bukti dukung setiap kegiatan", due_date=today
            )
            Kasus.objects.filter(pk=kasus.pk).update(status=StatusKasus.DIBIMBING)
            sessions = 1
    summary = DevelopmentSummary(len(CATALOGUE), len(cases), sessions)
    audit.record(
        "seed_demo_pengembangan",
        by=None,
        scope=instansi.pk,
        target_type="instansi",
        target_id=instansi.pk,
        new={"pelatihan": summary.catalogue, "kasus": summary.cases, "sesi": summary.sessions},
    )
    return summary
