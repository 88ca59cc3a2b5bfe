"""Every write to organisation data. Each service owns its transaction and its audit record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse

from .access import access_for, forget_access
from .hierarchy import rater_chain_ids
from .models import (
    DelegasiPenilai,
    Instansi,
    Jabatan,
    JenisAsn,
    JenisPenempatan,
    Pegawai,
    Penempatan,
    Peran,
    PeranAkses,
    UnitKerja,
)
from .rules import InvalidIdentifier, NipParts, normalise_search, parse_ni_pppk, parse_nip

SINGLE_HOLDER_JENIS = frozenset({"JPT", "ADMINISTRATOR", "PENGAWAS"})


def require_admin(by: User, instansi_id: int) -> None:
    if not access_for(by).can_admin_instansi(instansi_id):
        raise Refused("Hanya admin kepegawaian instansi ini yang boleh mengubah data ini.")


def _check_code_free(same_instansi: Any, obj: Any, label: str) -> None:
    # Django's Indonesian message for a two-field unique constraint says "tidak ada" (does not
    # exist), the opposite of what happened; say it plainly instead.
    if same_instansi.filter(code=obj.code).exclude(pk=obj.pk).exists():
        raise ServiceError(f"{label} {obj.code} sudah dipakai di instansi ini.", field="code")


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


# --- instansi -----------------------------------------------------------------------------


@transaction.atomic
def instansi_create(*, by: User, code: str, name: str, kind: str) -> Instansi:
    if not by.is_superuser:
        raise Refused("Hanya superadmin yang boleh menambah instansi.")
    instansi = Instansi(code=code.strip(), name=name.strip(), kind=kind)
    clean_or_refuse(instansi)
    instansi.save()
    audit.record(
        "instansi_create",
        by=by,
        scope=instansi.pk,
        target_type="instansi",
        target_id=instansi.pk,
        new={"code": instansi.code, "name": instansi.name, "kind": instansi.kind},
    )
    return instansi


# --- unit kerja ---------------------------------------------------------------------------

UNIT_FIELDS = ["code", "name", "kind", "parent_id"]


def _check_unit_parent(unit: UnitKerja, parent: UnitKerja | None) -> None:
    if parent is None:
        return
    if parent.instansi_id != unit.instansi_id:
        raise ServiceError("Unit induk harus dari instansi yang sama.", field="parent")
    if unit.pk and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        raise ServiceError(
            "Unit induk tidak boleh unit itu sendiri atau salah satu sub-unitnya.", field="parent"
        )


@transaction.atomic
def unit_save(
    *,
    by: User,
    instansi: Instansi,
    code: str,
    name: str,
    kind: str,
    parent: UnitKerja | None,
    unit: UnitKerja | None = None,
) -> UnitKerja:
    """Create a unit, or update one; moving it re-roots its whole subtree."""
    require_admin(by, instansi.pk)
    is_new = unit is None
    if unit is None:
        unit = UnitKerja(instansi=instansi)
    elif unit.instansi_id != instansi.pk:
        raise Refused("Unit ini bukan milik instansi tersebut.")
    old = {} if is_new else snapshot(unit, UNIT_FIELDS)
    old_path = unit.path
    _check_unit_parent(unit, parent)
    unit.code, unit.name, unit.kind, unit.parent = code.strip(), name.strip(), kind, parent
    unit.path = unit.path or "/"
    _check_code_free(UnitKerja.objects.filter(instansi=instansi), unit, "Kode unit")
    clean_or_refuse(unit, exclude=["path"])
    unit.save()
    new_path = f"{parent.path if parent else '/'}{unit.pk}/"
    if new_path != old_path:
        unit.path, unit.depth = new_path, new_path.count("/") - 2
        unit.save(update_fields=["path", "depth"])
        if old_path:
            _move_descendants(unit, old_path, new_path)
    audit.record(
        "unit_create" if is_new else "unit_update",
        by=by,
        scope=instansi.pk,
        target_type="unit_kerja",
        target_id=unit.pk,
        old=old,
        new=snapshot(unit, UNIT_FIELDS),
    )
    return unit


def _move_descendants(unit: UnitKerja, old_path: str, new_path: str) -> None:
    shift = new_path.count("/") - old_path.count("/")
    UnitKerja.objects.filter(instansi_id=unit.instansi_id, path__startswith=old_path).exclude(
        pk=unit.pk
    ).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + shift,
    )


# --- jabatan ------------------------------------------------------------------------------

JABATAN_FIELDS = ["code", "name", "jenis", "unit_id", "parent_id", "is_unit_head"]


def _check_jabatan_parent(jabatan: Jabatan, parent: Jabatan | None) -> None:
    if parent is None:
        return
    if parent.instansi_id != jabatan.instansi_id:
        raise ServiceError("Atasan jabatan harus dari instansi yang sama.", field="parent")
    seen: set[int] = set()
    cursor: int | None = parent.pk
    while cursor is not None and cursor not in seen:
        if jabatan.pk is not None and cursor == jabatan.pk:
            raise ServiceError(
                "Atasan jabatan membentuk lingkaran (jabatan menjadi atasan dirinya sendiri).",
                field="parent",
            )
        seen.add(cursor)
        cursor = Jabatan.objects.filter(pk=cursor).values_list("parent_id", flat=True).first()


@transaction.atomic
def jabatan_save(
    *,
    by: User,
    unit: UnitKerja,
    code: str,
    name: str,
    jenis: str,
    parent: Jabatan | None,
    is_unit_head: bool = False,
    jabatan: Jabatan | None = None,
) -> Jabatan:
    require_admin(by, unit.instansi_id)
    is_new = jabatan is None
    if jabatan is None:
        jabatan = Jabatan(instansi_id=unit.instansi_id)
    elif jabatan.instansi_id != unit.instansi_id:
        raise ServiceError("Jabatan tidak boleh dipindah ke instansi lain.", field="unit")
    old = {} if is_new else snapshot(jabatan, JABATAN_FIELDS)
    _check_jabatan_parent(jabatan, parent)
    jabatan.unit, jabatan.code, jabatan.name = unit, code.strip(), name.strip()
    jabatan.jenis, jabatan.parent, jabatan.is_unit_head = jenis, parent, is_unit_head
    _check_code_free(Jabatan.objects.filter(instansi_id=unit.instansi_id), jabatan, "Kode jabatan")
    if is_unit_head:
        head = Jabatan.objects.filter(unit=unit, is_unit_head=True).exclude(pk=jabatan.pk).first()
        if head is not None:
            raise ServiceError(
                f"{unit.name} sudah punya jabatan kepala unit: {head.name}.", field="is_unit_head"
            )
    clean_or_refuse(jabatan)
    jabatan.save()
    audit.record(
        "jabatan_create" if is_new else "jabatan_update",
        by=by,
        scope=unit.instansi_id,
        target_type="jabatan",
        target_id=jabatan.pk,
        old=old,
        new=snapshot(jabatan, JABATAN_FIELDS),
    )
    return jabatan


# --- pegawai ------------------------------------------------------------------------------

PEGAWAI_FIELDS = [
    "nip",
    "jenis_asn",
    "name",
    "front_title",
    "back_title",
    "pangkat_golongan",
    "email",
    "phone",
]


def parse_identifier(nip: str, jenis_asn: str) -> NipParts:
    try:
        return parse_nip(nip) if jenis_asn == JenisAsn.PNS else parse_ni_pppk(nip)
    except InvalidIdentifier as exc:
        label = "NIP" if jenis_asn == JenisAsn.PNS else "NI PPPK"
        raise ServiceError(f"{label} tidak valid: {exc}", field="nip") from exc


def fill_derived(pegawai: Pegawai, parts: NipParts) -> None:
    pegawai.birth_date, pegawai.gender = parts.birth_date, parts.gender
    pegawai.search_text = normalise_search(f"{pegawai.name} {pegawai.nip}")[:220]


@transaction.atomic
def pegawai_save(
    *,
    by: User,
    instansi: Instansi,
    values: dict[str, str],
    pegawai: Pegawai | None = None,
) -> Pegawai:
    """Create or update a pegawai's own data; a new pegawai gets a login (password via reset)."""
    require_admin(by, instansi.pk)
    is_new = pegawai is None
    if pegawai is None:
        pegawai = Pegawai(instansi=instansi)
    elif pegawai.instansi_id != instansi.pk:
        raise Refused("Pegawai ini bukan pegawai instansi tersebut.")
    old = {} if is_new else snapshot(pegawai, PEGAWAI_FIELDS)
    for name in PEGAWAI_FIELDS:
        if name in values:
            setattr(pegawai, name, (values[name] or "").strip())
    fill_derived(pegawai, parse_identifier(pegawai.nip, pegawai.jenis_asn))
    clean_or_refuse(pegawai, exclude=["user", "jabatan"])
    same_login = User.objects.filter(username=pegawai.nip)
    if pegawai.user_id is not None:
        same_login = same_login.exclude(pk=pegawai.user_id)
    if same_login.exists():
        raise ServiceError(f"NIP {pegawai.nip} sudah dipakai sebagai nama akun lain.", field="nip")
    if pegawai.user_id is None:
        user = User(username=pegawai.nip, full_name=pegawai.display_name, email=pegawai.email)
        user.password = make_password(None)
        clean_or_refuse(user)
        user.save()
        pegawai.user = user
    else:
        User.objects.filter(pk=pegawai.user_id).update(
            username=pegawai.nip, full_name=pegawai.display_name, email=pegawai.email
        )
    pegawai.save()
    audit.record(
        "pegawai_create" if is_new else "pegawai_update",
        by=by,
        scope=instansi.pk,
        target_type="pegawai",
        target_id=pegawai.pk,
        old=old,
        new=snapshot(pegawai, PEGAWAI_FIELDS),
    )
    return pegawai


# --- penempatan (placements and mutasi) ---------------------------------------------------


@transaction.atomic
def penempatan_assign(
    *,
    by: User,
    pegawai: Pegawai,
    jabatan: Jabatan,
    start_date: date,
    kind: str = JenisPenempatan.DEFINITIF,
    reference: str = "",
) -> Penempatan:
    """Place a pegawai in a jabatan. A new definitif placement ends the previous one (mutasi)."""
    require_admin(by, pegawai.instansi_id)
    if jabatan.instansi_id != pegawai.instansi_id:
        raise ServiceError("Jabatan harus dari instansi pegawai.", field="jabatan")
    if start_date > timezone.localdate():
        raise ServiceError("TMT jabatan tidak boleh di masa depan.", field="start_date")
    if jabatan.jenis in SINGLE_HOLDER_JENIS or jabatan.is_unit_head:
        # The new placement is open-ended, so any holder not gone before its TMT overlaps it.
        taken = (
            Penempatan.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
            .filter(jabatan=jabatan, kind=kind)
            .exclude(pegawai=pegawai)
            .select_related("pegawai")
            .first()
        )
        if taken is not None:
            raise Conflict(
                f"Jabatan {jabatan.name} sudah dipegang ({taken.get_kind_display()}) oleh "
                f"{taken.pegawai.display_name}; akhiri penempatan itu lebih dulu."
            )
    old: dict[str, Any] = {}
    if kind == JenisPenempatan.DEFINITIF:
        current = (
            Penempatan.objects.select_for_update()
            .filter(pegawai=pegawai, kind=kind, end_date__isnull=True)
            .first()
        )
        if current is not None:
            if current.jabatan_id == jabatan.pk:
                raise Conflict("Pegawai sudah memegang jabatan ini.")
            if current.start_date >= start_date:
                raise ServiceError(
                    "TMT jabatan baru harus sesudah TMT jabatan sebelumnya "
                    f"({current.start_date:%d-%m-%Y}).",
                    field="start_date",
                )
            current.end_date = start_date - timedelta(days=1)
            current.save(update_fields=["end_date"])
            old = {"jabatan_id": current.jabatan_id, "penempatan_id": current.pk}
        ended = (
            Penempatan.objects.filter(pegawai=pegawai, kind=kind, end_date__gte=start_date)
            .order_by("-end_date")
            .first()
        )
        if ended is not None and ended.end_date is not None:
            raise ServiceError(
                "TMT jabatan baru harus sesudah berakhirnya jabatan sebelumnya "
                f"({ended.end_date:%d-%m-%Y}).",
                field="start_date",
            )
    placement = Penempatan(
        instansi_id=pegawai.instansi_id,
        pegawai=pegawai,
        jabatan=jabatan,
        kind=kind,
        start_date=start_date,
        reference=reference.strip(),
    )
    clean_or_refuse(placement)
    placement.save()
    if kind == JenisPenempatan.DEFINITIF:
        pegawai.jabatan = jabatan
        pegawai.save(update_fields=["jabatan"])
    if pegawai.user is not None:
        forget_access(pegawai.user)
    audit.record(
        "penempatan_assign",
        by=by,
        scope=pegawai.instansi_id,
        target_type="pegawai",
        target_id=pegawai.pk,
        old=old,
        new={"jabatan_id": jabatan.pk, "kind": kind, "start_date": start_date.isoformat()},
    )
    return placement


@transaction.atomic
def penempatan_end(*, by: User, penempatan: Penempatan, end_date: date) -> Penempatan:
    require_admin(by, penempatan.instansi_id)
    if penempatan.end_date is not None:
        raise Conflict("Penempatan ini sudah berakhir.")
    if end_date < penempatan.start_date:
        raise ServiceError("Tanggal berakhir tidak boleh sebelum TMT.", field="end_date")
    penempatan.end_date = end_date
    penempatan.save(update_fields=["end_date"])
    if penempatan.kind == JenisPenempatan.DEFINITIF:
        Pegawai.objects.filter(pk=penempatan.pegawai_id, jabatan_id=penempatan.jabatan_id).update(
            jabatan=None
        )
    audit.record(
        "penempatan_end",
        by=by,
        scope=penempatan.instansi_id,
        target_type="penempatan",
        target_id=penempatan.pk,
        new={"end_date": end_date.isoformat()},
    )
    return penempatan


# --- delegasi penilai ---------------------------------------------------------------------


@transaction.atomic
def delegasi_create(
    *,
    by: User,
    pegawai: Pegawai,
    rater: Pegawai,
    start_date: date,
    end_date: date | None,
    reason: str,
) -> DelegasiPenilai:
    require_admin(by, pegawai.instansi_id)
    if rater.pk == pegawai.pk:
        raise ServiceError("Pegawai tidak boleh menjadi pejabat penilai dirinya sendiri.")
    if rater.instansi_id != pegawai.instansi_id:
        raise ServiceError("Pejabat penilai harus dari instansi yang sama.", field="rater")
    if not reason.strip():
        raise ServiceError("Alasan atau dasar delegasi wajib diisi.", field="reason")
    if end_date is not None and end_date < start_date:
        raise ServiceError("Tanggal berakhir tidak boleh sebelum tanggal mulai.", field="end_date")
    if pegawai.pk in rater_chain_ids(rater, start_date):
        raise ServiceError(
            f"{rater.display_name} dinilai (langsung atau berjenjang) oleh "
            f"{pegawai.display_name}; delegasi ini akan membuat rantai penilai melingkar."
        )
    delegasi = DelegasiPenilai(
        instansi_id=pegawai.instansi_id,
        pegawai=pegawai,
        rater=rater,
        start_date=start_date,
        end_date=end_date,
        reason=reason.strip(),
    )
    clean_or_refuse(delegasi)
    overlapping = DelegasiPenilai.objects.filter(pegawai=pegawai).exclude(end_date__lt=start_date)
    if end_date is not None:
        overlapping = overlapping.exclude(start_date__gt=end_date)
    if overlapping.exists():
        raise Conflict("Sudah ada delegasi penilai untuk pegawai ini pada rentang tanggal itu.")
    delegasi.save()
    audit.record(
        "delegasi_create",
        by=by,
        scope=pegawai.instansi_id,
        target_type="pegawai",
        target_id=pegawai.pk,
        new={
            "rater_id": rater.pk,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat() if end_date else None,
            "reason": delegasi.reason,
        },
    )
    return delegasi


# --- peran akses --------------------------------------------------------------------------


@transaction.atomic
def peran_grant(*, by: User, user: User, instansi: Instansi, role: str) -> PeranAkses:
    require_admin(by, instansi.pk)
    if role not in Peran.values:
        raise ServiceError(f"Peran tidak dikenal: {role}", field="role")
    grant, created = PeranAkses.objects.get_or_create(user=user, instansi=instansi, role=role)
    if not created:
        raise Conflict("Akun ini sudah memiliki peran tersebut.")
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_access(user)
    audit.record(
        "peran_grant",
        by=by,
        scope=instansi.pk,
        target_type="user",
        target_id=user.pk,
        new={"role": role},
    )
    return grant
