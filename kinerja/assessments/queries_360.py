"""Reads of umpan balik 360, shaped by who is looking (docs/evaluation.md, "Umpan balik 360").

- The rated pegawai sees only the aggregate (counts per value and how many answered), and only
  when at least rules.ANONYMITY_MIN people answered; otherwise nothing at all. Never names,
  individual answers or comments - whatever other role they hold.
- Every other reader of the evaluation (its rater, the pimpinan above, the instansi's admins and
  auditors, the keberatan decider) sees the counts whatever their number, the comments without
  names, and the completeness list: who was asked and who still owes an answer.

Two queries for the summary, one for a reviewer's inbox.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, QuerySet

from kinerja.org.access import access_for
from kinerja.plans.berakhlak import BERAKHLAK

from . import rules
from .models import Evaluasi, Jawaban360, Penilai360


@dataclass(frozen=True)
class ValueCounts:
    code: int
    name: str
    di_atas: int
    sesuai: int
    di_bawah: int


@dataclass(frozen=True)
class ReviewerRow:
    penilai_id: int
    pegawai_id: int
    name: str
    relation: str
    relation_label: str
    answered_at: datetime | None


@dataclass
class Summary360:
    full: bool  # False: the rated pegawai's view
    visible: bool  # whether the aggregate may be shown to this viewer
    answered: int | None  # None when the viewer may not know
    asked: int | None
    values: list[ValueCounts] = field(default_factory=list)
    reviewers: list[ReviewerRow] = field(default_factory=list)  # full view only
    comments: list[str] = field(default_factory=list)  # full view only, without names

    @property
    def owed(self) -> list[ReviewerRow]:
        return [r for r in self.reviewers if r.answered_at is None]


def _values(counts: dict[int, dict[str, int]] | None) -> list[ValueCounts]:
    if counts is None:
        return []
    return [
        ValueCounts(
            v.code,
            v.name,
            counts[v.code][rules.DI_ATAS],
            counts[v.code][rules.SESUAI],
            counts[v.code][rules.DI_BAWAH],
        )
        for v in BERAKHLAK
    ]


def summary_360(user: object, evaluasi: Evaluasi) -> Summary360:
    """The 360 panel of an evaluation the user may read (the caller checked visible_to)."""
    forms: dict[int, dict[int, str]] = defaultdict(dict)
    for penilai_id, code, rating in Jawaban360.objects.filter(
        penilai__evaluasi_id=evaluasi.pk, penilai__answered_at__isnull=False
    ).values_list("penilai_id", "core_value", "rating"):
        forms[penilai_id][code] = rating
    answers = list(forms.values())
    if access_for(user).pegawai_id == evaluasi.pegawai_id:
        aggregate = rules.aggregate_360(answers)
        if aggregate is None:
            return Summary360(full=False, visible=False, answered=None, asked=None)
        return Summary360(
            full=False, visible=True, answered=len(answers), asked=None, values=_values(aggregate)
        )
    rows = list(
        Penilai360.objects.filter(evaluasi_id=evaluasi.pk)
        .select_related("reviewer")
        .order_by("reviewer__name", "id")
    )
    return Summary360(
        full=True,
        visible=bool(answers),
        answered=len(answers),
        asked=len(rows),
        values=_values(rules.count_360(answers)) if answers else [],
        reviewers=[
            ReviewerRow(
                p.pk,
                p.reviewer_id,
                p.reviewer.display_name,
                p.relation,
                p.get_relation_display(),
                p.answered_at,
            )
            for p in rows
        ],
        comments=sorted(p.comment for p in rows if p.answered_at is not None and p.comment),
    )


def requests_for(user: object) -> QuerySet[Penilai360]:
    """The 360 requests addressed to the user, unanswered first (the reviewer's inbox)."""
    pegawai_id = access_for(user).pegawai_id
    if pegawai_id is None:
        return Penilai360.objects.none()
    return (
        Penilai360.objects.filter(reviewer_id=pegawai_id)
        .select_related("evaluasi__pegawai", "evaluasi__unit")
        .order_by(
            F("answered_at").asc(nulls_first=True), "-evaluasi__year", "-evaluasi__period", "-id"
        )
    )
