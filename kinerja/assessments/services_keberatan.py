"""Keberatan (appeal) against a final predicate. Rules (docs/evaluation.md, "Keberatan"; PP
30/2019 Pasal 59 as the best-verified reference):

- Only the rated pegawai files, with a reason, on a FINAL evaluation, at most once, within
  PengaturanPenilaian.keberatan_days (default 14) of the local date the predicate was issued
  (finalized_at): on day 14 it is still open, on day 15 closed.
- The decider is the atasan of the pejabat penilai: the rater's own pejabat penilai on the filing
  day (org.hierarchy.rater_id_for); without one the keberatan cannot be filed (it says so).
- The decider records both sides' explanations (the pegawai's and the pejabat penilai's), then
  decides: DIPERTAHANKAN (upheld) or DIUBAH with new ratings, which give the new predikat. Both
  explanations must be recorded first; a reason is always required; the decision is final.
- DIUBAH updates Evaluasi.rating_*/predikat (predikat_penilai keeps the rater's); a unit head's
  Rating Hasil Kerja stays the Capaian Kinerja Organisasi of their unit, so only the perilaku
  rating may change for them.
Every step is audited and tells the other parties (in-app notification, email after commit).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.core.formkeys import creates
from kinerja.notify.services import notify
from kinerja.org.access import access_for
from kinerja.org.hierarchy import rater_id_for
from kinerja.org.models import Pegawai

from . import guards, rules
from .models import Evaluasi, Keberatan, Rating, StatusEvaluasi, StatusKeberatan

TEXT_MAX = 5000


def issued_on(evaluasi: Evaluasi) -> date | None:
    if evaluasi.finalized_at is None:
        return None
    return timezone.localtime(evaluasi.finalized_at).date()


def deadline_of(evaluasi: Evaluasi) -> date | None:
    """The last day a keberatan may be filed (None while the evaluation is not final)."""
    day = issued_on(evaluasi)
    if day is None or evaluasi.status != StatusEvaluasi.FINAL:
        return None
    days = guards.pengaturan_for(evaluasi.instansi_id).keberatan_days
    return rules.keberatan_deadline(day, days)


def may_file(user: object, evaluasi: Evaluasi) -> bool:
    """Whether the page should offer the form (the service decides)."""
    deadline = deadline_of(evaluasi)
    return (
        guards.is_rated(user, evaluasi)
        and deadline is not None
        and guards.today() <= deadline
        and not Keberatan.objects.filter(evaluasi_id=evaluasi.pk).exists()
    )


def _text(raw: str, field: str, label: str, *, required: bool = True) -> str:
    text = raw.strip()
    if required and not text:
        raise ServiceError(_("%(label)s wajib diisi.") % {"label": label}, field=field)
    if len(text) > TEXT_MAX:
        raise ServiceError(
            _("%(label)s paling panjang %(text_max)s karakter.")
            % {"label": label, "text_max": TEXT_MAX},
            field=field,
        )
    return text


def _users(*pegawai_ids: int | None) -> list[User]:
    ids = {pk for pk in pegawai_ids if pk is not None}
    return list(User.objects.filter(pegawai__pk__in=ids, is_active=True).order_by("pk"))


def decision_url(keberatan: Keberatan) -> str:
    return reverse("assessments:keberatan_detail", args=[keberatan.pk])


def appeal_url(evaluasi: Evaluasi) -> str:
    return reverse("assessments:keberatan_file", args=[evaluasi.pk])


def _record(
    action: str, *, by: User, keberatan: Keberatan, evaluasi: Evaluasi, **values: Any
) -> None:
    audit.record(
        action, by=by, scope=evaluasi.instansi_id, target_type="keberatan",
        target_id=keberatan.pk, **values,
    )  # fmt: skip


@creates(Keberatan)
@transaction.atomic
def keberatan_file(*, by: User, evaluasi: Evaluasi, reason: str, form_key: str = "") -> Keberatan:
    evaluasi = Evaluasi.objects.select_for_update().select_related("pegawai").get(pk=evaluasi.pk)
    if not guards.is_rated(by, evaluasi):
        raise Refused(_("Hanya pegawai yang dinilai yang dapat mengajukan keberatan."))
    if evaluasi.status != StatusEvaluasi.FINAL:
        raise Conflict(_("Keberatan hanya dapat diajukan atas predikat yang sudah final."))
    if Keberatan.objects.filter(evaluasi=evaluasi).exists():
        raise Conflict(_("Keberatan atas evaluasi ini sudah diajukan; keberatan hanya sekali."))
    deadline = deadline_of(evaluasi)
    issued = issued_on(evaluasi)
    assert deadline is not None and issued is not None
    days = guards.pengaturan_for(evaluasi.instansi_id).keberatan_days
    today = guards.today()
    if not rules.keberatan_open(issued, today, days):
        raise Conflict(
            _(
                "Batas waktu keberatan sudah lewat: paling lambat %(deadline)s (%(days)s "
                "hari sejak predikat ditetapkan %(issued)s)."
            )
            % {
                "deadline": format(deadline, "%d-%m-%Y"),
                "days": days,
                "issued": format(issued, "%d-%m-%Y"),
            }
        )
    text = _text(reason, "reason", _("Alasan keberatan"))
    if evaluasi.rater_id is None:
        raise Conflict(
            _("Evaluasi ini tidak mencatat pejabat penilai; keberatan tidak dapat diajukan.")
        )
    rater = Pegawai.objects.get(pk=evaluasi.rater_id)
    decider_id = rater_id_for(rater, today)
    if decider_id is None or decider_id == evaluasi.pegawai_id:
        raise Conflict(
            _(
                "Pejabat penilai %(display_name)s tidak memiliki atasan yang tercatat, "
                "sehingga tidak ada yang dapat memutus keberatan. Hubungi admin "
                "kepegawaian."
            )
            % {"display_name": rater.display_name}
        )
    item = Keberatan.objects.create(
        evaluasi=evaluasi, reason=text, decider_id=decider_id, predikat_before=evaluasi.predikat
    )
    _record("keberatan_file", by=by, keberatan=item, evaluasi=evaluasi,
            new={"evaluasi_id": evaluasi.pk, "reason": text, "decider_id": decider_id,
                 "predikat_before": evaluasi.predikat})  # fmt: skip
    name = evaluasi.pegawai.display_name
    for user in _users(decider_id):
        notify(user=user, kind="keberatan", title=f"Keberatan dari {name} menunggu keputusan Anda",
               body=text, url=decision_url(item))  # fmt: skip
    for user in _users(evaluasi.rater_id):
        notify(user=user, kind="keberatan", title=f"{name} mengajukan keberatan atas predikatnya",
               body=text, url=appeal_url(evaluasi))  # fmt: skip
    return item


def _locked_open(by: User, keberatan: Keberatan) -> tuple[Keberatan, Evaluasi]:
    item = Keberatan.objects.select_for_update().get(pk=keberatan.pk)
    evaluasi = (
        Evaluasi.objects.select_for_update().select_related("pegawai").get(pk=item.evaluasi_id)
    )
    if access_for(by).pegawai_id != item.decider_id:
        raise Refused(_("Hanya atasan pejabat penilai kinerja yang memutus keberatan ini."))
    if item.status != StatusKeberatan.DIAJUKAN:
        raise Conflict(_("Keberatan ini sudah diputus; keputusan bersifat final."))
    return item, evaluasi


@transaction.atomic
def keberatan_explain(
    *, by: User, keberatan: Keberatan, penjelasan_pegawai: str, penjelasan_penilai: str
) -> Keberatan:
    """The decider records what the pegawai and the pejabat penilai explained (either may be
    recorded first; an empty value keeps what was recorded)."""
    item, evaluasi = _locked_open(by, keberatan)
    pegawai = _text(
        penjelasan_pegawai, "penjelasan_pegawai", _("Penjelasan pegawai"), required=False
    )
    penilai = _text(
        penjelasan_penilai, "penjelasan_penilai", _("Penjelasan pejabat penilai"), required=False
    )
    if not pegawai and not penilai:
        raise ServiceError(
            _("Isi penjelasan pegawai dan/atau penjelasan pejabat penilai."),
            field="penjelasan_pegawai",
        )
    old = {"penjelasan_pegawai": item.penjelasan_pegawai,
           "penjelasan_penilai": item.penjelasan_penilai}  # fmt: skip
    item.penjelasan_pegawai = pegawai or item.penjelasan_pegawai
    item.penjelasan_penilai = penilai or item.penjelasan_penilai
    item.save(update_fields=["penjelasan_pegawai", "penjelasan_penilai"])
    _record("keberatan_explain", by=by, keberatan=item, evaluasi=evaluasi, old=old,
            new={"penjelasan_pegawai": item.penjelasan_pegawai,
                 "penjelasan_penilai": item.penjelasan_penilai})  # fmt: skip
    keberatan.penjelasan_pegawai = item.penjelasan_pegawai
    keberatan.penjelasan_penilai = item.penjelasan_penilai
    return item


@transaction.atomic
def keberatan_decide(
    *,
    by: User,
    keberatan: Keberatan,
    outcome: str,
    reason: str,
    rating_hasil: str = "",
    rating_perilaku: str = "",
) -> Keberatan:
    item, evaluasi = _locked_open(by, keberatan)
    if not item.penjelasan_pegawai or not item.penjelasan_penilai:
        raise Conflict(
            _("Catat dulu penjelasan pegawai dan penjelasan pejabat penilai sebelum memutus.")
        )
    text = _text(reason, "reason", _("Alasan keputusan"))
    old = {"rating_hasil": evaluasi.rating_hasil, "rating_perilaku": evaluasi.rating_perilaku,
           "predikat": evaluasi.predikat}  # fmt: skip
    if outcome == StatusKeberatan.DIPERTAHANKAN:
        item.predikat_after = evaluasi.predikat
    elif outcome == StatusKeberatan.DIUBAH:
        hasil = rating_hasil or evaluasi.rating_hasil
        if evaluasi.is_unit_head and hasil != evaluasi.rating_hasil:
            raise ServiceError(
                _(
                    "Rating hasil kerja kepala unit mengikuti capaian kinerja organisasi "
                    "unitnya; yang dapat diubah hanya rating perilaku kerja."
                ),
                field="rating_hasil",
            )
        if hasil not in Rating.values:
            raise ServiceError(_("Pilih rating hasil kerja yang baru."), field="rating_hasil")
        if rating_perilaku not in Rating.values:
            raise ServiceError(_("Pilih rating perilaku kerja yang baru."), field="rating_perilaku")
        new_predikat = rules.predikat(hasil, rating_perilaku)
        if new_predikat == evaluasi.predikat:
            raise ServiceError(
                _("Rating baru menghasilkan predikat yang sama; pilih “Predikat dipertahankan”."),
                field="rating_perilaku",
            )
        item.new_rating_hasil, item.new_rating_perilaku = hasil, rating_perilaku
        item.predikat_after = new_predikat
        evaluasi.rating_hasil, evaluasi.rating_perilaku = hasil, rating_perilaku
        evaluasi.predikat = new_predikat
        evaluasi.save(update_fields=["rating_hasil", "rating_perilaku", "predikat", "updated_at"])
        audit.record(
            "evaluasi_keberatan", by=by, scope=evaluasi.instansi_id, target_type="evaluasi",
            target_id=evaluasi.pk, old=old,
            new={"rating_hasil": hasil, "rating_perilaku": rating_perilaku,
                 "predikat": new_predikat, "keberatan_id": item.pk},
        )  # fmt: skip
    else:
        raise ServiceError(
            _("Pilih keputusan: predikat dipertahankan atau diubah."), field="outcome"
        )
    item.status = outcome
    item.decision_reason = text
    item.decided_at = timezone.now()
    item.save(update_fields=["status", "decision_reason", "decided_at", "new_rating_hasil",
                             "new_rating_perilaku", "predikat_after"])  # fmt: skip
    _record("keberatan_decide", by=by, keberatan=item, evaluasi=evaluasi, old=old,
            new={"status": item.status, "reason": text,
                 "predikat_after": item.predikat_after})  # fmt: skip
    label = rules.PREDIKAT_LABELS[item.predikat_after]
    verdict = "diubah menjadi" if outcome == StatusKeberatan.DIUBAH else "dipertahankan:"
    for user in _users(evaluasi.pegawai_id, evaluasi.rater_id):
        notify(user=user, kind="keberatan",
               title=f"Keberatan {evaluasi.pegawai.display_name} diputus: predikat {verdict} "
                     f"{label}",
               body=text, url=appeal_url(evaluasi))  # fmt: skip
    keberatan.status, keberatan.predikat_after = item.status, item.predikat_after
    return item
