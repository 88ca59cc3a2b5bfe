"""`manage.py seed_demo`: a deterministic, valid, loginable demo kabupaten."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.audit.verify import verify_chains
from kinerja.org import demo, demo_plan
from kinerja.org.hierarchy import rater_id_for, subordinate_ids
from kinerja.org.models import (
    DelegasiPenilai,
    Instansi,
    Jabatan,
    Pegawai,
    Penempatan,
    Peran,
    PeranAkses,
    UnitKerja,
)
from kinerja.org.rules import parse_ni_pppk, parse_nip
from kinerja.plans.models import Skp
from kinerja.progress.models import Realisasi

N = 60


def seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", pegawai=N, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def output(db: None) -> str:
    return seed()


def kab() -> Instansi:
    return Instansi.objects.get(code=demo.DEMO_CODE)


def by_nip(nip: str) -> Pegawai:
    return Pegawai.objects.get(nip=nip)


def head_of(code: str) -> Pegawai:
    return Pegawai.objects.get(instansi=kab(), jabatan__unit__code=code, jabatan__is_unit_head=True)


def test_the_same_seed_gives_the_same_people() -> None:
    def people(seed: int) -> list[tuple[str, str, str]]:
        plan = demo_plan.plan_demo(N, seed)
        return [(p.nip, p.name, p.jabatan.code) for p in plan.people]

    assert people(7) == people(7)
    assert [name for _, name, _ in people(7)] != [name for _, name, _ in people(8)]
    for seed in (7, 8):
        assert {nip for nip, _, _ in people(seed)} >= demo_plan.FIXED_NIPS


def test_the_structure_grows_with_the_head_count() -> None:
    small, large = demo_plan.plan_demo(60, 1), demo_plan.plan_demo(3000, 1)
    assert len(large.units) > 5 * len(small.units)
    staff = Counter(p.jabatan.unit.code for p in large.people if not p.jabatan.is_unit_head)
    assert max(staff.values()) < 100  # no unit swallows the head count


def test_too_small_a_kabupaten_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="paling sedikit"):
        call_command("seed_demo", pegawai=demo_plan.MIN_PEGAWAI - 1, stdout=io.StringIO())
    assert not Instansi.objects.exists()


def test_counts_and_second_instansi(output: str) -> None:
    assert Pegawai.objects.filter(instansi=kab()).count() == N
    kota = Instansi.objects.get(code=demo.KOTA_CODE)
    assert Pegawai.objects.filter(instansi=kota).count() == demo_plan.KOTA_PEGAWAI
    ppk = Pegawai.objects.filter(instansi=kab(), jenis_asn="PPPK").count()
    assert 1 <= ppk <= N // 4
    staf = by_nip(demo_plan.NIP_PEGAWAI).user
    visible = Pegawai.objects.visible_to(staf)
    assert visible.count() == N
    assert not visible.filter(instansi=kota).exists()


def test_every_nip_is_valid_unique_and_matches_the_person(output: str) -> None:
    rows = list(Pegawai.objects.values_list("nip", "jenis_asn", "gender", "birth_date"))
    assert len({nip for nip, *_ in rows}) == len(rows)
    for nip, jenis_asn, gender, birth in rows:
        parts = parse_nip(nip) if jenis_asn == "PNS" else parse_ni_pppk(nip)
        assert (parts.gender, parts.birth_date) == (gender, birth), nip
        assert 1 <= parts.sequence <= 999
    assert User.objects.filter(username__in=[r[0] for r in rows]).count() == len(rows)


def test_everyone_holds_one_open_definitif_placement(output: str) -> None:
    open_definitif = Penempatan.objects.filter(kind="DEFINITIF", end_date__isnull=True)
    holders = Counter(open_definitif.values_list("pegawai_id", flat=True))
    assert set(holders) == set(Pegawai.objects.values_list("id", flat=True))
    assert set(holders.values()) == {1}
    for pegawai_id, jabatan_id in open_definitif.values_list("pegawai_id", "jabatan__id"):
        assert Pegawai.objects.get(pk=pegawai_id).jabatan_id == jabatan_id
    ended = Penempatan.objects.filter(end_date__isnull=False)
    assert ended.exists()  # mutasi history
    for placement in ended:
        current = open_definitif.get(pegawai_id=placement.pegawai_id)
        assert placement.end_date is not None
        assert placement.start_date <= placement.end_date < current.start_date
    assert Penempatan.objects.filter(kind="PLT").count() == 1


def test_unit_paths_and_jabatan_tree_are_consistent(output: str) -> None:
    units = {u.pk: u for u in UnitKerja.objects.all()}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else "/"
        assert unit.path == f"{parent_path}{unit.pk}/"
        assert unit.depth == unit.path.count("/") - 2
    for jabatan in Jabatan.objects.select_related("unit", "parent__unit"):
        if jabatan.parent is None:
            assert jabatan.jenis == "JPT" or not jabatan.is_unit_head
            continue
        assert jabatan.parent.is_unit_head
        assert jabatan.unit.path.startswith(jabatan.parent.unit.path)
    heads = Counter(Jabatan.objects.filter(is_unit_head=True).values_list("unit_id", flat=True))
    assert set(heads.values()) == {1}


def test_every_demo_login_works(output: str) -> None:
    # One argon2 hash, shared by every account (logging in below re-hashes with the test
    # settings' MD5 hasher, so look first).
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert hashes.pop().startswith("argon2$")
    logins = demo.demo_logins()
    assert [x.role for x in logins] == [
        "Superadmin",
        "Admin instansi",
        "Auditor",
        "Pimpinan unit",
        "Pejabat penilai",
        "Pegawai",
        "Pegawai PPPK",
        "Pegawai (lapor realisasi)",
    ]
    for login in logins:
        assert login.login in output
        request = RequestFactory().post("/akun/masuk/")
        user = authenticate(request, username=login.login, password=demo.DEFAULT_PASSWORD)
        assert user is not None, login
    assert User.objects.get(username="superadmin").is_superuser
    assert PeranAkses.objects.filter(user__username="admin", role=Peran.ADMIN).exists()
    assert PeranAkses.objects.filter(user__username="auditor", role=Peran.AUDITOR).exists()
    assert by_nip(demo_plan.NIP_PPPK).jenis_asn == "PPPK"
    someone = Pegawai.objects.exclude(nip__in=demo_plan.FIXED_NIPS).order_by("nip").first()
    assert someone is not None
    request = RequestFactory().post("/akun/masuk/")
    assert authenticate(request, username=someone.nip, password=demo.DEFAULT_PASSWORD)


def test_raters_follow_the_demo_structure(output: str) -> None:
    kasi, staf = by_nip(demo_plan.NIP_PENILAI), by_nip(demo_plan.NIP_PEGAWAI)
    kadis = by_nip(demo_plan.NIP_PIMPINAN)
    assert rater_id_for(staf) == kasi.pk
    assert rater_id_for(by_nip(demo_plan.NIP_PPPK)) == kasi.pk
    assert rater_id_for(kasi) == head_of("DINKES-B1").pk
    assert rater_id_for(head_of("DINKES-B1")) == kadis.pk
    assert rater_id_for(kadis) is None  # rated by the Bupati, who is not a pegawai
    assert {staf.pk, by_nip(demo_plan.NIP_PPPK).pk} <= subordinate_ids(kasi)
    # The vacant seksi's staff are rated by the Plt (the kepala bidang above it).
    plt = Penempatan.objects.get(kind="PLT")
    assert plt.jabatan.unit.code == demo_plan.VACANT_SEKSI
    assert plt.pegawai == head_of(demo_plan.PLT_UNIT)
    vacant_staff = Pegawai.objects.filter(
        instansi=kab(), jabatan__unit__code=demo_plan.VACANT_SEKSI
    ).first()
    assert vacant_staff is not None
    assert rater_id_for(vacant_staff) == plt.pegawai_id
    delegasi = DelegasiPenilai.objects.get()
    assert delegasi.rater == head_of(demo_plan.DELEGASI_RATER_UNIT)
    assert rater_id_for(delegasi.pegawai) == delegasi.rater_id


def test_summary_audit_events_in_an_intact_chain(output: str) -> None:
    event = AuditEvent.objects.get(action="seed_demo")
    assert event.scope == kab().pk
    assert event.new_values["pegawai"] == N
    # The second summary event: the SKPs of kinerja.plans.demo.
    others = sorted(AuditEvent.objects.exclude(pk=event.pk).values_list("action", flat=True))
    summaries = [
        "seed_demo_evaluasi", "seed_demo_pengembangan", "seed_demo_realisasi", "seed_demo_skm",
        "seed_demo_skp",
    ]  # fmt: skip
    assert others == sorted(summaries + perubahan_events())
    checked, breaks = verify_chains()
    assert (checked, breaks) == (1 + len(others), [])  # every event, no break


def perubahan_events() -> list[str]:
    """The events of the demo perubahan SKP (written by the services it goes through), when
    this size of demo has a kasi's team member with entries of the running period to revise
    (tests/test_demo.py in progress checks the perubahan itself)."""
    revised = Skp.objects.filter(version=2).first()
    if revised is None:
        return []
    moved = Realisasi.objects.filter(skp=revised).exists()
    return ["iki_update", "skp_approve", "skp_revise", "skp_submit"] + (
        ["realisasi_follow_version"] if moved else []
    )


def test_if_empty_runs_once(db: None) -> None:
    first = seed(if_empty=True)
    counts = (Pegawai.objects.count(), UnitKerja.objects.count(), Penempatan.objects.count())
    second = seed(if_empty=True)
    assert "Data demo sudah ada" not in first
    assert "Data demo sudah ada" in second
    assert demo_plan.NIP_PIMPINAN in second and "kinerja-demo" in second
    assert (Pegawai.objects.count(), UnitKerja.objects.count(), Penempatan.objects.count()) == (
        counts
    )
    # org, SKP, realisasi, evaluation, SKM, development, and those of the demo perubahan SKP
    assert AuditEvent.objects.count() == 6 + len(perubahan_events())
    with pytest.raises(CommandError, match="sudah ada"):
        seed()


def test_a_changed_password_is_not_printed(output: str) -> None:
    user = User.objects.get(username="admin")
    user.set_password("sesuatu-yang-lain-2026")
    user.save()
    table = {x.login: x.password for x in demo.demo_logins()}
    assert table["admin"] == "(sudah diubah)"
    assert table["auditor"] == demo.DEFAULT_PASSWORD


def test_ordinary_inserts_continue_after_the_explicit_ids(output: str) -> None:
    """The loader writes explicit primary keys; the sequences (PostgreSQL) must follow."""
    user = User.objects.create_user("sesudah-demo", "kata-sandi-panjang-2026")
    unit = UnitKerja.objects.create(
        instansi=kab(), code="BARU", name="Unit Baru", kind="LAINNYA", path="/"
    )
    jabatan = Jabatan.objects.create(
        instansi=kab(), unit=unit, code="BARU-1", name="Pengadministrasi", jenis="PELAKSANA"
    )
    pegawai = Pegawai.objects.create(
        instansi=kab(),
        user=user,
        jenis_asn="PNS",
        nip="199001012015011999",
        name="Baru",
        gender="L",
        birth_date="1990-01-01",
        jabatan=jabatan,
    )
    assert user.pk > User.objects.exclude(pk=user.pk).order_by("-pk").values_list("pk")[0][0]
    assert pegawai.pk and unit.pk and jabatan.pk
