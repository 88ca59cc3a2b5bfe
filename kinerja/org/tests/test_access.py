"""Row-level access: who sees which instansi, units, jabatan and pegawai, and whose private data.

Pemerintah Kabupaten Contoh (KAB) and Pemerintah Kota Lain (KOTA) never see each other's rows;
admins and auditors see their own instansi; the superadmin sees everything; nobody anonymous
sees anything.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from kinerja.accounts.models import User
from kinerja.org import services
from kinerja.org.access import ANONYMOUS, access_for, forget_access
from kinerja.org.models import (
    Instansi,
    Jabatan,
    JenisPenempatan,
    Pegawai,
    Penempatan,
    UnitKerja,
)
from kinerja.org.queries import can_view_private
from kinerja.org.testing import Cast, cast_built_once

OrgModel = type[Instansi] | type[UnitKerja] | type[Jabatan] | type[Pegawai]
ORG_MODELS: list[OrgModel] = [Instansi, UnitKerja, Jabatan, Pegawai]


module_cast, cast = cast_built_once("module")


def visible(model: OrgModel, user: object) -> set[int]:
    return set(model.objects.visible_to(user).values_list("id", flat=True))


def rows_of(model: OrgModel, instansi: Instansi) -> set[int]:
    field = "id" if model is Instansi else "instansi_id"
    return set(model.objects.filter(**{field: instansi.pk}).values_list("id", flat=True))


def end_kasi(cast: Cast) -> None:
    placement = Penempatan.objects.get(
        pegawai=cast.kasi, kind=JenisPenempatan.DEFINITIF, end_date__isnull=True
    )
    services.penempatan_end(by=cast.admin, penempatan=placement, end_date=date(2024, 6, 30))


# --- visible_to ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ORG_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("who", ["kadis", "kasi", "staf_a", "perawat", "admin", "auditor"])
def test_kab_people_see_kab_rows_only(cast: Cast, model: OrgModel, who: str) -> None:
    seen = visible(model, cast.user(who))
    assert seen == rows_of(model, cast.kab)
    assert seen
    assert not seen & rows_of(model, cast.kota)


@pytest.mark.parametrize("model", ORG_MODELS, ids=lambda m: m.__name__)
def test_the_outsider_sees_kota_rows_only(cast: Cast, model: OrgModel) -> None:
    seen = visible(model, cast.user("outsider"))
    assert seen == rows_of(model, cast.kota)
    assert not seen & rows_of(model, cast.kab)


@pytest.mark.parametrize("model", ORG_MODELS, ids=lambda m: m.__name__)
def test_the_superadmin_sees_every_instansi(cast: Cast, model: OrgModel) -> None:
    seen = visible(model, cast.superadmin)
    assert seen == set(model.objects.values_list("id", flat=True))
    assert seen >= rows_of(model, cast.kab) | rows_of(model, cast.kota)


@pytest.mark.parametrize("model", ORG_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("anonymous", [AnonymousUser(), None], ids=["anonymous", "none"])
def test_anonymous_sees_nothing(cast: Cast, model: OrgModel, anonymous: object) -> None:
    assert model.objects.exists()
    assert visible(model, anonymous) == set()


def test_an_account_without_pegawai_or_role_sees_nothing(cast: Cast) -> None:
    stranger = User.objects.create_user("tamu", "rahasia-tamu-2026", full_name="Tamu")
    for model in ORG_MODELS:
        assert visible(model, stranger) == set()


def test_an_auditor_of_both_instansi_sees_both(cast: Cast) -> None:
    services.peran_grant(by=cast.superadmin, user=cast.auditor, instansi=cast.kota, role="AUDITOR")
    auditor = User.objects.get(pk=cast.auditor.pk)
    assert visible(Instansi, auditor) == {cast.kab.pk, cast.kota.pk}
    assert visible(Pegawai, auditor) == set(Pegawai.objects.values_list("id", flat=True))


def test_a_kab_pegawai_made_kota_admin_sees_both(cast: Cast) -> None:
    kabid = cast.user("kabid")
    services.peran_grant(by=cast.superadmin, user=kabid, instansi=cast.kota, role="ADMIN")
    assert visible(Instansi, kabid) == {cast.kab.pk, cast.kota.pk}
    assert access_for(kabid).can_admin_instansi(cast.kota.pk)
    assert not access_for(kabid).can_admin_instansi(cast.kab.pk)


# --- access_for and role labels -----------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "labels"),
    [
        ("kadis", ["pegawai", "pimpinan_unit"]),
        ("kabid", ["pegawai", "pimpinan_unit"]),
        ("kasi", ["pegawai", "pimpinan_unit"]),
        ("kapus", ["pegawai", "pimpinan_unit"]),
        ("staf_a", ["pegawai"]),
        ("perawat", ["pegawai"]),
        ("outsider", ["pegawai"]),
        ("admin", ["admin_instansi"]),
        ("auditor", ["auditor"]),
        ("superadmin", ["superadmin"]),
    ],
)
def test_role_labels_of_the_cast(cast: Cast, who: str, labels: list[str]) -> None:
    assert access_for(cast.user(who)).role_labels == labels


def test_anonymous_has_no_roles(cast: Cast) -> None:
    assert access_for(AnonymousUser()) is ANONYMOUS
    assert access_for(None).role_labels == []
    assert not ANONYMOUS.is_authenticated
    assert not ANONYMOUS.can_read_instansi(cast.kab.pk)


def test_unit_heads_lead_their_own_unit(cast: Cast) -> None:
    assert access_for(cast.user("kadis")).headed_unit_ids == {cast.dinkes.pk}
    assert access_for(cast.user("kasi")).headed_unit_ids == {cast.seksi.pk}
    assert access_for(cast.user("kapus")).headed_unit_ids == {cast.puskesmas.pk}
    assert access_for(cast.user("staf_a")).headed_unit_ids == frozenset()


def test_a_plt_head_is_pimpinan_unit_and_the_former_head_is_not(cast: Cast) -> None:
    end_kasi(cast)
    services.penempatan_assign(
        by=cast.admin,
        pegawai=cast.staf_b,
        jabatan=cast.j_kasi,
        start_date=date(2024, 7, 1),
        kind="PLT",
    )
    plt = access_for(cast.user("staf_b"))
    assert plt.role_labels == ["pegawai", "pimpinan_unit"]
    assert plt.headed_unit_ids == {cast.seksi.pk}
    assert access_for(cast.user("kasi")).role_labels == ["pegawai"]


def test_a_plh_head_is_pimpinan_unit_too(cast: Cast) -> None:
    end_kasi(cast)
    services.penempatan_assign(
        by=cast.admin,
        pegawai=cast.perawat,
        jabatan=cast.j_kasi,
        start_date=date(2024, 7, 1),
        kind="PLH",
    )
    assert "pimpinan_unit" in access_for(cast.user("perawat")).role_labels


def test_a_pegawai_who_is_also_admin_has_both_labels(cast: Cast) -> None:
    kabid = cast.user("kabid")
    services.peran_grant(by=cast.admin, user=kabid, instansi=cast.kab, role="ADMIN")
    assert access_for(kabid).role_labels == ["pegawai", "pimpinan_unit", "admin_instansi"]


@pytest.mark.parametrize(
    ("who", "read_kab", "admin_kab", "audit_kab", "read_kota"),
    [
        ("staf_a", True, False, False, False),
        ("kadis", True, False, False, False),
        ("admin", True, True, True, False),
        ("auditor", True, False, True, False),
        ("outsider", False, False, False, True),
        ("superadmin", True, True, True, True),
    ],
)
def test_instansi_permissions(
    cast: Cast,
    who: str,
    read_kab: bool,
    admin_kab: bool,
    audit_kab: bool,
    read_kota: bool,
) -> None:
    access = access_for(cast.user(who))
    assert access.is_authenticated
    assert access.can_read_instansi(cast.kab.pk) is read_kab
    assert access.can_admin_instansi(cast.kab.pk) is admin_kab
    assert access.can_audit_instansi(cast.kab.pk) is audit_kab
    assert access.can_read_instansi(cast.kota.pk) is read_kota


def test_access_is_cached_on_the_user_until_forgotten(cast: Cast) -> None:
    kasi = cast.user("kasi")
    first = access_for(kasi)
    assert access_for(kasi) is first
    end_kasi(cast)
    assert access_for(kasi).headed_unit_ids == {cast.seksi.pk}  # same request, same answer
    forget_access(kasi)
    assert access_for(kasi).headed_unit_ids == frozenset()


# --- can_view_private ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "whose", "allowed"),
    [
        ("staf_a", "staf_a", True),  # herself
        ("kasi", "staf_a", True),  # her rater
        ("kabid", "staf_a", True),  # her rater's rater
        ("kadis", "staf_a", True),  # top of the chain, head of the dinas
        ("kapus", "perawat", True),
        ("kadis", "perawat", True),
        ("staf_b", "staf_a", False),  # a peer in the same seksi
        ("staf_a", "kasi", False),  # her boss's data is not hers to see
        ("perawat", "staf_a", False),
        ("kapus", "staf_a", False),  # a head of another branch
        ("kabid", "perawat", False),  # the bidang is not above the puskesmas
        ("admin", "staf_a", True),
        ("auditor", "kadis", True),
        ("superadmin", "outsider", True),
        ("outsider", "staf_a", False),
        ("kadis", "outsider", False),
        ("admin", "outsider", False),
        ("auditor", "outsider", False),
    ],
)
def test_who_may_see_private_data(cast: Cast, who: str, whose: str, allowed: bool) -> None:
    assert can_view_private(cast.user(who), getattr(cast, whose)) is allowed


def test_anonymous_never_sees_private_data(cast: Cast) -> None:
    assert can_view_private(AnonymousUser(), cast.staf_a) is False


def test_pimpinan_of_an_ancestor_unit_sees_without_being_in_the_chain(cast: Cast) -> None:
    # Dewi is rated by the kepala puskesmas for a while: the kabid is no longer in her rater chain
    # but still leads the bidang her seksi belongs to; the kasi still leads her own seksi.
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=None,
        reason="Penugasan khusus di puskesmas",
    )
    assert can_view_private(cast.user("kabid"), cast.staf_a)
    assert can_view_private(cast.user("kasi"), cast.staf_a)
    # ... and the delegated rater sees her too, through the chain.
    assert can_view_private(cast.user("kapus"), cast.staf_a)
    assert not can_view_private(cast.user("kapus"), cast.staf_b)


def test_a_former_kasi_loses_sight_of_the_staff(cast: Cast) -> None:
    end_kasi(cast)
    assert not can_view_private(cast.user("kasi"), cast.staf_a)
    assert can_view_private(cast.user("kabid"), cast.staf_a)


def test_a_plt_head_sees_the_staff_of_the_unit(cast: Cast) -> None:
    end_kasi(cast)
    services.penempatan_assign(
        by=cast.admin,
        pegawai=cast.kapus,
        jabatan=cast.j_kasi,
        start_date=date(2024, 7, 1),
        kind="PLT",
    )
    assert can_view_private(cast.user("kapus"), cast.staf_a)
    assert can_view_private(cast.user("kapus"), cast.staf_b)
