"""Demo evaluations for `seed_demo`: the story bidang is evaluated for the last period of this year
that is already over (today's period stays open, so the demo logins can still record realisasi:
a final evaluation locks its period's realisasi). On the first period of the year no period is
over yet and the SKPs are this year's, so nothing is evaluated and `seed_demo` says why.

The Kepala Dinas (the demo "Pimpinan unit") sets the Capaian Kinerja Organisasi of the bidang
and of each of its seksi (Baik); every pegawai of the bidang with an approved SKP is evaluated
by their rater (rows written in bulk, as the other demos do: a generator, not a user action;
one audit event sums it up; the ratings follow rules.py exactly as the services would):
rated so that each seksi's Baik pattern holds (one Sangat Baik, one Butuh Perbaikan, the rest
Baik), with feedback on an RHK and a BerAKHLAK value, and finalised, except the last staff
member of the demo seksi, whose evaluation stays a draft ("sedang dinilai") so the demo kasi's
team shows both. (The demo "Pegawai" and "PPPK" logins have no approved SKP yet in the story;
the "Pegawai (lapor realisasi)" login's is approved, so it is evaluated too.)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.org import demo_plan
from kinerja.org.models import Instansi, Pegawai, Peran, PeranAkses, UnitKerja
from kinerja.plans.models import Rhk, Skp, StatusSkp
from kinerja.plans.rules import Period
from kinerja.progress.models import PeriodeTerkunci

from . import guards, rules, services
from .models import ANNUAL, CapaianOrganisasi, CatatanEvaluasi, Evaluasi, StatusEvaluasi

DEMO_UNIT_CODE = "DINKES-B1"  # the bidang above the demo seksi (see kinerja/org/demo_plan.py)
# Staff of a unit in turn: Sangat Baik, Butuh Perbaikan, then Baik (≤ 70 % Baik from 4 on).
RATINGS = (("DI_ATAS", "DI_ATAS"), ("DI_BAWAH", "SESUAI"), ("SESUAI", "SESUAI"),
           ("SESUAI", "DI_ATAS"), ("SESUAI", "SESUAI"))  # fmt: skip
NOTES = (
    "Target tercapai tepat waktu; pertahankan kualitas laporan.",
    "Perlu melengkapi bukti dukung setiap kegiatan.",
    "Koordinasi dengan puskesmas berjalan baik.",
)
CAPAIAN_REASON = "Rencana aksi unit tercapai sesuai target yang disepakati (data demo)."
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


def closed_period(instansi_id: int, today: date) -> Period | None:
    """The latest periodic period of today's year that ended before today, if any."""
    over = [
        p
        for p in services.evaluation_periods(instansi_id, today.year)
        if p.number != ANNUAL and p.end < today
    ]
    return max(over, key=lambda p: p.end, default=None)


def seed_evaluasi(*, instansi: Instansi, seed: int) -> EvaluasiSummary | str:
    """The evaluations of the story bidang, or why there are none (a sentence for the log)."""
    rng = random.Random(seed)
    today = guards.today()
    period = closed_period(instansi.pk, today)
    if period is None:
        return (
            "belum ada periode tahun ini yang sudah selesai (periode pertama sedang berjalan, "
            "dan periode berjalan tidak difinalkan agar realisasinya tetap terbuka)."
        )
    bidang = UnitKerja.objects.filter(instansi=instansi, code=DEMO_UNIT_CODE).first()
    leader = _leader(instansi)
    if bidang is None or leader is None:
        return "bidang cerita demo atau pimpinannya tidak ada."
    units = list(UnitKerja.objects.filter(instansi=instansi, path__startswith=bidang.path))
    CapaianOrganisasi.objects.bulk_create(
        CapaianOrganisasi(instansi=instansi, unit=unit, year=today.year, period=period.number,
                          predikat=rules.BAIK, set_by=leader, reason=CAPAIAN_REASON)
        for unit in units
    )  # fmt: skip
    skps = list(
        Skp.objects.filter(
            instansi=instansi, year=today.year, is_current=True, status=StatusSkp.DISETUJUI,
            unit_path__startswith=bidang.path, rater__user__isnull=False,
        )
        .select_related("pegawai", "rater", "jabatan__unit")
        .order_by("unit_path", "pegawai__nip")
    )  # fmt: skip
    seksi_staff = [s for s in skps if s.jabatan.unit.code == demo_plan.DEMO_SEKSI and not _heads(s)]
    draft = max(seksi_staff, key=lambda s: s.pegawai.nip, default=None)
    position: dict[str, int] = {}
    now = timezone.now()
    rows: list[Evaluasi] = []
    for skp in skps:
        assert skp.rater is not None
        if _heads(skp):  # a head's hasil is their unit's capaian (Baik → Sesuai)
            hasil, perilaku = rules.head_rating(rules.BAIK), rules.SESUAI
        else:
            index = position.get(skp.unit_path, 0)
            position[skp.unit_path] = index + 1
            hasil, perilaku = RATINGS[index % len(RATINGS)]
        predikat = rules.predikat(hasil, perilaku)
        final = skp != draft
        rows.append(
            Evaluasi(
                instansi=instansi, skp=skp, pegawai=skp.pegawai, rater=skp.rater,
                unit=skp.jabatan.unit, unit_path=skp.jabatan.unit.path, year=today.year,
                period=period.number, is_unit_head=_heads(skp), rating_hasil=hasil,
                rating_perilaku=perilaku, predikat=predikat, predikat_penilai=predikat,
                catatan=rng.choice(NOTES),
                status=StatusEvaluasi.FINAL if final else StatusEvaluasi.DRAFT,
                finalized_at=now if final else None,
                finalized_by_id=skp.rater.user_id if final else None,
            )
        )  # fmt: skip
    Evaluasi.objects.bulk_create(rows)
    first_rhk = {}
    for rhk in Rhk.objects.filter(skp__in=skps).order_by("-order", "-id"):
        first_rhk[rhk.skp_id] = rhk
    notes: list[CatatanEvaluasi] = []
    for evaluasi in rows:
        if evaluasi.skp_id in first_rhk:
            notes.append(CatatanEvaluasi(evaluasi=evaluasi, rhk=first_rhk[evaluasi.skp_id],
                                         text=rng.choice(NOTES)))  # fmt: skip
        notes.append(CatatanEvaluasi(evaluasi=evaluasi, core_value=rng.randint(1, 7),
                                     text=rng.choice(VALUE_NOTES)))  # fmt: skip
    CatatanEvaluasi.objects.bulk_create(notes)
    finals = [e for e in rows if e.status == StatusEvaluasi.FINAL]
    PeriodeTerkunci.objects.bulk_create(
        PeriodeTerkunci(skp_id=e.skp_id, period=e.period) for e in finals
    )
    audit.record(
        "seed_demo_evaluasi", by=None, scope=instansi.pk, target_type="instansi",
        target_id=instansi.pk,
        new={"period": period.number, "capaian": len(units), "evaluasi": len(rows),
             "final": len(finals), "catatan": len(notes)},
    )  # fmt: skip
    return EvaluasiSummary(period.label, len(units), len(rows), len(finals))
