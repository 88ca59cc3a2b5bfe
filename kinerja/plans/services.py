"""Every write to SKP data: each service owns its transaction and its audit events."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse
from kinerja.org.access import access_for
from kinerja.org.hierarchy import rater_id_for, subordinate_ids
from kinerja.org.models import Instansi, JenisPenempatan, Pegawai, Penempatan

from . import rules
from .berakhlak import CORE_VALUE_CODES
from .models import (
    Cadence,
    EkspektasiKhusus,
    Iki,
    JenisLampiran,
    JenisRhk,
    Lampiran,
    Pendekatan,
    Rhk,
    Skp,
    StatusSkp,
    TahunKinerja,
)


def _record(
    action: str,
    *,
    by: User,
    skp: Skp,
    new: dict[str, Any] | None = None,
    old: dict[str, Any] | None = None,
) -> None:
    audit.record(
        action, by=by, scope=skp.instansi_id, target_type="skp", target_id=skp.pk, old=old, new=new
    )


# --- performance year -------------------------------------------------------------------


@transaction.atomic
def tahun_set_cadence(*, by: User, instansi: Instansi, year: int, cadence: str) -> TahunKinerja:
    if not access_for(by).can_admin_instansi(instansi.pk):
        raise Refused("Hanya admin kepegawaian instansi ini yang boleh mengatur tahun kinerja.")
    if cadence not in Cadence.values:
        raise ServiceError("Periode evaluasi harus BULANAN atau TRIWULANAN.", field="cadence")
    tahun, _created = TahunKinerja.objects.get_or_create(instansi=instansi, year=year)
    old = {"cadence": tahun.cadence}
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
        raise ServiceError("Pendekatan harus KUANTITATIF atau KUALITATIF.", field="pendekatan")
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        raise ServiceError(
            f"Tahun SKP harus antara {today.year - 1} dan {today.year + 1}.", field="year"
        )
    placement = (
        Penempatan.objects.active_on(min(today, date(year, 12, 31)))
        .filter(pegawai=pegawai, kind=JenisPenempatan.DEFINITIF)
        .select_related("jabatan__unit")
        .first()
    )
    if placement is None:
        raise ServiceError(
            f"{pegawai.display_name} belum memiliki jabatan definitif; SKP dibuat "
            "untuk jabatan yang dipegang."
        )
    jabatan = placement.jabatan
    if Skp.objects.filter(pegawai=pegawai, year=year, jabatan=jabatan, is_current=True).exists():
        raise Conflict(f"SKP tahun {year} untuk jabatan {jabatan.name} sudah ada.")
    start = max(date(year, 1, 1), placement.start_date)
    if start > date(year, 12, 31):
        raise ServiceError(f"Jabatan {jabatan.name} baru dimulai sesudah tahun {year}.")
    # Mutasi: the SKP of the previous jabatan closes the day before this one starts.
    for earlier in (
        Skp.objects.select_for_update()
        .filter(pegawai=pegawai, year=year, is_current=True, end_date__gte=start)
        .exclude(jabatan=jabatan)
    ):
        if earlier.start_date >= start:
            raise Conflict(
                f"SKP jabatan {earlier.jabatan_id} dimulai pada atau sesudah "
                f"{start:%d-%m-%Y}; periksa TMT jabatan."
            )
        old_end = earlier.end_date
        Skp.objects.filter(pegawai=pegawai, year=year, jabatan_id=earlier.jabatan_id).update(
            end_date=start - timedelta(days=1)
        )
        _record(
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
    clean_or_refuse(skp)
    skp.save()
    TahunKinerja.objects.get_or_create(instansi_id=pegawai.instansi_id, year=year)
    _record(
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


@transaction.atomic
def skp_create(
    *, by: User, pegawai: Pegawai, year: int, pendekatan: str = Pendekatan.KUANTITATIF
) -> Skp:
    """A pegawai starts their SKP for a year (for the jabatan held); admins may do it for them."""
    access = access_for(by)
    if access.pegawai_id != pegawai.pk and not access.can_admin_instansi(pegawai.instansi_id):
        raise Refused("SKP hanya dapat dibuat oleh pegawai yang bersangkutan atau admin.")
    return _new_skp(by=by, pegawai=pegawai, year=year, pendekatan=pendekatan)


def _require_owner(by: User, skp: Skp) -> None:
    if access_for(by).pegawai_id != skp.pegawai_id:
        raise Refused("Hanya pemilik SKP yang boleh mengubah atau mengajukannya.")


def _require_editable(skp: Skp) -> None:
    if not skp.is_current:
        raise Conflict("Versi SKP ini sudah digantikan versi yang lebih baru.")
    if not skp.editable:
        raise Conflict(
            f"SKP berstatus {skp.get_status_display()} tidak dapat diubah; "
            "ajukan perubahan SKP bila sudah disetujui."
        )


def _require_rater(by: User, skp: Skp) -> None:
    if skp.rater_id is None or access_for(by).pegawai_id != skp.rater_id:
        raise Refused("Hanya Pejabat Penilai Kinerja pegawai ini yang boleh melakukannya.")


@transaction.atomic
def skp_set_pendekatan(*, by: User, skp: Skp, pendekatan: str) -> Skp:
    _require_owner(by, skp)
    _require_editable(skp)
    if pendekatan not in Pendekatan.values:
        raise ServiceError("Pendekatan harus KUANTITATIF atau KUALITATIF.", field="pendekatan")
    old = {"pendekatan": skp.pendekatan}
    skp.pendekatan = pendekatan
    skp.save(update_fields=["pendekatan"])
    _record("skp_set_pendekatan", by=by, skp=skp, old=old, new={"pendekatan": pendekatan})
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
    return rules.submission_problems(
        pendekatan=skp.pendekatan,
        is_jpt=skp.jabatan.jenis == "JPT",
        has_rater=skp.rater_id is not None,
        rhks=_facts(skp),
    )


def _transition(skp: Skp, action: str) -> str:
    try:
        return rules.next_status(skp.status, action)
    except rules.TransitionRefused as exc:
        raise Conflict(str(exc)) from exc


@transaction.atomic
def skp_submit(*, by: User, skp: Skp) -> Skp:
    _require_owner(by, skp)
    _require_editable(skp)
    # The rater of the jabatan the SKP is for: after a mutasi its SKP ended before today.
    skp.rater_id = rater_id_for(skp.pegawai, min(timezone.localdate(), skp.end_date))
    if skp.rater_id is None:
        raise ServiceError("Pejabat Penilai Kinerja Anda belum dapat ditentukan; hubungi admin.")
    problems = skp_problems(skp)
    if problems:
        raise ServiceError("SKP belum lengkap: " + " ".join(problems))
    old = {"status": skp.status}
    skp.status = _transition(skp, "submit")
    skp.submitted_at = timezone.now()
    skp.save(update_fields=["status", "submitted_at", "rater"])
    _record(
        "skp_submit", by=by, skp=skp, old=old, new={"status": skp.status, "rater_id": skp.rater_id}
    )
    return skp


@transaction.atomic
def skp_return(*, by: User, skp: Skp, note: str) -> Skp:
    _require_rater(by, skp)
    if not note.strip():
        raise ServiceError("Catatan pengembalian wajib diisi.", field="note")
    old = {"status": skp.status}
    skp.status = _transition(skp, "return")
    skp.return_note = note.strip()
    skp.save(update_fields=["status", "return_note"])
    _record(
        "skp_return", by=by, skp=skp, old=old, new={"status": skp.status, "note": skp.return_note}
    )
    return skp


@transaction.atomic
def skp_approve(*, by: User, skp: Skp) -> Skp:
    _require_rater(by, skp)
    old = {"status": skp.status}
    skp.status = _transition(skp, "approve")
    skp.approved_at = timezone.now()
    skp.save(update_fields=["status", "approved_at"])
    if skp.previous_id is not None:
        # Subordinates' RHKs that intervened the previous version now follow its copy.
        for copy in skp.rhk.filter(copied_from__isnull=False):
            Rhk.objects.filter(parent_id=copy.copied_from_id).exclude(skp=skp).update(parent=copy)
    _record("skp_approve", by=by, skp=skp, old=old, new={"status": skp.status})
    return skp


@transaction.atomic
def skp_revise(*, by: User, skp: Skp) -> Skp:
    """Perubahan SKP: a new draft version copying the approved one, which stays readable."""
    _require_owner(by, skp)
    if not skp.is_current or skp.status != StatusSkp.DISETUJUI:
        raise Conflict("Perubahan SKP hanya dapat dibuat dari versi terbaru yang sudah disetujui.")
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
    _record("skp_revise", by=by, skp=new, new={"previous_id": skp.pk, "version": new.version})
    skp.is_current = False
    return new


# --- RHK, IKI, perilaku, lampiran -------------------------------------------------------


def _check_link(skp: Skp, parent: Rhk | None) -> None:
    if parent is None:
        return
    target = parent.skp
    if skp.rater_id is None or target.pegawai_id != skp.rater_id:
        raise ServiceError(
            "RHK yang diintervensi harus RHK milik Pejabat Penilai Kinerja Anda.", field="parent"
        )
    if target.year != skp.year:
        raise ServiceError(
            f"RHK yang diintervensi harus dari SKP tahun {skp.year}, bukan tahun {target.year}.",
            field="parent",
        )
    if not target.is_current:
        raise ServiceError(
            "RHK yang diintervensi berasal dari versi SKP pimpinan yang sudah "
            "digantikan; pilih dari versi terbaru.",
            field="parent",
        )


@transaction.atomic
def rhk_save(
    *,
    by: User,
    skp: Skp,
    jenis: str,
    text: str,
    parent: Rhk | None = None,
    source: str = "",
    rhk: Rhk | None = None,
) -> Rhk:
    _require_owner(by, skp)
    _require_editable(skp)
    if jenis not in JenisRhk.values:
        raise ServiceError("Jenis RHK harus UTAMA atau TAMBAHAN.", field="jenis")
    if not text.strip():
        raise ServiceError("Rencana hasil kerja wajib diisi.", field="text")
    _check_link(skp, parent)
    is_new = rhk is None
    if rhk is None:
        rhk = Rhk(skp=skp, order=skp.rhk.count() + 1)
    elif rhk.skp_id != skp.pk:
        raise Refused("RHK ini bukan bagian dari SKP tersebut.")
    old = {} if is_new else {"jenis": rhk.jenis, "text": rhk.text, "parent_id": rhk.parent_id}
    rhk.jenis, rhk.text, rhk.parent, rhk.source = jenis, text.strip(), parent, source.strip()
    clean_or_refuse(rhk)
    rhk.save()
    _record(
        "rhk_create" if is_new else "rhk_update",
        by=by,
        skp=skp,
        old=old,
        new={"rhk_id": rhk.pk, "jenis": jenis, "text": rhk.text, "parent_id": rhk.parent_id},
    )
    return rhk


@transaction.atomic
def rhk_delete(*, by: User, rhk: Rhk) -> None:
    skp = rhk.skp
    _require_owner(by, skp)
    _require_editable(skp)
    if rhk.children.exists():
        raise Conflict(
            "RHK ini sudah diturunkan ke bawahan; hapus atau pindahkan RHK bawahan "
            "yang mengintervensinya lebih dulu."
        )
    _record("rhk_delete", by=by, skp=skp, old={"rhk_id": rhk.pk, "text": rhk.text})
    rhk.delete()


IKI_FIELDS = (
    "text",
    "aspek",
    "target_value",
    "target_unit",
    "target_narrative",
    "baseline",
    "direction",
    "perspektif",
)


@transaction.atomic
def iki_save(*, by: User, rhk: Rhk, values: dict[str, Any], iki: Iki | None = None) -> Iki:
    skp = rhk.skp
    _require_owner(by, skp)
    _require_editable(skp)
    is_new = iki is None
    if iki is None:
        iki = Iki(rhk=rhk, order=rhk.iki.count() + 1)
    elif iki.rhk_id != rhk.pk:
        raise Refused("IKI ini bukan bagian dari RHK tersebut.")
    old = {} if is_new else {f: getattr(iki, f) for f in IKI_FIELDS}
    for name in IKI_FIELDS:
        if name in values:
            value = values[name]
            if isinstance(value, str):
                value = value.strip()
            if name in {"target_value", "baseline"} and value in ("", None):
                value = None
            elif name in {"target_value", "baseline"}:
                try:
                    value = Decimal(str(value))
                except InvalidOperation:
                    raise ServiceError("Masukkan angka, mis. 12 atau 12.5.", field=name) from None
            setattr(
                iki,
                name,
                "" if value is None and name not in {"target_value", "baseline"} else value,
            )
    if not iki.text:
        raise ServiceError("Indikator kinerja individu wajib diisi.", field="text")
    clean_or_refuse(iki)
    iki.save()
    _record(
        "iki_create" if is_new else "iki_update",
        by=by,
        skp=skp,
        old=old,
        new={"iki_id": iki.pk} | {f: getattr(iki, f) for f in IKI_FIELDS},
    )
    return iki


@transaction.atomic
def iki_delete(*, by: User, iki: Iki) -> None:
    skp = iki.rhk.skp
    _require_owner(by, skp)
    _require_editable(skp)
    _record("iki_delete", by=by, skp=skp, old={"iki_id": iki.pk, "text": iki.text})
    iki.delete()


@transaction.atomic
def ekspektasi_set(*, by: User, skp: Skp, core_value: int, text: str) -> EkspektasiKhusus | None:
    """The rater writes (or clears) the Ekspektasi Khusus Pimpinan for one core value."""
    _require_rater(by, skp)
    if not skp.is_current or skp.status == StatusSkp.DISETUJUI:
        raise Conflict("Ekspektasi hanya dapat diubah sebelum SKP disetujui.")
    if core_value not in CORE_VALUE_CODES:
        raise ServiceError("Nilai dasar BerAKHLAK harus 1 sampai 7.", field="core_value")
    existing = EkspektasiKhusus.objects.filter(skp=skp, core_value=core_value).first()
    old = {"text": existing.text} if existing else {}
    if not text.strip():
        if existing is not None:
            existing.delete()
        _record("ekspektasi_clear", by=by, skp=skp, old=old, new={"core_value": core_value})
        return None
    item = existing or EkspektasiKhusus(skp=skp, core_value=core_value)
    item.text = text.strip()
    item.save()
    _record(
        "ekspektasi_set", by=by, skp=skp, old=old, new={"core_value": core_value, "text": item.text}
    )
    return item


@transaction.atomic
def lampiran_add(*, by: User, skp: Skp, kind: str, text: str) -> Lampiran:
    _require_owner(by, skp)
    _require_editable(skp)
    if kind not in JenisLampiran.values:
        raise ServiceError("Bagian lampiran tidak dikenal.", field="kind")
    if not text.strip():
        raise ServiceError("Isi lampiran wajib diisi.", field="text")
    item = Lampiran.objects.create(
        skp=skp, kind=kind, text=text.strip(), order=skp.lampiran.filter(kind=kind).count() + 1
    )
    _record(
        "lampiran_add",
        by=by,
        skp=skp,
        new={"lampiran_id": item.pk, "kind": kind, "text": item.text},
    )
    return item


@transaction.atomic
def lampiran_delete(*, by: User, lampiran: Lampiran) -> None:
    skp = lampiran.skp
    _require_owner(by, skp)
    _require_editable(skp)
    _record(
        "lampiran_delete", by=by, skp=skp, old={"lampiran_id": lampiran.pk, "text": lampiran.text}
    )
    lampiran.delete()


# --- cascading (matriks peran hasil) ----------------------------------------------------


@transaction.atomic
def rhk_cascade(*, by: User, rhk: Rhk, assignments: list[tuple[Pegawai, str]]) -> list[Rhk]:
    """Hand the rater's RHK down: each chosen subordinate gets a linked draft RHK (Utama) in
    their SKP for the same year (created if missing). All or nothing."""
    access = access_for(by)
    skp = rhk.skp
    if access.pegawai_id != skp.pegawai_id:
        raise Refused("Hanya pemilik RHK yang dapat menurunkannya ke bawahan.")
    if not skp.is_current:
        raise Conflict("RHK ini berasal dari versi SKP yang sudah digantikan.")
    if not assignments:
        raise ServiceError("Pilih minimal satu bawahan.", field="assignments")
    rater = skp.pegawai
    mine = subordinate_ids(rater)
    created: list[Rhk] = []
    for pegawai, text in assignments:
        if pegawai.pk not in mine:
            raise ServiceError(
                f"{pegawai.display_name} bukan pegawai yang Anda nilai.", field="assignments"
            )
        target = (
            Skp.objects.select_for_update()
            .filter(pegawai=pegawai, year=skp.year, is_current=True)
            .order_by("-start_date")
            .first()
        )
        if target is None:
            target = _new_skp(
                by=by, pegawai=pegawai, year=skp.year, pendekatan=Pendekatan.KUANTITATIF
            )
        if not target.editable:
            raise Conflict(
                f"SKP {pegawai.display_name} berstatus {target.get_status_display()}"
                "; RHK baru hanya dapat ditambahkan ke SKP yang masih draf atau "
                "dikembalikan."
            )
        if target.rater_id != rater.pk:
            target.rater_id = rater.pk
            target.save(update_fields=["rater"])
        child = Rhk.objects.create(
            skp=target,
            jenis=JenisRhk.UTAMA,
            text=(text or rhk.text).strip(),
            parent=rhk,
            order=target.rhk.count() + 1,
        )
        created.append(child)
        _record(
            "rhk_cascade",
            by=by,
            skp=target,
            new={"rhk_id": child.pk, "parent_id": rhk.pk, "text": child.text},
        )
    return created
