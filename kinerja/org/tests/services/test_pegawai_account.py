"""A pegawai's login follows their data, but an admin may not re-address an account that holds
anything outside the instansi they administer: its email receives the password reset, so
changing it would hand the admin the account's rights elsewhere."""

from __future__ import annotations

import pytest

from kinerja.accounts.models import User
from kinerja.core.errors import Refused
from kinerja.org import services
from kinerja.org.guards import account_beyond_reach
from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast

from .helpers import audit_mark, only_event, refused

OTHER_NIP = "198001012005012044"


def _auditor_in_kota(cast: Cast, who: str = "staf_a") -> User:
    user = cast.user(who)
    services.peran_grant(by=cast.superadmin, user=user, instansi=cast.kota, role="AUDITOR")
    return user


@pytest.mark.parametrize(
    ("values", "field", "what"),
    [
        ({"email": "penyerang@contoh.go.id"}, "email", "Email akun"),
        ({"nip": OTHER_NIP}, "nip", "NIP (nama akun) akun"),
        ({"name": "Nama Lain"}, "name", "Nama akun"),
        (
            {"email": "penyerang@contoh.go.id", "nip": OTHER_NIP},
            "email",
            "Email dan NIP (nama akun) akun",
        ),
    ],
)
def test_kab_admin_may_not_readdress_an_account_with_a_peran_in_kota(
    cast: Cast, values: dict[str, str], field: str, what: str
) -> None:
    _auditor_in_kota(cast)
    with refused(Refused, f"{what} tidak dapat diubah") as info:
        services.pegawai_save(by=cast.admin, instansi=cast.kab, values=values, pegawai=cast.staf_a)
    assert info.value.field == field
    assert "memegang peran di instansi lain" in info.value.message
    assert "superadmin" in info.value.message


def test_other_data_of_such_a_pegawai_may_still_change(cast: Cast) -> None:
    user = _auditor_in_kota(cast)
    services.pegawai_save(
        by=cast.admin, instansi=cast.kab, values={"phone": "081299990000"}, pegawai=cast.staf_a
    )
    assert Pegawai.objects.get(pk=cast.staf_a.pk).phone == "081299990000"
    assert User.objects.get(pk=user.pk).email == cast.staf_a.email


def test_an_email_the_account_already_has_is_no_change(cast: Cast) -> None:
    """Saving the same email (as a form resends every field) is not a re-addressing."""
    _auditor_in_kota(cast)
    services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"email": cast.staf_a.email, "nip": cast.staf_a.nip, "name": cast.staf_a.name},
        pegawai=cast.staf_a,
    )


def test_kab_admin_readdresses_an_account_whose_peran_are_all_in_kab(cast: Cast) -> None:
    user = cast.user("staf_a")
    services.peran_grant(by=cast.admin, user=user, instansi=cast.kab, role="AUDITOR")
    mark = audit_mark()
    services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"email": "dewi.baru@contoh.go.id"},
        pegawai=cast.staf_a,
    )
    assert User.objects.get(pk=user.pk).email == "dewi.baru@contoh.go.id"
    assert only_event(mark).new_values["email"] == "dewi.baru@contoh.go.id"


def test_kab_admin_readdresses_a_plain_kab_pegawai(cast: Cast) -> None:
    services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"email": "bambang.baru@contoh.go.id", "nip": OTHER_NIP},
        pegawai=cast.staf_b,
    )
    user = User.objects.get(pegawai__pk=cast.staf_b.pk)
    assert (user.email, user.username) == ("bambang.baru@contoh.go.id", OTHER_NIP)


def test_superadmin_readdresses_an_account_with_a_peran_elsewhere(cast: Cast) -> None:
    user = _auditor_in_kota(cast)
    services.pegawai_save(
        by=cast.superadmin,
        instansi=cast.kab,
        values={"email": "dewi.baru@contoh.go.id"},
        pegawai=cast.staf_a,
    )
    assert User.objects.get(pk=user.pk).email == "dewi.baru@contoh.go.id"


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        ({"is_superuser": True, "is_staff": True}, "akun superadmin"),
        ({"is_staff": True}, "akses halaman admin yang tidak berasal dari peran instansi"),
    ],
)
def test_a_superadmin_or_a_hand_made_staff_account_is_out_of_reach(
    cast: Cast, flags: dict[str, bool], reason: str
) -> None:
    User.objects.filter(pegawai__pk=cast.staf_a.pk).update(**flags)
    with refused(Refused, reason) as info:
        services.pegawai_save(
            by=cast.admin,
            instansi=cast.kab,
            values={"email": "penyerang@contoh.go.id"},
            pegawai=cast.staf_a,
        )
    assert info.value.field == "email"


def test_an_account_linked_to_a_pegawai_elsewhere_is_out_of_reach(cast: Cast) -> None:
    assert account_beyond_reach(cast.admin, cast.staf_a.user_id or 0) is None
    assert account_beyond_reach(cast.admin, cast.outsider.user_id or 0) == (
        "akun ini tertaut ke pegawai instansi lain"
    )
    assert account_beyond_reach(cast.superadmin, cast.outsider.user_id or 0) is None
