"""Umpan balik 360: the rater asks colleagues of the rated pegawai for input on the 7 BerAKHLAK
values; each reviewer answers once. Rules (docs/evaluation.md, "Umpan balik 360"):

- Only the evaluation's pejabat penilai asks, while the evaluation is a draft. Reviewers are
  peers in the evaluation's unit (their current jabatan is in that unit) or direct reports of the
  rated pegawai (whose pejabat penilai the rated pegawai is today); never the rated pegawai nor
  the rater, and only people with an active account (they answer in the system).
- `reviewers=None` applies the rule: everyone eligible who has not been asked yet.
- A request not answered yet may be withdrawn by the rater.
- A reviewer answers all 7 values (Di Atas/Sesuai/Di Bawah Ekspektasi) and an optional comment,
  exactly once, and only while the evaluation is a draft: once final, the rater's decision has
  been made and late input could not inform it.
- Anonymity: the audit trail records that a request was made or answered, never the ratings or
  the comment (the Jawaban360 rows are written once and never changed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, NotFound, Refused, ServiceError
from kinerja.core.formkeys import creates_many
from kinerja.notify.services import notify
from kinerja.org.access import access_for
from kinerja.org.hierarchy import subordinate_ids
from kinerja.org.models import Pegawai
from kinerja.plans.berakhlak import CORE_VALUE_CODES

from . import guards
from .models import Evaluasi, Jawaban360, Penilai360, Rating, Relasi360, StatusEvaluasi

COMMENT_MAX = 2000


@dataclass(frozen=True)
class Candidate:
    pegawai: Pegawai
    relation: str  # Relasi360


def candidates(evaluasi: Evaluasi) -> list[Candidate]:
    """Everyone the rule allows as a reviewer (asked already or not), by name. A direct report
    who also works in the unit counts as BAWAHAN."""
    reports = subordinate_ids(evaluasi.pegawai, guards.today())
    excluded = [pk for pk in (evaluasi.pegawai_id, evaluasi.rater_id) if pk is not None]
    rows = (
        Pegawai.objects.filter(Q(pk__in=reports) | Q(jabatan__unit_id=evaluasi.unit_id))
        .filter(instansi_id=evaluasi.instansi_id, user__is_active=True)
        .exclude(pk__in=excluded)
        .order_by("name", "id")
    )
    return [Candidate(p, Relasi360.BAWAHAN if p.pk in reports else Relasi360.REKAN) for p in rows]


def _locked(evaluasi: Evaluasi) -> Evaluasi:
    return Evaluasi.objects.select_for_update().select_related("pegawai").get(pk=evaluasi.pk)


def _require_open(evaluasi: Evaluasi) -> None:
    if evaluasi.status != StatusEvaluasi.DRAFT:
        raise Conflict(_("Evaluasi ini sudah final; umpan balik 360 sudah ditutup."))


def answer_url(penilai: Penilai360) -> str:
    return reverse("assessments:360_answer", args=[penilai.pk])


@creates_many(Penilai360)
@transaction.atomic
def penilai360_request(
    *, by: User, evaluasi: Evaluasi, reviewers: Sequence[Pegawai] | None = None, form_key: str = ""
) -> list[Penilai360]:
    """Ask `reviewers` (or, with None, everyone the rule allows) for 360 input; people asked
    already are skipped. Returns the new requests."""
    evaluasi = _locked(evaluasi)
    if not guards.is_rater(by, evaluasi):
        raise Refused(
            _("Hanya Pejabat Penilai Kinerja pegawai ini yang boleh meminta umpan balik 360.")
        )
    _require_open(evaluasi)
    allowed = {c.pegawai.pk: c for c in candidates(evaluasi)}
    if reviewers is None:
        chosen = list(allowed.values())
        if not chosen:
            raise ServiceError(
                _(
                    "Tidak ada rekan kerja satu unit atau bawahan langsung yang dapat "
                    "dimintai umpan balik 360."
                ),
                field="reviewer_ids",
            )
    else:
        if not reviewers:
            raise ServiceError(_("Pilih paling sedikit satu penilai 360."), field="reviewer_ids")
        chosen = []
        for person in reviewers:
            if person.pk == evaluasi.pegawai_id:
                raise ServiceError(
                    _("Pegawai yang dinilai tidak dapat menjadi penilai 360 dirinya sendiri."),
                    field="reviewer_ids",
                )
            if person.pk == evaluasi.rater_id:
                raise ServiceError(
                    _(
                        "Pejabat penilai tidak perlu menjadi penilai 360; penilaiannya sendiri "
                        "sudah tercatat di evaluasi."
                    ),
                    field="reviewer_ids",
                )
            if person.pk not in allowed:
                raise ServiceError(
                    _(
                        "%(reviewer)s bukan rekan kerja satu unit atau bawahan langsung "
                        "%(pegawai)s yang memiliki akun aktif."
                    )
                    % {
                        "reviewer": person.display_name,
                        "pegawai": evaluasi.pegawai.display_name,
                    },
                    field="reviewer_ids",
                )
            if allowed[person.pk] not in chosen:
                chosen.append(allowed[person.pk])
    asked = set(Penilai360.objects.filter(evaluasi=evaluasi).values_list("reviewer_id", flat=True))
    new = [
        Penilai360(evaluasi=evaluasi, reviewer=c.pegawai, relation=c.relation, requested_by=by)
        for c in chosen
        if c.pegawai.pk not in asked
    ]
    Penilai360.objects.bulk_create(new)
    if new:
        audit.record(
            "penilai360_request", by=by, scope=evaluasi.instansi_id, target_type="evaluasi",
            target_id=evaluasi.pk,
            new={"reviewers": [{"pegawai_id": p.reviewer_id, "relation": p.relation}
                               for p in new], "by_rule": reviewers is None},
        )  # fmt: skip
    created = list(
        Penilai360.objects.filter(evaluasi=evaluasi, reviewer_id__in=[p.reviewer_id for p in new])
        .select_related("reviewer__user")
        .order_by("reviewer__name", "id")
    )
    rated = evaluasi.pegawai.display_name
    for item in created:
        user = item.reviewer.user
        if user is not None:
            notify(
                user=user, kind="umpan_balik_360",
                title=f"Umpan balik 360 diminta untuk {rated}",
                body="Pejabat penilai meminta pendapat Anda tentang perilaku kerja (BerAKHLAK). "
                     "Jawaban Anda tidak ditampilkan satu per satu kepada pegawai yang dinilai.",
                url=answer_url(item),
            )  # fmt: skip
    return created


@transaction.atomic
def penilai360_withdraw(*, by: User, penilai: Penilai360) -> None:
    """The rater withdraws a request that has not been answered."""
    item = Penilai360.objects.select_for_update().filter(pk=penilai.pk).first()
    if item is None:
        raise NotFound(_("Permintaan umpan balik 360 tidak ditemukan."))
    evaluasi = Evaluasi.objects.get(pk=item.evaluasi_id)
    if not guards.is_rater(by, evaluasi):
        raise Refused(
            _("Hanya Pejabat Penilai Kinerja pegawai ini yang boleh membatalkan permintaan.")
        )
    _require_open(evaluasi)
    if item.answered_at is not None:
        raise Conflict(_("Permintaan yang sudah dijawab tidak dapat dibatalkan."))
    audit.record(
        "penilai360_withdraw", by=by, scope=evaluasi.instansi_id, target_type="evaluasi",
        target_id=evaluasi.pk, old={"pegawai_id": item.reviewer_id, "relation": item.relation},
    )  # fmt: skip
    item.delete()


def _ratings(values: Mapping[int, str]) -> dict[int, str]:
    unknown = set(values) - set(CORE_VALUE_CODES)
    if unknown:
        raise ServiceError(_("Nilai dasar BerAKHLAK harus 1 sampai 7."), field="ratings")
    missing = [code for code in CORE_VALUE_CODES if not values.get(code)]
    if missing:
        raise ServiceError(
            _("Semua 7 nilai BerAKHLAK wajib dinilai (belum: %(missing)s).")
            % {"missing": ", ".join(str(code) for code in missing)},
            field=f"ratings.{missing[0]}",
        )
    for code in CORE_VALUE_CODES:
        if values[code] not in Rating.values:
            raise ServiceError(
                _("Pilih Di Atas, Sesuai, atau Di Bawah Ekspektasi."), field=f"ratings.{code}"
            )
    return {code: values[code] for code in CORE_VALUE_CODES}


@transaction.atomic
def penilai360_answer(
    *, by: User, penilai: Penilai360, ratings: Mapping[int, str], comment: str = ""
) -> Penilai360:
    """The reviewer's answer: all 7 values, an optional comment; once; while the evaluation is
    a draft."""
    item = Penilai360.objects.select_for_update().filter(pk=penilai.pk).first()
    me = access_for(by).pegawai_id
    if item is None or me is None or item.reviewer_id != me:
        raise Refused(_("Hanya pegawai yang dimintai umpan balik 360 ini yang boleh menjawabnya."))
    if item.answered_at is not None:
        raise Conflict(_("Umpan balik 360 ini sudah Anda jawab; jawaban tidak dapat diubah."))
    evaluasi = Evaluasi.objects.get(pk=item.evaluasi_id)
    _require_open(evaluasi)
    values = _ratings(ratings)
    text = comment.strip()
    if len(text) > COMMENT_MAX:
        raise ServiceError(
            _("Komentar paling panjang %(comment_max)s karakter.") % {"comment_max": COMMENT_MAX},
            field="comment",
        )
    Jawaban360.objects.bulk_create(
        Jawaban360(penilai=item, core_value=code, rating=rating) for code, rating in values.items()
    )
    item.answered_at = timezone.now()
    item.comment = text
    item.save(update_fields=["answered_at", "comment"])
    audit.record(
        "penilai360_answer", by=by, scope=evaluasi.instansi_id, target_type="penilai360",
        target_id=item.pk, new={"evaluasi_id": evaluasi.pk, "answered": True},
    )  # fmt: skip
    penilai.answered_at, penilai.comment = item.answered_at, item.comment
    return item
