"""What the SKP service stories share: the complete plan of staf_a under kasi, the states to
put it in, and the checks that a successful service leaves exactly its audit event(s) and a refused
one leaves every row as it was."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.audit.testing import audit_mark as audit_mark
from kinerja.audit.testing import audit_trail_rows, refused_unchanged
from kinerja.audit.testing import events_since as events_since
from kinerja.core.errors import ServiceError
from kinerja.org import services as org
from kinerja.org.models import Jabatan, Pegawai
from kinerja.org.testing import Cast, make_nip
from kinerja.plans import services
from kinerja.plans.models import EkspektasiKhusus, Iki, Lampiran, Rhk, Skp, TahunKinerja


def this_year() -> int:
    return timezone.localdate().year


def fingerprint() -> dict[str, list[Any]]:
    """Every row an SKP service may touch."""
    return {
        "skp": list(Skp.objects.order_by("id").values_list()),
        "rhk": list(Rhk.objects.order_by("id").values_list()),
        "iki": list(Iki.objects.order_by("id").values_list()),
        "ekspektasi": list(EkspektasiKhusus.objects.order_by("id").values_list()),
        "lampiran": list(Lampiran.objects.order_by("id").values_list()),
        "tahun": list(TahunKinerja.objects.order_by("id").values_list()),
        **audit_trail_rows(),
    }


def refused(
    kind: type[ServiceError], match: str | None = None
) -> AbstractContextManager[pytest.ExceptionInfo[ServiceError]]:
    """The call inside raises exactly `kind` and changes no row and no audit event."""
    return refused_unchanged(kind, match, fingerprint)


def actions_since(mark: int) -> list[str]:
    return [e.action for e in events_since(mark)]


def only_event(mark: int, action: str, skp: Skp, by: User) -> AuditEvent:
    events = events_since(mark)
    assert [e.action for e in events] == [action]
    event = events[0]
    assert (event.target_type, event.target_id) == ("skp", str(skp.pk))
    assert (event.scope, event.actor_id) == (skp.instansi_id, by.pk)
    return event


def user_of(pegawai: Pegawai) -> User:
    return User.objects.get(pegawai=pegawai)


def fresh(skp: Skp) -> Skp:
    return Skp.objects.get(pk=skp.pk)


KUANTITATIF = {
    "text": "Jumlah posyandu terlaksana",
    "aspek": "KUANTITAS",
    "target_value": "12",
    "target_unit": "kegiatan",
}


@dataclass
class Plan:
    """kasi's SKP with one RHK; staf_a's SKP with an RHK Utama intervening it, one IKI and one
    lampiran: complete, ready to submit."""

    kasi_skp: Skp
    kasi_rhk: Rhk
    skp: Skp
    rhk: Rhk
    iki: Iki
    lampiran: Lampiran


def build_plan(cast: Cast, year: int | None = None) -> Plan:
    year = year or this_year()
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=year)
    kasi_rhk = services.rhk_save(
        by=kasi, skp=kasi_skp, jenis="UTAMA", text="Meningkatnya cakupan layanan primer"
    )
    skp = services.skp_create(by=staf, pegawai=cast.staf_a, year=year)
    rhk = services.rhk_save(
        by=staf, skp=skp, jenis="UTAMA", text="Terlaksananya posyandu", parent=kasi_rhk
    )
    iki = services.iki_save(by=staf, rhk=rhk, values=KUANTITATIF)
    lampiran = services.lampiran_add(
        by=staf, skp=skp, kind="DUKUNGAN_SUMBER_DAYA", text="Anggaran BOK"
    )
    return Plan(kasi_skp, kasi_rhk, skp, rhk, iki, lampiran)


def put_in(cast: Cast, plan: Plan, state: str) -> None:
    """Bring staf_a's SKP to a status; "superseded" is an approved version that has a newer one."""
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    if state == "DRAFT":
        return
    services.skp_submit(by=staf, skp=plan.skp)
    if state == "DIKEMBALIKAN":
        services.skp_return(by=kasi, skp=plan.skp, note="Perjelas targetnya")
    elif state in {"DISETUJUI", "superseded"}:
        services.skp_approve(by=kasi, skp=plan.skp)
        if state == "superseded":
            services.skp_revise(by=staf, skp=plan.skp)
    else:
        assert state == "DIAJUKAN"
    plan.skp = fresh(plan.skp)


def approve_kasi(cast: Cast, plan: Plan) -> Rhk:
    """kabid plans, kasi's RHK intervenes kabid's, kasi submits and kabid approves."""
    kabid, kasi = cast.user("kabid"), cast.user("kasi")
    kabid_skp = services.skp_create(by=kabid, pegawai=cast.kabid, year=plan.kasi_skp.year)
    kabid_rhk = services.rhk_save(
        by=kabid, skp=kabid_skp, jenis="UTAMA", text="Meningkatnya mutu layanan kesehatan"
    )
    services.rhk_save(
        by=kasi,
        skp=plan.kasi_skp,
        jenis="UTAMA",
        text=plan.kasi_rhk.text,
        parent=kabid_rhk,
        rhk=plan.kasi_rhk,
    )
    services.iki_save(by=kasi, rhk=plan.kasi_rhk, values=KUANTITATIF)
    services.skp_submit(by=kasi, skp=plan.kasi_skp)
    services.skp_approve(by=kabid, skp=plan.kasi_skp)
    plan.kasi_skp = fresh(plan.kasi_skp)
    return kabid_rhk


def new_jabatan(cast: Cast) -> Jabatan:
    return org.jabatan_save(
        by=cast.superadmin,
        unit=cast.puskesmas,
        code="ADM-PKM",
        name="Pengadministrasi Puskesmas",
        jenis="PELAKSANA",
        parent=cast.j_kapus,
    )


def new_pegawai(cast: Cast, seq: int, jabatan: Jabatan | None, tmt: date | None) -> Pegawai:
    pegawai = org.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={
            "nip": make_nip("19920505", "201803", "2", seq),
            "jenis_asn": "PNS",
            "name": "Rina",
        },
    )
    if jabatan is not None and tmt is not None:
        org.penempatan_assign(by=cast.admin, pegawai=pegawai, jabatan=jabatan, start_date=tmt)
    return Pegawai.objects.get(pk=pegawai.pk)
