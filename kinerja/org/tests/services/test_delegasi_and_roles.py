"""Delegasi penilai (reason, no circles, no overlaps) and the granting of access roles."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org import services
from kinerja.org.access import access_for
from kinerja.org.models import DelegasiPenilai, PeranAkses
from kinerja.org.testing import Cast

from .helpers import audit_mark, only_event, refused

# --- delegasi penilai ---------------------------------------------------------------------


def test_a_delegation_is_recorded_with_its_reason(cast: Cast) -> None:
    mark = audit_mark()
    delegasi = services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 30),
        reason="  Kepala seksi menjalani tugas belajar  ",
    )
    assert delegasi.reason == "Kepala seksi menjalani tugas belajar"
    assert delegasi.instansi_id == cast.kab.pk
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "delegasi_create",
        "pegawai",
        str(cast.staf_a.pk),
        cast.kab.pk,
    )
    assert event.new_values == {
        "rater_id": cast.kapus.pk,
        "start_date": "2025-01-01",
        "end_date": "2025-06-30",
        "reason": "Kepala seksi menjalani tugas belajar",
    }


def test_an_open_ended_delegation_records_no_end(cast: Cast) -> None:
    mark = audit_mark()
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.perawat,
        rater=cast.kadis,
        start_date=date(2025, 1, 1),
        end_date=None,
        reason="Kepala puskesmas diberhentikan sementara",
    )
    assert only_event(mark).new_values["end_date"] is None


def test_nobody_is_delegated_to_rate_themselves(cast: Cast) -> None:
    with refused(ServiceError, "dirinya sendiri"):
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.staf_a,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Keliru",
        )


def test_the_database_refuses_a_self_delegation_too(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegasiPenilai.objects.create(
            instansi=cast.kab,
            pegawai=cast.staf_a,
            rater=cast.staf_a,
            start_date=date(2025, 1, 1),
            reason="Lewat jalan belakang",
        )
    assert not DelegasiPenilai.objects.exists()


def test_the_database_refuses_a_delegation_ending_before_it_starts(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegasiPenilai.objects.create(
            instansi=cast.kab,
            pegawai=cast.staf_a,
            rater=cast.kapus,
            start_date=date(2025, 1, 1),
            end_date=date(2024, 12, 31),
            reason="Terbalik",
        )
    assert not DelegasiPenilai.objects.exists()


def test_a_delegation_ends_after_it_starts(cast: Cast) -> None:
    with refused(ServiceError, "sebelum tanggal mulai") as info:
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.kapus,
            start_date=date(2025, 1, 1),
            end_date=date(2024, 12, 31),
            reason="Terbalik",
        )
    assert info.value.field == "end_date"


def test_a_rater_from_another_instansi_is_refused(cast: Cast) -> None:
    with refused(ServiceError, "instansi yang sama") as info:
        services.delegasi_create(
            by=cast.superadmin,
            pegawai=cast.staf_a,
            rater=cast.outsider,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Pinjam pejabat",
        )
    assert info.value.field == "rater"


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_delegation_needs_a_reason(cast: Cast, reason: str) -> None:
    with refused(ServiceError, "wajib diisi") as info:
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.kapus,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason=reason,
        )
    assert info.value.field == "reason"


def test_a_delegation_may_not_close_a_circle(cast: Cast) -> None:
    # Dewi is rated by Agus; making Dewi rate Agus would make Agus rate himself, one step removed.
    with refused(ServiceError, "melingkar") as info:
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.kasi,
            rater=cast.staf_a,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Uji coba",
        )
    assert "Dewi Lestari" in info.value.message
    assert "Agus Salim" in info.value.message
    # The kepala dinas cannot be rated by anyone below him either.
    with refused(ServiceError, "melingkar"):
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.kadis,
            rater=cast.perawat,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Uji coba",
        )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 6, 1), date(2025, 12, 31)),  # overlaps the tail
        (date(2024, 12, 1), date(2025, 1, 1)),  # touches the first day
        (date(2025, 2, 1), date(2025, 2, 28)),  # inside
        (date(2024, 1, 1), None),  # open-ended from before
        (date(2025, 6, 30), None),  # open-ended from the last day
    ],
)
def test_overlapping_delegations_are_refused(cast: Cast, start: date, end: date | None) -> None:
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 30),
        reason="Kepala seksi cuti besar",
    )
    with refused(Conflict, "rentang tanggal"):
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.kabid,
            start_date=start,
            end_date=end,
            reason="Yang kedua",
        )


def test_back_to_back_delegations_are_fine(cast: Cast) -> None:
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 30),
        reason="Semester pertama",
    )
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kabid,
        start_date=date(2025, 7, 1),
        end_date=None,
        reason="Semester kedua",
    )
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kabid,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
        reason="Tahun lalu",
    )
    assert DelegasiPenilai.objects.filter(pegawai=cast.staf_a).count() == 3


def test_an_open_delegation_blocks_any_later_one(cast: Cast) -> None:
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=None,
        reason="Sampai ada kepala seksi baru",
    )
    with refused(Conflict):
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.kabid,
            start_date=date(2030, 1, 1),
            end_date=date(2030, 1, 31),
            reason="Jauh kemudian",
        )


@pytest.mark.parametrize("who", ["kasi", "auditor", "kadis"])
def test_only_an_admin_delegates(cast: Cast, who: str) -> None:
    with refused(Refused):
        services.delegasi_create(
            by=cast.user(who),
            pegawai=cast.staf_a,
            rater=cast.kapus,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Saya yang atur",
        )


# --- peran akses --------------------------------------------------------------------------


def test_admin_grants_the_auditor_role(cast: Cast) -> None:
    kabid_user = cast.user("kabid")
    assert access_for(kabid_user).auditor_instansi_ids == frozenset()
    mark = audit_mark()
    grant = services.peran_grant(by=cast.admin, user=kabid_user, instansi=cast.kab, role="AUDITOR")
    assert (grant.user_id, grant.instansi_id, grant.role) == (kabid_user.pk, cast.kab.pk, "AUDITOR")
    assert User.objects.get(pk=kabid_user.pk).is_staff
    # The cached access facts of that user object were forgotten and are fresh now.
    assert access_for(kabid_user).auditor_instansi_ids == frozenset({cast.kab.pk})
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "peran_grant",
        "user",
        str(kabid_user.pk),
        cast.kab.pk,
    )
    assert event.actor_id == cast.admin.pk
    assert (event.old_values, event.new_values) == ({}, {"role": "AUDITOR"})


def test_a_role_is_granted_once(cast: Cast) -> None:
    with refused(Conflict, "sudah memiliki peran"):
        services.peran_grant(by=cast.admin, user=cast.auditor, instansi=cast.kab, role="AUDITOR")


def test_an_unknown_role_is_refused(cast: Cast) -> None:
    with refused(ServiceError, "Peran tidak dikenal") as info:
        services.peran_grant(by=cast.admin, user=cast.user("kasi"), instansi=cast.kab, role="RAJA")
    assert info.value.field == "role"


def test_roles_are_granted_only_by_an_admin_of_that_instansi(cast: Cast) -> None:
    with refused(Refused):
        services.peran_grant(by=cast.auditor, user=cast.auditor, instansi=cast.kab, role="ADMIN")
    with refused(Refused):
        services.peran_grant(
            by=cast.user("kadis"), user=cast.user("kasi"), instansi=cast.kab, role="ADMIN"
        )
    with refused(Refused):
        services.peran_grant(by=cast.admin, user=cast.admin, instansi=cast.kota, role="ADMIN")


def test_an_admin_cannot_give_a_peran_to_an_account_beyond_the_instansi(cast: Cast) -> None:
    """A superadmin, a pegawai of another instansi and an account holding a peran elsewhere
    are given a peran by a superadmin only; nothing is written when refused."""
    services.peran_grant(
        by=cast.superadmin, user=cast.user("kasi"), instansi=cast.kota, role="AUDITOR"
    )
    before = (AuditEvent.objects.count(), PeranAkses.objects.count())
    cases = [
        (cast.superadmin, "akun superadmin"),
        (cast.outsider.user, "pegawai instansi lain"),
        (cast.user("kasi"), "peran di instansi lain"),
    ]
    for account, reason in cases:
        assert account is not None
        with refused(Refused, reason) as info:
            services.peran_grant(by=cast.admin, user=account, instansi=cast.kab, role="ADMIN")
        assert info.value.field == "username"
        assert "hanya dapat dilakukan superadmin" in str(info.value)
    assert (AuditEvent.objects.count(), PeranAkses.objects.count()) == before
    assert not User.objects.get(pk=cast.outsider.user_id).is_staff


def test_a_superadmin_gives_a_peran_to_an_account_of_another_instansi(cast: Cast) -> None:
    grant = services.peran_grant(
        by=cast.superadmin, user=cast.outsider.user, instansi=cast.kab, role="AUDITOR"
    )
    assert (grant.instansi_id, grant.role) == (cast.kab.pk, "AUDITOR")
