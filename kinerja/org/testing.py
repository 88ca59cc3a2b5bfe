"""The named cast of people every test can use (built through the real services).

Pemerintah Kabupaten Contoh (KAB):
    Pemerintah Kabupaten Contoh (PEMDA)
    └── Dinas Kesehatan (DINKES)            kadis   Kepala Dinas (JPT, kepala unit)
        ├── Bidang Pelayanan Kesehatan      kabid   Kepala Bidang (Administrator, kepala)
        │   └── Seksi Pelayanan Primer      kasi    Kepala Seksi (Pengawas, kepala)
        │                                   staf_a, staf_b  Pengelola Layanan (Pelaksana)
        └── Puskesmas Sukamaju              kapus   Kepala Puskesmas (Pengawas, kepala)
                                            perawat Perawat Ahli Pertama (Fungsional)
Accounts without a pegawai: admin (admin kepegawaian KAB), auditor (auditor KAB), superadmin.
Pemerintah Kota Lain (KOTA): outsider, a pelaksana there.
Every pegawai logs in with their NIP and PASSWORD.
cast_built_once() builds the cast once for a whole module or package instead of once per test.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from kinerja.accounts.models import User

from . import services
from .models import Instansi, Jabatan, Pegawai, UnitKerja

PASSWORD = "rahasia-kinerja-2026"  # noqa: S105
START = date(2020, 1, 2)


@dataclass
class Cast:
    kab: Instansi
    kota: Instansi
    superadmin: User
    admin: User
    auditor: User
    pemda: UnitKerja
    dinkes: UnitKerja
    bidang: UnitKerja
    seksi: UnitKerja
    puskesmas: UnitKerja
    j_kadis: Jabatan
    j_kabid: Jabatan
    j_kasi: Jabatan
    j_staf: Jabatan
    j_kapus: Jabatan
    j_perawat: Jabatan
    kadis: Pegawai
    kabid: Pegawai
    kasi: Pegawai
    staf_a: Pegawai
    staf_b: Pegawai
    kapus: Pegawai
    perawat: Pegawai
    outsider: Pegawai

    def user(self, name: str) -> User:
        who = getattr(self, name)
        if isinstance(who, User):
            return who
        assert who.user is not None
        return User.objects.get(pk=who.user_id)


def make_nip(birth: str, tmt: str, gender: str, seq: int) -> str:
    return f"{birth}{tmt}{gender}{seq:03d}"


def build_cast() -> Cast:
    superadmin = User.objects.create_superuser("superadmin", PASSWORD, full_name="Super Admin")
    kab = services.instansi_create(
        by=superadmin, code="KAB", name="Pemerintah Kabupaten Contoh", kind="DAERAH"
    )
    kota = services.instansi_create(
        by=superadmin, code="KOTA", name="Pemerintah Kota Lain", kind="DAERAH"
    )
    admin = User.objects.create_user("admin", PASSWORD, full_name="Admin Kepegawaian")
    auditor = User.objects.create_user("auditor", PASSWORD, full_name="Auditor Inspektorat")
    services.peran_grant(by=superadmin, user=admin, instansi=kab, role="ADMIN")
    services.peran_grant(by=superadmin, user=auditor, instansi=kab, role="AUDITOR")

    def unit(
        code: str, name: str, kind: str, parent: UnitKerja | None, on: Instansi = kab
    ) -> UnitKerja:
        return services.unit_save(
            by=superadmin, instansi=on, code=code, name=name, kind=kind, parent=parent
        )

    pemda = unit("PEMDA", "Pemerintah Kabupaten Contoh", "PEMDA", None)
    dinkes = unit("DINKES", "Dinas Kesehatan", "DINAS", pemda)
    bidang = unit("YANKES", "Bidang Pelayanan Kesehatan", "BIDANG", dinkes)
    seksi = unit("PRIMER", "Seksi Pelayanan Primer", "SEKSI", bidang)
    puskesmas = unit("PKM-SUKAMAJU", "Puskesmas Sukamaju", "PUSKESMAS", dinkes)

    def jab(
        code: str, name: str, jenis: str, u: UnitKerja, parent: Jabatan | None, head: bool = False
    ) -> Jabatan:
        return services.jabatan_save(
            by=superadmin,
            unit=u,
            code=code,
            name=name,
            jenis=jenis,
            parent=parent,
            is_unit_head=head,
        )

    j_kadis = jab("KADINKES", "Kepala Dinas Kesehatan", "JPT", dinkes, None, head=True)
    j_kabid = jab(
        "KABID-YANKES",
        "Kepala Bidang Pelayanan Kesehatan",
        "ADMINISTRATOR",
        bidang,
        j_kadis,
        head=True,
    )
    j_kasi = jab(
        "KASI-PRIMER", "Kepala Seksi Pelayanan Primer", "PENGAWAS", seksi, j_kabid, head=True
    )
    j_staf = jab("PENGELOLA-LAYANAN", "Pengelola Layanan Kesehatan", "PELAKSANA", seksi, j_kasi)
    j_kapus = jab(
        "KAPUS-SUKAMAJU", "Kepala Puskesmas Sukamaju", "PENGAWAS", puskesmas, j_kadis, head=True
    )
    j_perawat = jab("PERAWAT-SUKAMAJU", "Perawat Ahli Pertama", "FUNGSIONAL", puskesmas, j_kapus)

    def person(
        seq: int,
        name: str,
        jabatan: Jabatan | None,
        on: Instansi = kab,
        jenis: str = "PNS",
        gender: str = "1",
    ) -> Pegawai:
        nip = make_nip("19800101", "200501", gender, seq)
        pegawai = services.pegawai_save(
            by=superadmin,
            instansi=on,
            values={
                "nip": nip,
                "jenis_asn": jenis,
                "name": name,
                "pangkat_golongan": "Penata (III/c)",
                "email": f"p{seq}@contoh.go.id",
                "phone": f"0812000{seq:05d}",
            },
        )
        if pegawai.user is not None:
            pegawai.user.set_password(PASSWORD)
            pegawai.user.save(update_fields=["password"])
        if jabatan is not None:
            services.penempatan_assign(
                by=superadmin, pegawai=pegawai, jabatan=jabatan, start_date=START
            )
        return pegawai

    kadis = person(1, "Hendra Wijaya", j_kadis)
    kabid = person(2, "Sri Rahayu", j_kabid, gender="2")
    kasi = person(3, "Agus Salim", j_kasi)
    staf_a = person(4, "Dewi Lestari", j_staf, gender="2")
    staf_b = person(5, "Bambang Pamungkas", j_staf)
    kapus = person(6, "Ratna Sari", j_kapus, gender="2")
    perawat = person(7, "Yohanes Manurung", j_perawat)
    kota_root = unit("PEMKOT", "Pemerintah Kota Lain", "PEMDA", None, on=kota)
    j_out = jab("STAF-KOTA", "Pengadministrasi Umum", "PELAKSANA", kota_root, None)
    outsider = person(8, "Putu Gede", j_out, on=kota)
    return Cast(
        kab=kab,
        kota=kota,
        superadmin=superadmin,
        admin=admin,
        auditor=auditor,
        pemda=pemda,
        dinkes=dinkes,
        bidang=bidang,
        seksi=seksi,
        puskesmas=puskesmas,
        j_kadis=j_kadis,
        j_kabid=j_kabid,
        j_kasi=j_kasi,
        j_staf=j_staf,
        j_kapus=j_kapus,
        j_perawat=j_perawat,
        kadis=kadis,
        kabid=kabid,
        kasi=kasi,
        staf_a=staf_a,
        staf_b=staf_b,
        kapus=kapus,
        perawat=perawat,
        outsider=outsider,
    )


def cast_built_once(scope: Literal["module", "package"]) -> tuple[object, object]:
    """The fixtures `module_cast` and `cast` for tests that only read the cast or change it in
    their own transaction: the cast is built once per module (or package) inside a transaction
    rolled back at its end, and each test gets a private deep copy (in-memory changes and cached
    access facts do not leak) while still running in its own savepoint (the `db` fixture).

    Use as `module_cast, cast = cast_built_once("module")` in a test module or conftest.py; the
    `cast` it defines there overrides the root conftest's cast built for every test.
    """

    @pytest.fixture(scope=scope, name="module_cast")
    def built_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Cast]:
        with django_db_blocker.unblock(), transaction.atomic():
            yield build_cast()
            transaction.set_rollback(True)

    @pytest.fixture(name="cast")
    def private_copy(module_cast: Cast, db: None) -> Cast:
        return copy.deepcopy(module_cast)

    return built_once, private_copy
