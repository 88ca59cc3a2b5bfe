"""The calibration page's data: every evaluation of a unit subtree and period side by side with
its evidence summary (realisasi in force and bukti dukung of the period, or of the year for the
annual evaluation; progress % of the quantitative IKIs as the team page computes it; 360 answers
received), whether it was calibrated and whether a keberatan blocks calibration. A fixed number
of queries whatever the unit's size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinerja.org.models import UnitKerja
from kinerja.org.rules import display_name
from kinerja.progress import team_measure
from kinerja.progress.models import Realisasi

from .models import (
    ANNUAL,
    Evaluasi,
    Kalibrasi,
    Keberatan,
    Penilai360,
    Predikat,
    Rating,
    StatusEvaluasi,
)


@dataclass
class CalibrationRow:
    evaluasi_id: int
    pegawai_id: int
    name: str
    nip: str
    unit_name: str
    unit_path: str
    rater_name: str
    is_unit_head: bool
    rating_hasil: str
    rating_perilaku: str
    predikat: str
    predikat_penilai: str
    status: str
    calibrations: int
    has_keberatan: bool
    skp_id: int
    realisasi: int = 0
    bukti: int = 0
    progress: Decimal | None = None
    answered_360: int = 0

    @property
    def rated(self) -> bool:
        return bool(self.predikat)

    may_calibrate: bool = False  # set by the page for its reader
    hidden: bool = False  # the reader's own draft: ratings and predicates left out

    @property
    def labels(self) -> dict[str, str]:
        """Display labels of the ratings and predicates (empty when not set)."""
        ratings = dict(Rating.choices)
        predikat = dict(Predikat.choices)
        return {
            "hasil": str(ratings.get(self.rating_hasil, "")),
            "perilaku": str(ratings.get(self.rating_perilaku, "")),
            "predikat": str(predikat.get(self.predikat, "")),
            "predikat_penilai": str(predikat.get(self.predikat_penilai, "")),
        }

    @property
    def calibrated(self) -> bool:
        return self.predikat != self.predikat_penilai or self.calibrations > 0


RATING_FIELDS = ("rating_hasil", "rating_perilaku", "predikat", "predikat_penilai")


def _ratings_for(values: Mapping[str, Any], reader: int | None) -> dict[str, Any]:
    hidden = values["pegawai_id"] == reader and values["status"] != StatusEvaluasi.FINAL
    return {"hidden": hidden} | {name: "" if hidden else values[name] for name in RATING_FIELDS}


def calibration_rows(
    unit: UnitKerja, *, year: int, period: int, reader: int | None, only: int | None = None
) -> list[CalibrationRow]:
    """Ordered by unit path and name (`only`: just that evaluation, for an htmx row). The
    caller checks who may read the unit. `reader` is the reading pegawai's id: his own
    evaluation shows no rating or predicate while it is a draft (docs/evaluation.md §2), as
    a unit head reads his own unit."""
    kalibrasi = (
        Kalibrasi.objects.filter(evaluasi_id=OuterRef("pk"))
        .order_by()
        .values("evaluasi_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    evaluations = (
        Evaluasi.objects.filter(
            instansi_id=unit.instansi_id, year=year, period=period, unit_path__startswith=unit.path
        )
        .annotate(
            calibrations=Coalesce(Subquery(kalibrasi, output_field=IntegerField()), 0),
            has_keberatan=Exists(Keberatan.objects.filter(evaluasi_id=OuterRef("pk"))),
        )
        .filter(Q(pk=only) if only is not None else Q())
        .order_by("unit_path", "pegawai__name", "id")
        .values(
            "id", "pegawai_id", "pegawai__name", "pegawai__front_title", "pegawai__back_title",
            "pegawai__nip", "pegawai__jabatan_id", "unit__name", "unit__path", "unit_id",
            "rater__name", "is_unit_head", "rating_hasil", "rating_perilaku", "predikat",
            "predikat_penilai", "status", "calibrations", "has_keberatan", "skp_id",
        )
    )  # fmt: skip
    rows = [
        CalibrationRow(
            evaluasi_id=e["id"],
            pegawai_id=e["pegawai_id"],
            name=display_name(
                e["pegawai__name"], e["pegawai__front_title"], e["pegawai__back_title"]
            ),
            nip=e["pegawai__nip"],
            unit_name=e["unit__name"],
            unit_path=e["unit__path"],
            rater_name=e["rater__name"] or "",
            is_unit_head=e["is_unit_head"],
            **_ratings_for(e, reader),
            status=e["status"],
            calibrations=e["calibrations"],
            has_keberatan=e["has_keberatan"],
            skp_id=e["skp_id"],
        )
        for e in evaluations
    ]
    if not rows:
        return rows
    by_skp = {r.skp_id: r for r in rows}
    entries = Realisasi.objects.in_force().filter(
        instansi_id=unit.instansi_id, skp_id__in=list(by_skp)
    )
    if period != ANNUAL:
        entries = entries.filter(period=period)
    for skp_id, n, bukti in (
        entries.values_list("skp_id")
        .annotate(n=Count("id", distinct=True), n_bukti=Count("bukti"))
        .order_by()
    ):
        by_skp[skp_id].realisasi, by_skp[skp_id].bukti = n, bukti
    by_id = {r.evaluasi_id: r for r in rows}
    answered = (
        Penilai360.objects.filter(evaluasi_id__in=list(by_id), answered_at__isnull=False)
        .values_list("evaluasi_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for evaluasi_id, n in answered:
        by_id[evaluasi_id].answered_360 = n
    _progress(rows, year=year, period=period)
    return rows


def _progress(rows: list[CalibrationRow], *, year: int, period: int) -> None:
    """Progress % of each pegawai's current SKP (the team page's arithmetic, in bulk)."""
    people = [
        team_measure.MemberProgress(r.pegawai_id, r.name, r.nip, "", None, r.unit_name, "")
        for r in rows
    ]
    # the team page's bulk progress, reused as is
    team_measure.measure_progress(
        people,
        Q(pegawai_id__in=[r.pegawai_id for r in rows]),
        year=year,
        period=None if period == ANNUAL else period,
        today=timezone.localdate(),
        details=False,
    )
    for row, measured in zip(rows, people, strict=True):
        row.progress = measured.progress if measured.skp_id == row.skp_id else None
