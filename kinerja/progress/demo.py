"""Demo realisasi for `seed_demo`: the story seksi and its head's unit report this period.

Only the approved SKPs of the pegawai in the demo seksi and its bidang get entries, so that the
realisasi page, the kasi's team page and the kabid's unit page show real numbers after
`make run`; the "Pegawai (lapor realisasi)" login always has entries it can correct. Rows are
written in bulk (a generator, not a user action); one audit event sums it up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from kinerja.audit import services as audit
from kinerja.org.demo_plan import NIP_PELAPOR, NIP_PENILAI
from kinerja.org.models import Instansi, Pegawai, UnitKerja
from kinerja.plans.models import Iki, Skp, StatusSkp
from kinerja.plans.rules import Period

from .feedback_models import DialogKinerja, TargetUmpanBalik, TindakLanjut, UmpanBalik
from .models import Realisasi
from .services import period_of

DEMO_UNIT_CODE = "DINKES-B1"  # the bidang above the demo seksi (see kinerja/org/demo_plan.py)


@dataclass(frozen=True)
class RealisasiSummary:
    entries: int
    feedback: int


def seed_realisasi(*, instansi: Instansi, seed: int) -> RealisasiSummary:
    rng = random.Random(seed)
    unit = UnitKerja.objects.filter(instansi=instansi, code=DEMO_UNIT_CODE).first()
    if unit is None:
        return RealisasiSummary(0, 0)
    today = timezone.localdate()
    skps = list(
        Skp.objects.filter(
            instansi=instansi,
            unit_path__startswith=unit.path,
            status=StatusSkp.DISETUJUI,
            is_current=True,
            start_date__lte=today,
            end_date__gte=today,
        )
        .select_related("pegawai")
        .order_by("pegawai__nip", "pk")  # the same draws, so the same demo, on every database
    )
    if not skps:
        return RealisasiSummary(0, 0)
    current = period_of(skps[0], today)
    ikis = (
        Iki.objects.filter(rhk__skp__in=skps)
        .select_related("rhk")
        .order_by("rhk__skp_id", "rhk__order", "order", "pk")
    )
    by_skp: dict[int, list[Iki]] = {}
    for iki in ikis:
        by_skp.setdefault(iki.rhk.skp_id, []).append(iki)
    entries: list[Realisasi] = []
    for skp in skps:
        if skp.pegawai.user_id is None:
            continue
        if skp.pegawai.nip != NIP_PELAPOR and rng.random() < 0.25:
            continue  # some pegawai have not reported yet (the demo login always has)
        for iki in by_skp.get(skp.pk, []):
            for _ in range(rng.randint(1, 2)):
                day = max(current.start, today - timedelta(days=rng.randint(0, 20)))
                if iki.target_value is not None:
                    share = Decimal(rng.randint(5, 30)) / 100
                    value: Decimal | None = (iki.target_value * share).quantize(Decimal("1"))
                    narrative = ""
                else:
                    value, narrative = None, "Kegiatan terlaksana sesuai rencana aksi."
                entries.append(
                    Realisasi(
                        instansi=instansi,
                        skp=skp,
                        iki=iki,
                        pegawai=skp.pegawai,
                        period=current.number,
                        date=day,
                        value=value,
                        narrative=narrative,
                        created_by_id=skp.pegawai.user_id,
                    )
                )
    Realisasi.objects.bulk_create(entries, batch_size=1000)
    feedback: list[UmpanBalik] = []
    for entry in entries[:: max(1, len(entries) // 5)][:5]:
        if entry.skp.rater_id is None:
            continue
        feedback.append(
            UmpanBalik(
                instansi=instansi,
                skp=entry.skp,
                period=entry.period,
                target_kind=TargetUmpanBalik.REALISASI,
                realisasi=entry,
                author_id=entry.skp.rater_id,
                text="Terima kasih, laporannya jelas. Lampirkan foto kegiatan berikutnya.",
            )
        )
    UmpanBalik.objects.bulk_create(feedback)
    # The reply and the dialog go to a pegawai of the demo kasi (the Pejabat penilai login).
    kasi = Pegawai.objects.filter(nip=NIP_PENILAI).values_list("pk", flat=True).first()
    story = next((f for f in feedback if f.skp.rater_id == kasi), feedback[0] if feedback else None)
    dialogs = _dialog_with_follow_ups(story, current, today) if story else 0
    audit.record(
        "seed_demo_realisasi", by=None, scope=instansi.pk, target_type="instansi",
        target_id=instansi.pk,
        new={"realisasi": len(entries), "umpan_balik": len(feedback), "dialog_kinerja": dialogs},
    )  # fmt: skip
    return RealisasiSummary(len(entries), len(feedback))


def _dialog_with_follow_ups(thread: UmpanBalik, current: Period, today: date) -> int:
    """The first thread gets the pegawai's reply, and its SKP a dialog kinerja with one open
    follow-up and one past its due date (the team page counts it as overdue; on the first days
    of a period the dialog is that recent and the first follow-up is due today)."""
    skp = thread.skp
    UmpanBalik.objects.create(
        instansi_id=thread.instansi_id, skp=skp, period=thread.period,
        target_kind=thread.target_kind, realisasi=thread.realisasi, parent=thread,
        author_id=skp.pegawai_id,
        text="Baik, foto kegiatan saya lampirkan pada laporan berikutnya.",
    )  # fmt: skip
    assert skp.rater_id is not None
    held_on = max(current.start, today - timedelta(days=10))
    dialog = DialogKinerja.objects.create(
        instansi_id=thread.instansi_id, skp=skp, period=current.number, held_on=held_on,
        notes="Capaian triwulan dibahas; kendala jadwal posyandu di dua desa.",
        created_by_id=skp.rater_id,
    )  # fmt: skip
    TindakLanjut.objects.bulk_create([
        TindakLanjut(dialog=dialog, text="Susun ulang jadwal posyandu desa",
                     owner_id=skp.pegawai_id, due_date=max(held_on, today - timedelta(days=2))),
        TindakLanjut(dialog=dialog, text="Koordinasi dengan bidan desa", owner_id=skp.pegawai_id,
                     due_date=today + timedelta(days=14)),
    ])  # fmt: skip
    return 1
