"""Demo data of the tindak lanjut area for `seed_demo`: a training catalogue for the demo
kabupaten (made by its admin) and the early-warning scan of the story bidang for the period
running today (so the demo kasi finds cases, e.g. the Butuh Perbaikan set by the evaluation
demo), with one case turned into a coaching session."""

from __future__ import annotations

from dataclasses import dataclass

from kinerja.accounts.models import User
from kinerja.org.models import Instansi, Pegawai, Peran, PeranAkses, UnitKerja
from kinerja.plans.models import Skp
from kinerja.plans.rules import periods
from kinerja.progress.services import cadence_of

from . import guards, services
from . import services_training as training
from .models import Kasus, Pelatihan
from .scan import scan

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
    grant = PeranAkses.objects.filter(instansi=instansi, role=Peran.ADMIN).first()
    if grant is None:
        return None
    admin = User.objects.get(pk=grant.user_id)
    for name, jp, mode, values, kompetensi, hasil, pelayanan in CATALOGUE:
        training.pelatihan_save(
            by=admin,
            instansi_id=instansi.pk,
            values={
                "name": name,
                "jp": jp,
                "mode": mode,
                "core_values": values,
                "kompetensi": kompetensi,
                "for_hasil": hasil,
                "for_pelayanan": pelayanan,
            },
        )
    unit = UnitKerja.objects.filter(instansi=instansi, code=STORY_UNIT_CODE).first()
    today = guards.today()
    sessions = 0
    if unit is not None:
        skp = Skp.objects.filter(instansi=instansi, year=today.year).first()
        current = (
            [p for p in periods(today.year, cadence_of(skp)) if p.start <= today] if skp else []
        )
        if current:
            scan(
                instansi_id=instansi.pk,
                year=today.year,
                period=current[-1].number,
                today=today,
                unit_path=unit.path,
            )
        kasus = Kasus.objects.filter(instansi=instansi, reason="PREDIKAT_RENDAH").first()
        coach = (
            Pegawai.objects.filter(pk=kasus.rater_id).first() if kasus and kasus.rater_id else None
        )
        if kasus is not None and coach is not None and coach.user_id is not None:
            services.sesi_record(
                by=User.objects.get(pk=coach.user_id),
                pegawai=Pegawai.objects.get(pk=kasus.pegawai_id),
                kasus=kasus,
                method="COACHING",
                day=today,
                notes="Membahas bukti dukung yang belum lengkap dan jadwal laporan.",
                actions=[("Lengkapi bukti dukung setiap kegiatan", today)],
            )
            sessions = 1
    return DevelopmentSummary(
        Pelatihan.objects.filter(instansi=instansi).count(),
        Kasus.objects.filter(instansi=instansi).count(),
        sessions,
    )
