"""Shaped reads of the tindak lanjut area: recommendations for a pegawai, JP per pegawai and per
unit, penghargaan candidates per unit. Callers check who may read (views/API); every list here
has a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from kinerja.assessments import rules as penilaian
from kinerja.assessments.models import Evaluasi, Jawaban360, StatusEvaluasi
from kinerja.org.models import Pegawai, UnitKerja
from kinerja.surveys.models import SkmResponse
from kinerja.surveys.queries import petugas_feedback

from . import rules
from .models import CatatanJp, Pelatihan, RencanaPengembangan


def _named_petugas(pegawai_ids: list[int], year: int) -> set[int]:
    """Who of these has been named as petugas in an SKM response of the year (one query)."""
    return set(
        SkmResponse.objects.filter(petugas_id__in=pegawai_ids, created_at__year=year)
        .values_list("petugas_id", flat=True)
        .distinct()
    )


def _skm_konversi(pegawai_id: int, year: int, today: date) -> Decimal | None:
    found = petugas_feedback(pegawai_id, date(year, 1, 1), min(today, date(year, 12, 31)))
    return found.ikm.ikm_konversi if found is not None else None


# --- recommendations -------------------------------------------------------------------------


@dataclass
class Recommendation:
    pelatihan: Pelatihan
    reason: str
    accepted: bool


@dataclass
class Recommendations:
    weakness: rules.Weakness
    basis: list[str]
    items: list[Recommendation] = field(default_factory=list)


def _weak_360(evaluasi_id: int) -> frozenset[int]:
    """Core values rated mostly Di Bawah by the 360 reviewers, only from 3 answers (the same
    anonymity threshold as the evaluation)."""
    answers = Jawaban360.objects.filter(
        penilai__evaluasi_id=evaluasi_id, penilai__answered_at__isnull=False
    )
    rows = list(answers.values("core_value", "rating").annotate(n=Count("id")))
    answered = answers.values("penilai_id").distinct().count()
    if answered < penilaian.ANONYMITY_MIN:
        return frozenset()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["core_value"]][row["rating"]] = row["n"]
    return rules.weak_values_360(counts)


def recommendations(pegawai: Pegawai, year: int, today: date) -> Recommendations:
    """Catalogue items answering the pegawai's latest final evaluation of the year (weak hasil or
    perilaku), the 360 feedback behind it, and SKM feedback naming them."""
    latest = (
        Evaluasi.objects.filter(pegawai=pegawai, year=year, status=StatusEvaluasi.FINAL)
        .order_by("-period")
        .first()
    )
    basis = []
    hasil = False
    values: frozenset[int] = frozenset()
    if latest is not None:
        hasil = latest.rating_hasil == penilaian.DI_BAWAH
        if hasil:
            basis.append("Rating hasil kerja di bawah ekspektasi")
        if latest.rating_perilaku == penilaian.DI_BAWAH:
            values = _weak_360(latest.pk) or frozenset(range(1, 8))
            basis.append("Rating perilaku kerja di bawah ekspektasi")
    konversi = _skm_konversi(pegawai.pk, year, today)
    skm = konversi is not None and konversi < rules.SKM_WEAK_BELOW
    if skm:
        basis.append(f"IKM umpan balik SKM tentang petugas {konversi}")
    weakness = rules.Weakness(hasil=hasil, core_values=values, skm=skm)
    catalogue = list(Pelatihan.objects.filter(instansi_id=pegawai.instansi_id, active=True))
    items = {p.pk: p for p in catalogue}
    picked = rules.recommend(
        weakness,
        [
            rules.CatalogueItem(
                p.pk, p.name, frozenset(p.core_values), p.for_hasil, p.for_pelayanan
            )
            for p in catalogue
        ],
    )
    accepted = set(
        RencanaPengembangan.objects.filter(pegawai=pegawai, year=year).values_list(
            "pelatihan_id", flat=True
        )
    )
    return Recommendations(
        weakness,
        basis,
        [Recommendation(items[pk], reason, pk in accepted) for pk, reason in picked],
    )


# --- JP ---------------------------------------------------------------------------------------


def jp_of(pegawai_id: int, year: int) -> rules.JpSummary:
    rows = CatatanJp.objects.filter(pegawai_id=pegawai_id, year=year).values_list("mode", "jp")
    return rules.jp_summary(rows)


@dataclass
class JpRow:
    pegawai_id: int
    name: str
    nip: str
    unit: str
    total: Decimal
    shortfall: Decimal

    @property
    def met(self) -> bool:
        return self.shortfall == 0


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    nip: str
    unit: str


def _people(unit: UnitKerja) -> list[Person]:
    rows = (
        Pegawai.objects.filter(
            instansi_id=unit.instansi_id, jabatan__unit__path__startswith=unit.path
        )
        .order_by("name", "id")
        .values_list("id", "name", "nip", "jabatan__unit__name")
    )
    return [Person(pk, name, nip, unit_name or "") for pk, name, nip, unit_name in rows]


def jp_unit(unit: UnitKerja, year: int, *, below_only: bool = False) -> list[JpRow]:
    """JP of everyone placed in the unit's subtree for the year (two queries)."""
    people = _people(unit)
    totals = dict(
        CatatanJp.objects.filter(pegawai_id__in=[p.id for p in people], year=year)
        .values("pegawai_id")
        .annotate(total=Sum("jp"))
        .values_list("pegawai_id", "total")
    )
    rows = []
    for p in people:
        summary = rules.jp_summary([("", totals.get(p.id) or Decimal(0))])
        row = JpRow(p.id, p.name, p.nip, p.unit, summary.total, summary.shortfall)
        if not below_only or not row.met:
            rows.append(row)
    return rows


# --- penghargaan ------------------------------------------------------------------------------


@dataclass
class Candidate:
    pegawai_id: int
    name: str
    nip: str
    unit: str
    annual: str
    periodic: list[str]
    skm_konversi: Decimal | None
    reasons: list[str]

    @property
    def reason_labels(self) -> list[str]:
        return [rules.CANDIDATE_LABELS[r] for r in self.reasons]


def candidates(unit: UnitKerja, year: int, today: date) -> list[Candidate]:
    """Penghargaan candidates among the people of the unit's subtree: final predicates of the
    year and SKM feedback about them (three queries, plus one per
    pegawai named as petugas in SKM responses)."""
    people = _people(unit)
    finals: dict[int, dict[int, str]] = defaultdict(dict)
    for row in Evaluasi.objects.filter(
        pegawai_id__in=[p.id for p in people], year=year, status=StatusEvaluasi.FINAL
    ).values("pegawai_id", "period", "predikat"):
        finals[row["pegawai_id"]][row["period"]] = row["predikat"]
    named = _named_petugas([p.id for p in people], year)
    result = []
    for p in people:
        pk = p.id
        mine = finals.get(pk, {})
        periodic = [mine[k] for k in sorted(mine) if k != 0]
        konversi = _skm_konversi(pk, year, today) if pk in named else None
        reasons = rules.candidate_reasons(mine.get(0, ""), periodic, konversi)
        if reasons:
            result.append(Candidate(pk, p.name, p.nip, p.unit, mine.get(0, ""), periodic,
                                    konversi, reasons))  # fmt: skip
    return result
