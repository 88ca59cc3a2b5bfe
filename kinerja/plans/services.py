"""Every write to SKP data: each service owns its transaction and its audit events."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse, localize
from kinerja.core.formkeys import creates
from kinerja.org.access import access_for
from kinerja.org.hierarchy import rater_id_for
from kinerja.org.models import Instansi, JenisPenempatan, Pegawai, Penempatan

from . import rules
from .guards import lock, record, require_editable, require_owner, require_rater
from .models import (
    Cadence,
    EkspektasiKhusus,
    Iki,
    JenisRhk,
    Lampiran,
    Pendekatan,
    Rhk,
    Skp,
    StatusSkp,
    TahunKinerja,
)
from .signals import cadence_changing, skp_version_approved

# --- performance year -------------------------------------------------------------------


@transaction.atomic
def tahun_set_cadence(*, by: User, instansi: Instansi, year: int, cadence: str) -> TahunKinerja:
    if not access_for(by).can_admin_instansi(instansi.pk):
        raise Refused(_("Hanya admin kepegawaian instansi ini yang boleh mengatur tahun kinerja."))
    if cadence not in Cadence.values:
        raise ServiceError(_("Periode evaluasi harus BULANAN atau TRIWULANAN."), field="cadence")
    tahun, _created = TahunKinerja.objects.select_for_update().get_or_create(
        instansi=instansi, year=year
    )
    old = {"cadence": tahun.cadence}
    if cadence != tahun.cadence:  # receivers refuse once a period holds records (signals.py)
        cadence_changing.send(
            sender=TahunKinerja, instansi_id=instansi.pk, year=year, old=tahun.cadence, new=cadence
        )
    tahun.cadence = cadence
    tahun.save(update_fields=["cadence"])
    audit.record(
        "tahun_set_cadence",
        by=by,
        scope=instansi.pk,
        target_type="tahun_kinerja",
        target_id=tahun.pk,
        old=old,
        new={"year": year, "cadence": cadence},
    )
    return tahun


# --- SKP lifecycle ----------------------------------------------------------------------


def _new_skp(*, by: User, pegawai: Pegawai, year: int, pendekatan: str) -> Skp:
    if pendekatan not in Pendekatan.values:
        raise ServiceError(_("Pendekatan harus KUANTITATIF atau KUALITATIF."), field="pendekatan")
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        raise ServiceError(
            _("Tahun SKP harus antara %(first)s dan %(last)s.")
            % {"first": today.year - 1, "last": today.year + 1},
            field="year",
        )
    placement = (
        Penempatan.objects.active_on(min(today, date(year, 12, 31)))
        .filter(pegawai=pegawai, kind=JenisPenempatan.DEFINITIF)
        .select_related("jabatan__unit")
        .first()
    )
    if placement is None:
        raise ServiceError(
            _(
                "%(display_name)s belum memiliki jabatan definitif; SKP dibuat untuk "
                "jabatan yang dipegang."
            )
            % {"display_name": pegawai.display_name}
        )
    jabatan = placement.jabatan
    # One start at a time per pegawai (two tabs, a double tap without a form key): the second
    # waits here and then finds the first one's SKP.
    Pegawai.objects.select_for_update(no_key=True).filter(pk=pegawai.pk).exists()
    exists = Conflict(
        _("SKP tahun %(year)s untuk jabatan %(name)s sudah ada.")
        % {"year": year, "name": jabatan.name}
    )
    current = Skp.objects.filter(pegawai=pegawai, year=year, jabatan=jabatan, is_current=True)
    if current.exists():
        raise exists
    start = max(date(year, 1, 1), placement.start_date)
    if start > date(year, 12, 31):
        raise ServiceError(
            _("Jabatan %(name)s baru dimulai sesudah tahun %(year)s.")
            % {"name": jabatan.name, "year": year}
        )
    # Mutasi: the SKP of the previous jabatan closes the day before this one starts.
    for earlier in (
        Skp.objects.select_for_update()
        .filter(pegawai=pegawai, year=year, is_current=True, end_date__gte=start)
        .exclude(jabatan=jabatan)
    ):
        if earlier.start_date >= start:
            raise Conflict(
                _(
                    "SKP jabatan %(jabatan_id)s dimulai pada atau sesudah %(start)s; periksa "
                    "TMT jabatan."
                )
                % {"jabatan_id": earlier.jabatan_id, "start": format(start, "%d-%m-%Y")}
            )
        old_end = earlier.end_date
        Skp.objects.filter(pegawai=pegawai, year=year, jabatan_id=earlier.jabatan_id).update(
            end_date=start - timedelta(days=1)
        )
        record(
            "skp_close_for_mutasi",
            by=by,
            skp=earlier,
            old={"end_date": old_end.isoformat()},
            new={"end_date": (start - timedelta(days=1)).isoformat()},
        )
    rater = rater_id_for(pegawai, min(today, date(year, 12, 31)))
    skp = Skp(
        instansi_id=pegawai.instansi_id,
        pegawai=pegawai,
        year=year,
        jabatan=jabatan,
        unit_path=jabatan.unit.path,
        rater_id=rater,
        start_date=start,
        end_date=date(year, 12, 31),
        pendekatan=pendekatan,
    )
    try:
        with transaction.atomic():  # the constraint's own check and the row itself
            clean_or_refuse(skp)
            skp.save()
    except (ServiceError, IntegrityError) as exc:
        if current.exists():  # one_current_skp_per_pegawai_year_jabatan: the same refusal
            raise exists from exc
        raise
    TahunKinerja.objects.get_or_create(instansi_id=pegawai.instansi_id, year=year)
    record(
        "skp_create",
        by=by,
        skp=skp,
        new={
            "pegawai_id": pegawai.pk,
            "year": year,
            "jabatan_id": jabatan.pk,
            "pendekatan": pendekatan,
            "rater_id": rater,
        },
    )
    return skp


@creates(Skp)
@transaction.atomic
def skp_create(
    *,
    by: User,
    pegawai: Pegawai,
    year: int,
    pendekatan: str = Pendekatan.KUANTITATIF,
    form_key: str = "",
) -> Skp:
    """A pegawai starts their SKP for a year (for the jabatan held); admins may do it for them.
    `form_key`: the form's one-time key (@creates: a double tap answers with the same SKP)."""
    access = access_for(by)
    if access.pegawai_id != pegawai.pk and not access.can_admin_instansi(pegawai.instansi_id):
        raise Refused(_("SKP hanya dapat dibuat oleh pegawai yang bersangkutan atau admin."))
    return _new_skp(by=by, pegawai=pegawai, year=year, pendekatan=pendekatan)


@transaction.atomic
def skp_set_pendekatan(*, by: User, skp: Skp, pendekatan: str) -> Skp:
    require_owner(by, skp)
    require_editable(skp)
    if pendekatan not in Pendekatan.values:
        raise ServiceError(_("Pendekatan harus KUANTITATIF atau KUALITATIF."), field="pendekatan")
    old = {"pendekatan": skp.pendekatan}
    skp.pendekatan = pendekatan
    skp.save(update_fields=["pendekatan"])
    record("skp_set_pendekatan", by=by, skp=skp, old=old, new={"pendekatan": pendekatan})
    return skp


def _facts(skp: Skp) -> list[rules.RhkFacts]:
    rhks = list(skp.rhk.prefetch_related("iki").order_by("jenis", "order", "id"))
    # Utama first, each section numbered from 1, as the SKP page shows them (queries.skp_view).
    rhks.sort(key=lambda r: r.jenis != JenisRhk.UTAMA)
    numbers = [sum(o.jenis == r.jenis for o in rhks[: k + 1]) for k, r in enumerate(rhks)]
    return [
        rules.RhkFacts(
            number=n,
            jenis=r.jenis,
            text=r.text,
            linked=r.parent_id is not None,
            ikis=[
                rules.IkiFacts(
                    i.text, i.aspek, i.target_value, i.target_unit, i.target_narrative, i.perspektif
                )
                for i in r.iki.all()
            ],
        )
        for n, r in zip(numbers, rhks, strict=True)
    ]


def skp_problems(skp: Skp) -> list[str]:
    """What keeps the SKP from being submitted, in the reader's language."""
    problems = rules.submission_problems(
        pendekatan=skp.pendekatan,
        is_jpt=skp.jabatan.jenis == "JPT",
        has_rater=skp.rater_id is not None,
        rhks=_facts(skp),
    )
    return [localize(problem) for problem in problems]


def _transition(skp: Skp, action: str) -> str:
    try:
        return rules.next_status(skp.status, action)
    except rules.TransitionRefused as exc:
        labels = {"status": _(exc.status), "action": _(exc.action)}
        raise Conflict(_(rules.TRANSITION_REFUSED) % labels) from exc


@transaction.atomic
def skp_submit(*, by: User, skp: Skp) -> Skp:
    lock(skp)
    require_owner(by, skp)
    require_editable(skp)
    # The rater of the jabatan the SKP is for: after a mutasi its SKP ended before today.
    skp.rater_id = rater_id_for(skp.pegawai, min(timezone.localdate(), skp.end_date))
    if skp.rater_id is None:
        raise ServiceError(_("Pejabat Penilai Kinerja Anda belum dapat ditentukan; hubungi admin."))
    problems = skp_problems(skp)
    if problems:
        raise ServiceError(_("SKP belum lengkap: %(problems)s") % {"problems": " ".join(problems)})
    old = {"status": skp.status}
    skp.status = _transition(skp, "submit")
    skp.submitted_at = timezone.now()
    skp.save(update_fields=["status", "submitted_at", "rater"])
    record(
        "skp_submit", by=by, skp=skp, old=old, new={"status": skp.status, "rater_id": skp.rater_id}
    )
    return skp


@transaction.atomic
def skp_return(*, by: User, skp: Skp, note: str) -> Skp:
    lock(skp)
    require_rater(by, skp)
    if not note.strip():
        raise ServiceError(_("Catatan pengembalian wajib diisi."), field="note")
    old = {"status": skp.status}
    skp.status = _transition(skp, "return")
    skp.return_note = note.strip()
    skp.save(update_fields=["status", "return_note"])
    record(
        "skp_return", by=by, skp=skp, old=old, new={"status": skp.status, "note": skp.return_note}
    )
    return skp


@transaction.atomic
def skp_approve(*, by: User, skp: Skp) -> Skp:
    if skp.previous_id is not None:
        # Lock the version this one replaces before anything is recorded, in the order its
        # writes take (progress.services.require_in_force): a realisasi, thread or dialog
        # written on it now either commits before its open periods move or is refused.
        Skp.objects.select_for_update(no_key=True).filter(pk=skp.previous_id).exists()
    lock(skp)
    require_rater(by, skp)
    old = {"status": skp.status}
    skp.status = _transition(skp, "approve")
    skp.approved_at = timezone.now()
    skp.save(update_fields=["status", "approved_at"])
    if skp.previous_id is not None:
        # Subordinates' RHKs that intervened the previous version now follow its copy.
        for copy in skp.rhk.filter(copied_from__isnull=False):
            Rhk.objects.filter(parent_id=copy.copied_from_id).exclude(skp=skp).update(parent=copy)
    record("skp_approve", by=by, skp=skp, old=old, new={"status": skp.status})
    if skp.previous_id is not None:
        # The running periods' realisasi follow (progress, through assessments: signals.py).
        previous = Skp.objects.get(pk=skp.previous_id)
        skp_version_approved.send(sender=Skp, new=skp, previous=previous, by=by)
    return skp


@creates(Skp)
@transaction.atomic
def skp_revise(*, by: User, skp: Skp, form_key: str = "") -> Skp:
    """Perubahan SKP: a new draft version copying the approved one, which stays readable."""
    lock(skp)  # a second perubahan sent at once finds this one no longer current
    require_owner(by, skp)
    if not skp.is_current or skp.status != StatusSkp.DISETUJUI:
        raise Conflict(
            _("Perubahan SKP hanya dapat dibuat dari versi terbaru yang sudah disetujui.")
        )
    Skp.objects.filter(pk=skp.pk).update(is_current=False)
    new = Skp.objects.create(
        instansi_id=skp.instansi_id,
        pegawai_id=skp.pegawai_id,
        year=skp.year,
        jabatan_id=skp.jabatan_id,
        unit_path=skp.unit_path,
        rater_id=skp.rater_id,
        start_date=skp.start_date,
        end_date=skp.end_date,
        pendekatan=skp.pendekatan,
        version=skp.version + 1,
        previous=skp,
    )
    for rhk in skp.rhk.prefetch_related("iki"):
        copy = Rhk.objects.create(
            skp=new,
            jenis=rhk.jenis,
            text=rhk.text,
            order=rhk.order,
            parent_id=rhk.parent_id,
            source=rhk.source,
            copied_from=rhk,
        )
        Iki.objects.bulk_create(
            [
                Iki(
                    rhk=copy,
                    text=i.text,
                    aspek=i.aspek,
                    target_value=i.target_value,
                    target_unit=i.target_unit,
                    target_narrative=i.target_narrative,
                    baseline=i.baseline,
                    direction=i.direction,
                    perspektif=i.perspektif,
                    order=i.order,
                    copied_from=i,
                )
                for i in rhk.iki.all()
            ]
        )
    EkspektasiKhusus.objects.bulk_create(
        [
            EkspektasiKhusus(skp=new, core_value=e.core_value, text=e.text)
            for e in skp.ekspektasi.all()
        ]
    )
    Lampiran.objects.bulk_create(
        [
            Lampiran(skp=new, kind=lamp.kind, text=lamp.text, order=lamp.order)
            for lamp in skp.lampiran.all()
        ]
    )
    record("skp_revise", by=by, skp=new, new={"previous_id": skp.pk, "version": new.version})
    skp.is_current = False
    return new


# RHK, IKI, perilaku, lampiran and cascading live in content_services; callers use this module.
from .content_services import (  # noqa: E402
    IKI_FIELDS,
    ekspektasi_set,
    iki_delete,
    iki_save,
    lampiran_add,
    lampiran_delete,
    rhk_cascade,
    rhk_delete,
    rhk_save,
)

__all__ = [
    "IKI_FIELDS",
    "ekspektasi_set",
    "iki_delete",
    "iki_save",
    "lampiran_add",
    "lampiran_delete",
    "rhk_cascade",
    "rhk_delete",
    "rhk_save",
    "skp_approve",
    "skp_create",
    "skp_problems",
    "skp_return",
    "skp_revise",
    "skp_set_pendekatan",
    "skp_submit",
    "tahun_set_cadence",
]
