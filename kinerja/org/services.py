"""Every write to organisation data. Each service owns its transaction and its audit record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse

from .access import forget_access
from .guards import account_beyond_reach, require_account_in_reach, require_admin, snapshot
from .models import (
    Instansi,
    Jabatan,
    JenisAsn,
    Pegawai,
    Peran,
    PeranAkses,
    UnitKerja,
)
from .rules import InvalidIdentifier, NipParts, normalise_search, parse_ni_pppk, parse_nip


def _check_code_free(same_instansi: Any, obj: Any, label: str) -> None:
    # Django's Indonesian message for a two-field unique constraint says "tidak ada" (does not
    # exist), the opposite of what happened; say it plainly instead.
    if same_instansi.filter(code=obj.code).exclude(pk=obj.pk).exists():
        raise ServiceError(
            _("%(label)s %(code)s sudah dipakai di instansi ini.")
            % {"label": label, "code": obj.code},
            field="code",
        )


# --- instansi -----------------------------------------------------------------------------


@transaction.atomic
def instansi_create(*, by: User, code: str, name: str, kind: str) -> Instansi:
    if not by.is_superuser:
        raise Refused(_("Hanya superadmin yang boleh menambah instansi."))
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
        raise ServiceError(_("Unit induk harus dari instansi yang sama."), field="parent")
    if unit.pk and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        raise ServiceError(
            _("Unit induk tidak boleh unit itu sendiri atau salah satu sub-unitnya."),
            field="parent",
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
        raise Refused(_("Unit ini bukan milik instansi tersebut."))
    old = {} if is_new else snapshot(unit, UNIT_FIELDS)
    old_path = unit.path
    _check_unit_parent(unit, parent)
    unit.code, unit.name, unit.kind, unit.parent = code.strip(), name.strip(), kind, parent
    unit.path = unit.path or "/"
    _check_code_free(UnitKerja.objects.filter(instansi=instansi), unit, _("Kode unit"))
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
        raise ServiceError(_("Atasan jabatan harus dari instansi yang sama."), field="parent")
    seen: set[int] = set()
    cursor: int | None = parent.pk
    while cursor is not None and cursor not in seen:
        if jabatan.pk is not None and cursor == jabatan.pk:
            raise ServiceError(
                _("Atasan jabatan membentuk lingkaran (jabatan menjadi atasan dirinya sendiri)."),
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
        raise ServiceError(_("Jabatan tidak boleh dipindah ke instansi lain."), field="unit")
    old = {} if is_new else snapshot(jabatan, JABATAN_FIELDS)
    _check_jabatan_parent(jabatan, parent)
    jabatan.unit, jabatan.code, jabatan.name = unit, code.strip(), name.strip()
    jabatan.jenis, jabatan.parent, jabatan.is_unit_head = jenis, parent, is_unit_head
    _check_code_free(
        Jabatan.objects.filter(instansi_id=unit.instansi_id), jabatan, _("Kode jabatan")
    )
    if is_unit_head:
        head = Jabatan.objects.filter(unit=unit, is_unit_head=True).exclude(pk=jabatan.pk).first()
        if head is not None:
            raise ServiceError(
                _("%(unit)s sudah punya jabatan kepala unit: %(jabatan)s.")
                % {"unit": unit.name, "jabatan": head.name},
                field="is_unit_head",
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
        raise ServiceError(
            _("%(label)s tidak valid: %(error)s") % {"label": label, "error": exc}, field="nip"
        ) from exc


def fill_derived(pegawai: Pegawai, parts: NipParts) -> None:
    pegawai.birth_date, pegawai.gender = parts.birth_date, parts.gender
    pegawai.search_text = normalise_search(f"{pegawai.name} {pegawai.nip}")[:220]


def _account_values(pegawai: Pegawai) -> dict[str, str]:
    """The login's fields that follow the pegawai's data."""
    return {"username": pegawai.nip, "full_name": pegawai.display_name, "email": pegawai.email}


@transaction.atomic
def pegawai_save(
    *,
    by: User,
    instansi: Instansi,
    values: dict[str, str],
    pegawai: Pegawai | None = None,
) -> Pegawai:
    """Create or update a pegawai's own data; a new pegawai gets a login (password via reset).

    The login's email, name and NIP follow the pegawai's; an admin may change them only on an
    account whose every peran and pegawai lies in instansi they administer (guards).
    """
    require_admin(by, instansi.pk)
    is_new = pegawai is None
    if pegawai is None:
        pegawai = Pegawai(instansi=instansi)
    elif pegawai.instansi_id != instansi.pk:
        raise Refused(_("Pegawai ini bukan pegawai instansi tersebut."))
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
        raise ServiceError(
            _("NIP %(nip)s sudah dipakai sebagai nama akun lain.") % {"nip": pegawai.nip},
            field="nip",
        )
    if pegawai.user_id is None:
        user = User(**_account_values(pegawai))
        user.password = make_password(None)
        clean_or_refuse(user)
        user.save()
        pegawai.user = user
    else:
        require_account_in_reach(by, pegawai.user_id, _account_values(pegawai))
        User.objects.filter(pk=pegawai.user_id).update(**_account_values(pegawai))
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


# --- peran akses --------------------------------------------------------------------------


@transaction.atomic
def peran_grant(*, by: User, user: User, instansi: Instansi, role: str) -> PeranAkses:
    require_admin(by, instansi.pk)
    if role not in Peran.values:
        raise ServiceError(_("Peran tidak dikenal: %(role)s") % {"role": role}, field="role")
    # A peran gives the account the instansi's data and the admin pages; an account that
    # holds something beyond the admin's instansi (a superadmin, a peran or pegawai elsewhere)
    # is given one by a superadmin only, so that no admin can lift an outside account.
    reason = account_beyond_reach(by, user.pk)
    if reason is not None:
        raise Refused(
            _(
                "Peran tidak dapat diberikan oleh admin instansi: %(reason)s. Pemberian "
                "ini hanya dapat dilakukan superadmin."
            )
            % {"reason": reason},
            field="username",
        )
    grant, created = PeranAkses.objects.get_or_create(user=user, instansi=instansi, role=role)
    if not created:
        raise Conflict(_("Akun ini sudah memiliki peran tersebut."))
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


# Placements (mutasi, Plt/Plh) and delegated raters live in placement_services.
from .placement_services import (  # noqa: E402
    SINGLE_HOLDER_JENIS,
    delegasi_create,
    penempatan_assign,
    penempatan_end,
)

__all__ = [
    "JABATAN_FIELDS",
    "PEGAWAI_FIELDS",
    "SINGLE_HOLDER_JENIS",
    "UNIT_FIELDS",
    "delegasi_create",
    "fill_derived",
    "instansi_create",
    "jabatan_save",
    "parse_identifier",
    "pegawai_save",
    "penempatan_assign",
    "penempatan_end",
    "peran_grant",
    "require_admin",
    "snapshot",
    "unit_save",
]
