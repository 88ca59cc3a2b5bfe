"""Demo evaluations for `seed_demo`: the story bidang is evaluated for the period running today.

The Kepala Dinas (the demo "Pimpinan unit") sets the Capaian Kinerja Organisasi of the bidang
and of each of its seksi (Baik); every pegawai of the bidang with an approved SKP is evaluated
by their rater through the real services (few rows, so each step is validated and audited):
rated so that each seksi's Baik pattern holds (one Sangat Baik, one Butuh Perbaikan, the rest
Baik), with feedback on an RHK and a BerAKHLAK value, and finalised, except the last staff
member of the demo seksi, whose evaluation stays a draft ("sedang dinilai") so the demo kasi's
team shows both. (The demo "Pegawai" and "PPPK" logins have no approved SKP yet in the story.)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kinerja.accounts.models import User
from kinerja.org import demo_plan
from kinerja.org.models import Instansi, Pegawai, Peran, PeranAkses, UnitKerja
from kinerja.plans.models import Skp, StatusSkp

from . import guards, services
from .models import ANNUAL

DEMO_UNIT_CODE = "DINKES-B1"  # the bidang above the demo seksi (see kinerja/org/demo_plan.py)
# Staff of a unit in turn: Sangat Baik, Butuh Perbaikan, then Baik (≤ 70 % Baik from 4 on).
RATINGS = (("DI_ATAS", "DI_ATAS"), ("DI_BAWAH", "SESUAI"), ("SESUAI", "SESUAI"),
           ("SESUAI", "DI_ATAS"), ("SESUAI", "SESUAI"))  # fmt: skip
NOTES = (
    "Target tercapai tepat waktu; pertahankan kualitas laporan.",
    "Perlu melengkapi bukti dukung setiap kegiatan.",
    "Koordinasi dengan puskesmas berjalan baik.",
)
VALUE_NOTES = (
    "Ramah dan cepat menanggapi pengguna layanan.",
    "Disiplin melaporkan realisasi.",
    "Aktif berbagi pengetahuan dengan rekan kerja.",
)


@dataclass(frozen=True)
class EvaluasiSummary:
    period_label: str
    capaian: int
    evaluasi: int
    final: int


def _leader(instansi: Instansi) -> User | None:
    """The Kepala Dinas of the story (leader above the bidang), else an admin of the instansi."""
    head = Pegawai.objects.filter(nip=demo_plan.NIP_PIMPINAN, user__isnull=False).first()
    if head is not None and head.user is not None:
        return head.user
    grant = PeranAkses.objects.filter(instansi=instansi, role=Peran.ADMIN).first()
    return grant.user if grant is not None else None


def _heads(skp: Skp) -> bool:
    return skp.jabatan.is_unit_head


def seed_evaluasi(*, instansi: Instansi, seed: int) -> EvaluasiSummary | None:
    rng = random.Random(seed)
    bidang = UnitKerja.objects.filter(instansi=instansi, code=DEMO_UNIT_CODE).first()
    leader = _leader(instansi)
    if bidang is None or leader is None:
        return None
    today = guards.today()
    current = [
        p
        for p in services.evaluation_periods(instansi.pk, today.year)
        if p.number != ANNUAL and p.start <= today <= p.end
    ]
    if not current:
        return None
    period = current[0]
    units = list(UnitKerja.objects.filter(instansi=instansi, path__startswith=bidang.path))
    for unit in units:
        services.capaian_set(by=leader, unit=unit, year=today.year, period=period.number,
                             predikat="BAIK", reason="Rencana aksi unit tercapai sesuai target "
                             "yang disepakati (data demo).")  # fmt: skip
    skps = list(
        Skp.objects.filter(
            instansi=instansi, year=today.year, is_current=True, status=StatusSkp.DISETUJUI,
            unit_path__startswith=bidang.path, rater__user__isnull=False,
        )
        .select_related("pegawai", "rater__user", "jabatan__unit")
        .order_by("unit_path", "pegawai__nip")
    )  # fmt: skip
    seksi_staff = [s for s in skps if s.unit_path != bidang.path and not _heads(s)]
    draft = max((s for s in seksi_staff if s.jabatan.unit.code == demo_plan.DEMO_SEKSI),
                key=lambda s: s.pegawai.nip, default=None)  # fmt: skip
    position: dict[str, int] = {}
    final = 0
    for skp in skps:
        assert skp.rater is not None and skp.rater.user is not None
        rater = skp.rater.user
        evaluasi = services.evaluasi_open(by=rater, skp=skp, period=period.number)
        if _heads(skp):
            hasil, perilaku = "", "SESUAI"  # a head's hasil is their unit's capaian
        else:
            index = position.get(skp.unit_path, 0)
            position[skp.unit_path] = index + 1
            hasil, perilaku = RATINGS[index % len(RATINGS)]
        evaluasi = services.evaluasi_rate(
            by=rater, evaluasi=evaluasi, rating_hasil=hasil,
            rating_perilaku=perilaku, catatan=rng.choice(NOTES),
        )  # fmt: skip
        rhk = skp.rhk.order_by("order", "id").first()
        if rhk is not None:
            services.catatan_set(by=rater, evaluasi=evaluasi, rhk=rhk, text=rng.choice(NOTES))
        services.catatan_set(by=rater, evaluasi=evaluasi, core_value=rng.randint(1, 7),
                             text=rng.choice(VALUE_NOTES))  # fmt: skip
        if skp != draft and evaluasi.predikat:
            services.evaluasi_finalize(by=rater, evaluasi=evaluasi)
            final += 1
    return EvaluasiSummary(period.label, len(units), len(skps), final)
