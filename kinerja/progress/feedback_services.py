"""Writes of umpan balik berkelanjutan and dialog kinerja; each owns its transaction, its audit
event and the notification of the other party (email leaves after commit, see kinerja.notify).

Who may write:
- a feedback thread is started by the SKP's pejabat penilai, or by a superior of the rater
  (`can_read_chain`); the SKP owner may only reply to an existing thread;
- a dialog kinerja is recorded by the rater (or a superior in the chain) with its follow-ups;
- a follow-up is marked done by its owner, the SKP's rater or whoever recorded the dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

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
from kinerja.plans.berakhlak import CORE_VALUE_CODES
from kinerja.plans.berakhlak import core_value as berakhlak_value
from kinerja.plans.models import Rhk, Skp, StatusSkp
from kinerja.plans.queries import can_read_chain
from kinerja.plans.rules import Period, periods

from .feedback_models import DialogKinerja, TargetUmpanBalik, TindakLanjut, UmpanBalik
from .models import Realisasi
from .services import lock_version, require_in_force, year_cadence

TEXT_MAX = 5000


@dataclass(frozen=True)
class FollowUp:
    """One agreed follow-up of a dialog; `owner_id` (a pegawai id, as sent) defaults to the
    SKP's pegawai. An id that is not the pegawai or the rater, known or not, is refused alike."""

    text: str
    due_date: date
    owner_id: int | None = None


def check_period(skp: Skp, period: int) -> Period:
    """Period `period` of the SKP's year; a 400 naming `period` when its cadence has none."""
    return check_period_for_year(skp.instansi_id, skp.year, period)


def check_period_for_year(instansi_id: int, year: int, period: int) -> Period:
    """Period `period` of the instansi's year (its cadence); a 400 naming `period` otherwise
    (the SKP pages and APIs through `check_period`)."""
    return check_period_among(periods(year, year_cadence(instansi_id, year)), year, period)


def check_period_among(year_periods: Sequence[Period], year: int, period: int) -> Period:
    """Period `period` among `year_periods` (the periods of `year` by a cadence the caller has
    read: the team's `period` filter); the 400 of `check_period_for_year` otherwise."""
    for p in year_periods:
        if p.number == period:
            return p
    raise ServiceError(
        _("Periode %(period)s tidak dikenal untuk tahun SKP %(year)s.")
        % {"period": period, "year": year},
        field="period",
    )


def may_give_feedback(by: User, skp: Skp) -> bool:
    """The SKP's pejabat penilai, or a superior of the rater: may start threads and dialogs."""
    me = access_for(by).pegawai_id
    return me is not None and me != skp.pegawai_id and _is_rater(by, skp)


def may_reply(by: User, skp: Skp) -> bool:
    """The SKP's owner, or whoever may give feedback on it: may answer a thread."""
    me = access_for(by).pegawai_id
    return me is not None and (me == skp.pegawai_id or _is_rater(by, skp))


def may_close(pegawai_id: int | None, item: TindakLanjut, dialog: DialogKinerja, skp: Skp) -> bool:
    """A follow-up is marked done by its owner, the SKP's rater or whoever recorded the dialog."""
    return pegawai_id is not None and pegawai_id in {
        item.owner_id,
        skp.rater_id,
        dialog.created_by_id,
    }


def _is_rater(by: User, skp: Skp) -> bool:
    me = access_for(by).pegawai_id
    if me is None:
        return False
    return (skp.rater_id is not None and me == skp.rater_id) or can_read_chain(by, skp)


def _text(raw: str, field: str, label: str) -> str:
    text = raw.strip()
    if not text:
        raise ServiceError(_("%(label)s wajib diisi.") % {"label": label}, field=field)
    if len(text) > TEXT_MAX:
        raise ServiceError(
            _("%(label)s paling panjang %(text_max)s karakter.")
            % {"label": label, "text_max": TEXT_MAX},
            field=field,
        )
    return text


def _skp_url(skp: Skp, anchor: str = "") -> str:
    """The realisasi page of the SKP, where the threads and dialogs are shown."""
    url = reverse("progress:skp", args=[skp.pk])
    return f"{url}#{anchor}" if anchor else url


def _user_of(pegawai_id: int | None) -> User | None:
    if pegawai_id is None:
        return None
    return User.objects.filter(pegawai__pk=pegawai_id, is_active=True).first()


def target_label(item: UmpanBalik) -> str:
    if item.target_kind == TargetUmpanBalik.PERILAKU and item.core_value is not None:
        return f"perilaku {berakhlak_value(item.core_value).name}"
    if item.target_kind == TargetUmpanBalik.RHK:
        return "rencana hasil kerja"
    return "realisasi"


def _only_one_target(target_kind: str | None, **others: object) -> None:
    """A thread is about exactly one thing: a reference of another kind of target, when given,
    is refused (400 naming it) rather than dropped."""
    for field, value in others.items():
        if value is not None:
            raise ServiceError(
                _(
                    "%(field)s harus kosong untuk target_kind %(kind)s: satu utas umpan balik "
                    "hanya tentang satu hal."
                )
                % {"field": field, "kind": target_kind},
                field=field,
            )


@creates(UmpanBalik)
@transaction.atomic
def umpan_balik_add(
    *,
    by: User,
    skp: Skp,
    text: str,
    period: int | None = None,
    target_kind: str | None = None,
    realisasi: Realisasi | None = None,
    rhk: Rhk | None = None,
    core_value: int | None = None,
    parent: UmpanBalik | None = None,
    form_key: str = "",
) -> UmpanBalik:
    """Start a feedback thread (rater) or reply to one (rater or SKP owner).

    A reply takes its period and target from the thread it answers."""
    me = access_for(by).pegawai_id
    is_owner = me is not None and me == skp.pegawai_id
    is_rater = not is_owner and _is_rater(by, skp)
    if parent is None and not is_rater:
        if is_owner:
            raise Refused(_("Pemilik SKP hanya dapat membalas umpan balik dari pejabat penilai."))
        raise Refused(_("Hanya pejabat penilai kinerja yang dapat memberi umpan balik."))
    if parent is not None and not (is_owner or is_rater):
        raise Refused(_("Hanya pemilik SKP dan pejabat penilainya yang dapat membalas."))
    assert me is not None
    if skp.status != StatusSkp.DISETUJUI:
        raise Conflict(_("Umpan balik hanya dapat diberikan untuk SKP yang sudah disetujui."))
    body = _text(text, "text", _("Umpan balik"))
    replaced = lock_version(skp)
    if parent is not None:
        # A reply joins its thread where it is now (read after the lock): on a replaced version
        # the thread may have stayed (a period already evaluated) or moved to the new one.
        parent = UmpanBalik.objects.select_related("parent", "skp").get(pk=parent.pk)
        moved = parent.skp.pegawai_id == skp.pegawai_id and parent.skp.year == skp.year
        if parent.skp_id != skp.pk and replaced and moved:
            raise Conflict(_("Utas umpan balik ini sudah pindah ke versi SKP yang berlaku."))
        if parent.skp_id != skp.pk:
            raise ServiceError(_("Umpan balik yang dibalas milik SKP lain."), field="parent_id")
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep: answer the thread
            assert parent is not None
        if period is not None and period != parent.period:
            raise ServiceError(_("Balasan harus pada periode yang sama."), field="period")
        item = UmpanBalik(
            instansi_id=skp.instansi_id, skp=skp, period=parent.period,
            target_kind=parent.target_kind, realisasi_id=parent.realisasi_id,
            rhk_id=parent.rhk_id, core_value=parent.core_value, parent=parent,
            author_id=me, text=body,
        )  # fmt: skip
    else:
        if replaced:  # a new thread here would be missing on the version in force
            raise Conflict(_("Versi SKP ini sudah digantikan versi yang lebih baru."))
        if period is None:
            raise ServiceError(_("Periode wajib diisi."), field="period")
        check_period(skp, period)
        if target_kind == TargetUmpanBalik.REALISASI:
            if realisasi is None:
                raise ServiceError(
                    _("Pilih realisasi yang diberi umpan balik."), field="realisasi_id"
                )
            if realisasi.skp_id != skp.pk:
                raise ServiceError(_("Realisasi itu milik SKP lain."), field="realisasi_id")
            if realisasi.period != period:
                raise ServiceError(
                    _("Realisasi itu tercatat pada periode %(period)s.")
                    % {"period": realisasi.period},
                    field="period",
                )
            _only_one_target(target_kind, rhk_id=rhk, core_value=core_value)
        elif target_kind == TargetUmpanBalik.RHK:
            if rhk is None:
                raise ServiceError(_("Pilih RHK yang diberi umpan balik."), field="rhk_id")
            if rhk.skp_id != skp.pk:
                raise ServiceError(_("RHK itu milik SKP lain."), field="rhk_id")
            _only_one_target(target_kind, realisasi_id=realisasi, core_value=core_value)
        elif target_kind == TargetUmpanBalik.PERILAKU:
            if core_value not in CORE_VALUE_CODES:
                raise ServiceError(_("Nilai dasar BerAKHLAK harus 1 sampai 7."), field="core_value")
            _only_one_target(target_kind, realisasi_id=realisasi, rhk_id=rhk)
        else:
            raise ServiceError(
                _("Pilih yang diberi umpan balik: REALISASI, RHK atau PERILAKU."),
                field="target_kind",
            )
        item = UmpanBalik(
            instansi_id=skp.instansi_id, skp=skp, period=period, target_kind=target_kind,
            realisasi=realisasi, rhk=rhk, core_value=core_value, author_id=me, text=body,
        )  # fmt: skip
    item.save()
    audit.record(
        "umpan_balik_add", by=by, scope=skp.instansi_id, target_type="skp", target_id=skp.pk,
        new={"umpan_balik_id": item.pk, "period": item.period, "target_kind": item.target_kind,
             "realisasi_id": item.realisasi_id, "rhk_id": item.rhk_id,
             "core_value": item.core_value, "parent_id": item.parent_id, "text": item.text},
    )  # fmt: skip
    if is_owner:
        assert parent is not None
        candidates = [parent.author_id, skp.rater_id]
    else:
        candidates = [skp.pegawai_id]
    recipients = {r for r in candidates if r is not None and r != me}
    author_name = by.get_full_name()
    for pegawai_id in sorted(recipients):
        user = _user_of(pegawai_id)
        if user is None:
            continue
        verb = "membalas umpan balik" if item.parent_id else "memberi umpan balik"
        notify(
            user=user, kind="umpan_balik",
            title=f"{author_name} {verb} tentang {target_label(item)}",
            body=item.text, url=_skp_url(skp, f"ub-{item.parent_id or item.pk}"),
        )  # fmt: skip
    return item


@creates(DialogKinerja)
@transaction.atomic
def dialog_kinerja_add(
    *,
    by: User,
    skp: Skp,
    period: int,
    held_on: date,
    notes: str,
    follow_ups: Sequence[FollowUp] = (),
    form_key: str = "",
) -> DialogKinerja:
    """Record a 1:1 dialog kinerja with the follow-ups agreed in it."""
    me = access_for(by).pegawai_id
    if me is None or me == skp.pegawai_id or not _is_rater(by, skp):
        raise Refused(_("Hanya pejabat penilai kinerja yang dapat mencatat dialog kinerja."))
    if skp.status != StatusSkp.DISETUJUI:
        raise Conflict(_("Dialog kinerja dicatat untuk SKP yang sudah disetujui."))
    require_in_force(skp)
    span = check_period(skp, period)
    if held_on > timezone.localdate():
        raise ServiceError(_("Tanggal dialog tidak boleh di masa depan."), field="held_on")
    if held_on < span.start:
        raise ServiceError(
            _("Tanggal dialog %(day)s sebelum periode %(period)s dimulai (%(start)s).")
            % {
                "day": f"{held_on:%d-%m-%Y}",
                "period": span.label,
                "start": f"{span.start:%d-%m-%Y}",
            },
            field="held_on",
        )
    if held_on.year not in (skp.year, skp.year + 1):
        raise ServiceError(
            _("Tanggal dialog harus pada tahun SKP %(year)s atau tahun sesudahnya.")
            % {"year": skp.year},
            field="held_on",
        )
    text = _text(notes, "notes", _("Catatan dialog"))
    allowed_owners = {skp.pegawai_id, me} | ({skp.rater_id} if skp.rater_id else set())
    dialog = DialogKinerja.objects.create(
        instansi_id=skp.instansi_id, skp=skp, period=period, held_on=held_on, notes=text,
        created_by_id=me,
    )  # fmt: skip
    items = []
    for index, follow_up in enumerate(follow_ups):
        field = f"follow_ups.{index}"  # counted from 0, as the API's schema errors
        owner_id = follow_up.owner_id if follow_up.owner_id is not None else skp.pegawai_id
        if owner_id not in allowed_owners:
            raise ServiceError(
                _("Penanggung jawab tindak lanjut harus pegawai atau pejabat penilainya."),
                field=f"{field}.owner_id",
            )
        if follow_up.due_date < held_on:
            raise ServiceError(
                _("Tenggat tindak lanjut tidak boleh sebelum dialog."), field=f"{field}.due_date"
            )
        latest = date(held_on.year + 1, 12, 31)  # a follow-up of this plan, not of years ahead
        if follow_up.due_date > latest:
            raise ServiceError(
                _("Tenggat tindak lanjut paling lambat %(latest)s.")
                % {"latest": format(latest, "%d-%m-%Y")},
                field=f"{field}.due_date",
            )
        items.append(
            TindakLanjut(
                dialog=dialog,
                text=_text(follow_up.text, f"{field}.text", _("Tindak lanjut")),
                owner_id=owner_id,
                due_date=follow_up.due_date,
            )
        )
    TindakLanjut.objects.bulk_create(items)
    audit.record(
        "dialog_kinerja_add", by=by, scope=skp.instansi_id, target_type="skp", target_id=skp.pk,
        new={"dialog_id": dialog.pk, "period": period, "held_on": held_on.isoformat(),
             "notes": text,
             "tindak_lanjut": [{"text": t.text, "owner_id": t.owner_id,
                                "due_date": t.due_date.isoformat()} for t in items]},
    )  # fmt: skip
    user = _user_of(skp.pegawai_id)
    if user is not None:
        summary = f"\n\nTindak lanjut: {len(items)}" if items else ""
        notify(
            user=user, kind="dialog_kinerja",
            title=f"Catatan dialog kinerja {held_on:%d-%m-%Y} dari {by.get_full_name()}",
            body=text + summary, url=_skp_url(skp, f"dialog-{dialog.pk}"),
        )  # fmt: skip
    return dialog


@transaction.atomic
def tindak_lanjut_done(*, by: User, tindak_lanjut: TindakLanjut) -> TindakLanjut:
    item = (
        TindakLanjut.objects.select_for_update()
        .select_related("dialog__skp")
        .get(pk=tindak_lanjut.pk)
    )
    dialog, skp = item.dialog, item.dialog.skp
    if not may_close(access_for(by).pegawai_id, item, dialog, skp):
        raise Refused(
            _(
                "Hanya penanggung jawab tindak lanjut atau pejabat penilai yang dapat "
                "menandai selesai."
            )
        )
    if item.done_at is not None:
        raise Conflict(_("Tindak lanjut ini sudah ditandai selesai."))
    item.done_at = timezone.now()
    item.save(update_fields=["done_at"])
    audit.record(
        "tindak_lanjut_done", by=by, scope=skp.instansi_id, target_type="skp", target_id=skp.pk,
        new={"tindak_lanjut_id": item.pk, "dialog_id": dialog.pk},
    )  # fmt: skip
    tindak_lanjut.done_at = item.done_at
    return item
