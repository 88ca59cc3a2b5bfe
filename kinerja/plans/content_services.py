"""Writes to the content of an SKP: RHK, IKI, Ekspektasi Khusus, Lampiran, and cascading."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse
from kinerja.core.formkeys import creates, creates_many
from kinerja.org.access import access_for
from kinerja.org.hierarchy import subordinate_ids
from kinerja.org.models import Pegawai

from .berakhlak import CORE_VALUE_CODES
from .guards import record, require_editable, require_owner, require_rater
from .models import (
    EkspektasiKhusus,
    Iki,
    JenisLampiran,
    JenisRhk,
    Lampiran,
    Pendekatan,
    Rhk,
    Skp,
    StatusSkp,
)

# --- RHK, IKI, perilaku, lampiran -------------------------------------------------------


def _check_link(skp: Skp, parent: Rhk | None) -> None:
    if parent is None:
        return
    target = parent.skp
    if skp.rater_id is None or target.pegawai_id != skp.rater_id:
        raise ServiceError(
            _("RHK yang diintervensi harus RHK milik Pejabat Penilai Kinerja Anda."), field="parent"
        )
    if target.year != skp.year:
        raise ServiceError(
            _("RHK yang diintervensi harus dari SKP tahun %(year)s, bukan tahun %(parent_year)s.")
            % {"year": skp.year, "parent_year": target.year},
            field="parent",
        )
    if not target.is_current:
        raise ServiceError(
            _(
                "RHK yang diintervensi berasal dari versi SKP pimpinan yang sudah "
                "digantikan; pilih dari versi terbaru."
            ),
            field="parent",
        )


@creates(Rhk)
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
    form_key: str = "",
) -> Rhk:
    """Add an RHK (or change `rhk`). `form_key`: the add form's one-time key (@creates)."""
    require_owner(by, skp)
    require_editable(skp)
    if jenis not in JenisRhk.values:
        raise ServiceError(_("Jenis RHK harus UTAMA atau TAMBAHAN."), field="jenis")
    if not text.strip():
        raise ServiceError(_("Rencana hasil kerja wajib diisi."), field="text")
    _check_link(skp, parent)
    is_new = rhk is None
    if rhk is None:
        rhk = Rhk(skp=skp, order=skp.rhk.count() + 1)
    elif rhk.skp_id != skp.pk:
        raise Refused(_("RHK ini bukan bagian dari SKP tersebut."))
    old = {} if is_new else {"jenis": rhk.jenis, "text": rhk.text, "parent_id": rhk.parent_id}
    rhk.jenis, rhk.text, rhk.parent, rhk.source = jenis, text.strip(), parent, source.strip()
    clean_or_refuse(rhk)
    rhk.save()
    record(
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
    require_owner(by, skp)
    require_editable(skp)
    if rhk.children.exists():
        raise Conflict(
            _(
                "RHK ini sudah diturunkan ke bawahan; hapus atau pindahkan RHK bawahan "
                "yang mengintervensinya lebih dulu."
            )
        )
    record("rhk_delete", by=by, skp=skp, old={"rhk_id": rhk.pk, "text": rhk.text})
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


def _check_amount(name: str, value: Decimal) -> None:
    """A target is a positive amount; a baseline may be 0 but is never negative."""
    if not value.is_finite():
        raise ServiceError(_("Masukkan angka, mis. 12 atau 12.5."), field=name)
    if name == "target_value" and value <= 0:
        raise ServiceError(_("Target harus lebih dari 0."), field=name)
    if name == "baseline" and value < 0:
        raise ServiceError(_("Nilai awal (baseline) tidak boleh negatif."), field=name)


@creates(Iki)
@transaction.atomic
def iki_save(
    *, by: User, rhk: Rhk, values: dict[str, Any], iki: Iki | None = None, form_key: str = ""
) -> Iki:
    """Add an IKI to `rhk` (or change `iki`). `form_key`: see @creates."""
    skp = rhk.skp
    require_owner(by, skp)
    require_editable(skp)
    is_new = iki is None
    if iki is None:
        iki = Iki(rhk=rhk, order=rhk.iki.count() + 1)
    elif iki.rhk_id != rhk.pk:
        raise Refused(_("IKI ini bukan bagian dari RHK tersebut."))
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
                    raise ServiceError(
                        _("Masukkan angka, mis. 12 atau 12.5."), field=name
                    ) from None
                _check_amount(name, value)
            setattr(
                iki,
                name,
                "" if value is None and name not in {"target_value", "baseline"} else value,
            )
    if not iki.text:
        raise ServiceError(_("Indikator kinerja individu wajib diisi."), field="text")
    clean_or_refuse(iki)
    iki.save()
    record(
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
    require_owner(by, skp)
    require_editable(skp)
    record("iki_delete", by=by, skp=skp, old={"iki_id": iki.pk, "text": iki.text})
    iki.delete()


@transaction.atomic
def ekspektasi_set(*, by: User, skp: Skp, core_value: int, text: str) -> EkspektasiKhusus | None:
    """The rater writes (or clears) the Ekspektasi Khusus Pimpinan for one core value."""
    require_rater(by, skp)
    if not skp.is_current or skp.status == StatusSkp.DISETUJUI:
        raise Conflict(_("Ekspektasi hanya dapat diubah sebelum SKP disetujui."))
    if core_value not in CORE_VALUE_CODES:
        raise ServiceError(_("Nilai dasar BerAKHLAK harus 1 sampai 7."), field="core_value")
    existing = EkspektasiKhusus.objects.filter(skp=skp, core_value=core_value).first()
    old = {"text": existing.text} if existing else {}
    if not text.strip():
        if existing is not None:
            existing.delete()
        record("ekspektasi_clear", by=by, skp=skp, old=old, new={"core_value": core_value})
        return None
    item = existing or EkspektasiKhusus(skp=skp, core_value=core_value)
    item.text = text.strip()
    item.save()
    record(
        "ekspektasi_set", by=by, skp=skp, old=old, new={"core_value": core_value, "text": item.text}
    )
    return item


@creates(Lampiran)
@transaction.atomic
def lampiran_add(*, by: User, skp: Skp, kind: str, text: str, form_key: str = "") -> Lampiran:
    require_owner(by, skp)
    require_editable(skp)
    if kind not in JenisLampiran.values:
        raise ServiceError(_("Bagian lampiran tidak dikenal."), field="kind")
    if not text.strip():
        raise ServiceError(_("Isi lampiran wajib diisi."), field="text")
    item = Lampiran.objects.create(
        skp=skp, kind=kind, text=text.strip(), order=skp.lampiran.filter(kind=kind).count() + 1
    )
    record(
        "lampiran_add",
        by=by,
        skp=skp,
        new={"lampiran_id": item.pk, "kind": kind, "text": item.text},
    )
    return item


@transaction.atomic
def lampiran_delete(*, by: User, lampiran: Lampiran) -> None:
    skp = lampiran.skp
    require_owner(by, skp)
    require_editable(skp)
    record(
        "lampiran_delete", by=by, skp=skp, old={"lampiran_id": lampiran.pk, "text": lampiran.text}
    )
    lampiran.delete()


# --- cascading (matriks peran hasil) ----------------------------------------------------


@creates_many(Rhk)
@transaction.atomic
def rhk_cascade(
    *, by: User, rhk: Rhk, assignments: list[tuple[Pegawai, str]], form_key: str = ""
) -> list[Rhk]:
    """Hand the rater's RHK down: each chosen subordinate gets a linked draft RHK (Utama) in
    their SKP for the same year (created if missing). All or nothing; the same `form_key` again
    returns the RHKs the first post created (@creates_many)."""
    access = access_for(by)
    skp = rhk.skp
    if access.pegawai_id != skp.pegawai_id:
        raise Refused(_("Hanya pemilik RHK yang dapat menurunkannya ke bawahan."))
    if not skp.is_current:
        raise Conflict(_("RHK ini berasal dari versi SKP yang sudah digantikan."))
    if not assignments:
        raise ServiceError(_("Pilih minimal satu bawahan."), field="assignments")
    rater = skp.pegawai
    mine = subordinate_ids(rater)
    created: list[Rhk] = []
    for pegawai, text in assignments:
        if pegawai.pk not in mine:
            raise ServiceError(
                _("%(display_name)s bukan pegawai yang Anda nilai.")
                % {"display_name": pegawai.display_name},
                field="assignments",
            )
        target = (
            Skp.objects.select_for_update()
            .filter(pegawai=pegawai, year=skp.year, is_current=True)
            .order_by("-start_date")
            .first()
        )
        if target is None:
            from .services import _new_skp

            target = _new_skp(
                by=by, pegawai=pegawai, year=skp.year, pendekatan=Pendekatan.KUANTITATIF
            )
        if not target.editable:
            raise Conflict(
                _(
                    "SKP %(display_name)s berstatus %(status)s; RHK baru hanya "
                    "dapat ditambahkan ke SKP yang masih draf atau dikembalikan."
                )
                % {
                    "display_name": pegawai.display_name,
                    "status": target.get_status_display(),
                }
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
        record(
            "rhk_cascade",
            by=by,
            skp=target,
            new={"rhk_id": child.pk, "parent_id": rhk.pk, "text": child.text},
        )
    return created
