"""Umpan balik 360 as stories with the named cast, extended by two more staff in the seksi
(staf_c, staf_d): kabid rates kasi, whose direct reports are the four staff; kasi rates staf_a,
whose peers are staf_b, staf_c and staf_d.

The anonymity promise is checked on every surface the rated pegawai can reach: the 360 page,
the evaluation's API and the reviewer-facing pages they might guess at.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.notify.models import Notification
from kinerja.org import services as org
from kinerja.org.models import Pegawai
from kinerja.org.placement_services import penempatan_assign
from kinerja.org.testing import PASSWORD, START, Cast, make_nip

from .. import queries_360, services, services_360
from ..models import Evaluasi, Jawaban360, Penilai360
from ..testing import evaluation, evaluation_day, on_day

ALL_SESUAI = dict.fromkeys(range(1, 8), "SESUAI")
COMMENTS = {
    "staf_a": "Pak Agus selalu terlambat rapat pagi",
    "staf_b": "Sangat membantu saat posyandu",
    "staf_c": "Perlu lebih sabar dengan pengunjung",
    "staf_d": "",
}


def _staff(cast: Cast, seq: int, name: str) -> Pegawai:
    pegawai = org.pegawai_save(
        by=cast.superadmin,
        instansi=cast.kab,
        values={
            "nip": make_nip("19900202", "201501", "1", seq),
            "jenis_asn": "PNS",
            "name": name,
            "pangkat_golongan": "Pengatur (II/c)",
            "email": f"p{seq}@contoh.go.id",
            "phone": f"0813000{seq:05d}",
        },
    )
    assert pegawai.user is not None
    pegawai.user.set_password(PASSWORD)
    pegawai.user.save(update_fields=["password"])
    penempatan_assign(by=cast.superadmin, pegawai=pegawai, jabatan=cast.j_staf, start_date=START)
    pegawai.refresh_from_db()
    return pegawai


@pytest.fixture
def team(cast: Cast) -> dict[str, Pegawai]:
    people = {
        "staf_a": cast.staf_a,
        "staf_b": cast.staf_b,
        "staf_c": _staff(cast, 41, "Citra Kirana"),
        "staf_d": _staff(cast, 42, "Dodi Permana"),
    }
    return people


@pytest.fixture
def ev_kasi(cast: Cast, team: dict[str, Pegawai]) -> Evaluasi:
    """kasi's draft evaluation of TRIWULAN II, rated by kabid."""
    return evaluation(cast, "kasi", 2, perilaku="SESUAI", capaian_predikat="BAIK")


@pytest.fixture
def ev_staf(cast: Cast, team: dict[str, Pegawai]) -> Evaluasi:
    """staf_a's draft evaluation of TRIWULAN II, rated by kasi."""
    return evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")


def user_of(pegawai: Pegawai) -> Any:
    assert pegawai.user is not None
    return pegawai.user


def ask_all(cast: Cast, evaluasi: Evaluasi, rater: str) -> list[Penilai360]:
    return services_360.penilai360_request(by=cast.user(rater), evaluasi=evaluasi)


def answer(
    team: dict[str, Pegawai], evaluasi: Evaluasi, who: str, ratings: dict[int, str] | None = None
) -> Penilai360:
    item = Penilai360.objects.get(evaluasi=evaluasi, reviewer=team[who])
    return services_360.penilai360_answer(
        by=user_of(team[who]), penilai=item, ratings=ratings or ALL_SESUAI, comment=COMMENTS[who]
    )


def finalize(cast: Cast, evaluasi: Evaluasi, rater: str) -> None:
    with on_day(evaluation_day(evaluasi.skp, evaluasi.period)):
        services.evaluasi_finalize(by=cast.user(rater), evaluasi=evaluasi)


# --- who may be asked -------------------------------------------------------------------


def test_the_rule_asks_every_direct_report(
    cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    created = ask_all(cast, ev_kasi, "kabid")
    assert {(p.reviewer_id, p.relation) for p in created} == {(team[n].pk, "BAWAHAN") for n in team}
    assert all(p.requested_by_id == cast.user("kabid").pk for p in created)
    # each reviewer is told, with a link to the answer form
    for name in team:
        note = Notification.objects.get(user=user_of(team[name]), kind="umpan_balik_360")
        assert cast.kasi.display_name in note.title
        assert note.url == reverse(
            "assessments:360_answer",
            args=[Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team[name]).pk],
        )
    event = AuditEvent.objects.get(action="penilai360_request")
    assert event.new_values["by_rule"] is True
    assert len(event.new_values["reviewers"]) == 4
    # applying the rule again asks nobody new
    assert ask_all(cast, ev_kasi, "kabid") == []
    assert Penilai360.objects.filter(evaluasi=ev_kasi).count() == 4


def test_the_rule_asks_same_unit_peers_but_never_the_rater_or_the_rated(
    cast: Cast, team: dict[str, Pegawai], ev_staf: Evaluasi
) -> None:
    created = ask_all(cast, ev_staf, "kasi")
    assert sorted(p.reviewer_id for p in created) == sorted(
        team[n].pk for n in ("staf_b", "staf_c", "staf_d")
    )
    assert {p.relation for p in created} == {"REKAN"}


def test_explicit_reviewers(cast: Cast, team: dict[str, Pegawai], ev_staf: Evaluasi) -> None:
    by = cast.user("kasi")
    created = services_360.penilai360_request(
        by=by, evaluasi=ev_staf, reviewers=[team["staf_b"], team["staf_b"]]
    )
    assert [p.reviewer_id for p in created] == [team["staf_b"].pk]
    again = services_360.penilai360_request(
        by=by, evaluasi=ev_staf, reviewers=[team["staf_b"], team["staf_c"]]
    )
    assert [p.reviewer_id for p in again] == [team["staf_c"].pk]


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("staf_a", "dirinya sendiri"),
        ("kasi", "Pejabat penilai tidak perlu"),
        ("perawat", "bukan rekan kerja satu unit atau bawahan langsung"),  # another unit
        ("outsider", "bukan rekan kerja satu unit atau bawahan langsung"),  # another instansi
        ("kabid", "bukan rekan kerja satu unit atau bawahan langsung"),  # the rater's rater
    ],
)
def test_explicit_reviewers_outside_the_rule_are_refused(
    cast: Cast, ev_staf: Evaluasi, who: str, message: str
) -> None:
    with pytest.raises(ServiceError, match=message) as caught:
        services_360.penilai360_request(
            by=cast.user("kasi"), evaluasi=ev_staf, reviewers=[getattr(cast, who)]
        )
    assert caught.value.field == "reviewer_ids"
    assert not Penilai360.objects.exists()


def test_a_pegawai_without_an_active_account_cannot_be_asked(
    cast: Cast, team: dict[str, Pegawai], ev_staf: Evaluasi
) -> None:
    account = user_of(team["staf_d"])
    account.is_active = False
    account.save(update_fields=["is_active"])
    assert team["staf_d"].pk not in {c.pegawai.pk for c in services_360.candidates(ev_staf)}
    with pytest.raises(ServiceError, match="akun aktif"):
        services_360.penilai360_request(
            by=cast.user("kasi"), evaluasi=ev_staf, reviewers=[team["staf_d"]]
        )


def test_no_reviewers_at_all(cast: Cast, ev_staf: Evaluasi) -> None:
    with pytest.raises(ServiceError, match="paling sedikit satu"):
        services_360.penilai360_request(by=cast.user("kasi"), evaluasi=ev_staf, reviewers=[])


def test_the_rule_with_nobody_eligible(cast: Cast) -> None:
    # perawat works alone in the puskesmas under kapus and rates nobody
    evaluasi = evaluation(cast, "perawat", 2, "SESUAI", "SESUAI")
    with pytest.raises(ServiceError, match="Tidak ada rekan kerja"):
        ask_all(cast, evaluasi, "kapus")


@pytest.mark.parametrize("who", ["kadis", "staf_a", "staf_b", "admin", "auditor", "superadmin"])
def test_only_the_rater_asks(cast: Cast, ev_staf: Evaluasi, who: str) -> None:
    with pytest.raises(Refused, match="Hanya Pejabat Penilai Kinerja"):
        services_360.penilai360_request(by=cast.user(who), evaluasi=ev_staf)


def test_no_request_on_a_final_evaluation(cast: Cast, ev_staf: Evaluasi) -> None:
    finalize(cast, ev_staf, "kasi")
    with pytest.raises(Conflict, match="sudah final"):
        ask_all(cast, ev_staf, "kasi")


# --- answering --------------------------------------------------------------------------


def test_the_reviewer_answers_once(cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi) -> None:
    ask_all(cast, ev_kasi, "kabid")
    done = answer(team, ev_kasi, "staf_a", {**ALL_SESUAI, 3: "DI_ATAS", 7: "DI_BAWAH"})
    assert done.answered_at is not None
    assert done.comment == COMMENTS["staf_a"]
    assert dict(Jawaban360.objects.filter(penilai=done).values_list("core_value", "rating")) == {
        **ALL_SESUAI, 3: "DI_ATAS", 7: "DI_BAWAH"
    }  # fmt: skip
    event = AuditEvent.objects.get(action="penilai360_answer")
    assert event.new_values == {"evaluasi_id": ev_kasi.pk, "answered": True}  # no content
    with pytest.raises(Conflict, match="sudah Anda jawab"):
        answer(team, ev_kasi, "staf_a")
    assert Jawaban360.objects.filter(penilai=done).count() == 7


@pytest.mark.parametrize("who", ["staf_b", "kabid", "kasi", "admin"])
def test_only_the_reviewer_answers(
    cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi, who: str
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    item = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_a"])
    with pytest.raises(Refused, match="Hanya pegawai yang dimintai"):
        services_360.penilai360_answer(by=cast.user(who), penilai=item, ratings=ALL_SESUAI)
    assert not Jawaban360.objects.exists()


@pytest.mark.parametrize(
    ("ratings", "message", "field"),
    [
        ({k: v for k, v in ALL_SESUAI.items() if k != 4}, "belum: 4", "ratings.4"),
        ({}, "belum: 1, 2, 3, 4, 5, 6, 7", "ratings.1"),
        ({**ALL_SESUAI, 2: ""}, "belum: 2", "ratings.2"),
        ({**ALL_SESUAI, 5: "BAIK"}, "Pilih Di Atas", "ratings.5"),
        ({**ALL_SESUAI, 8: "SESUAI"}, "1 sampai 7", "ratings"),
    ],
)
def test_all_seven_values_are_required(
    cast: Cast,
    team: dict[str, Pegawai],
    ev_kasi: Evaluasi,
    ratings: dict[int, str],
    message: str,
    field: str,
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    item = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_a"])
    with pytest.raises(ServiceError, match=message) as caught:
        services_360.penilai360_answer(by=user_of(team["staf_a"]), penilai=item, ratings=ratings)
    assert caught.value.field == field
    item.refresh_from_db()
    assert item.answered_at is None and not Jawaban360.objects.exists()


def test_comment_length(cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi) -> None:
    ask_all(cast, ev_kasi, "kabid")
    item = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_a"])
    with pytest.raises(ServiceError, match="paling panjang 2000"):
        services_360.penilai360_answer(
            by=user_of(team["staf_a"]), penilai=item, ratings=ALL_SESUAI, comment="x" * 2001
        )


def test_no_answer_after_the_evaluation_is_final(
    cast: Cast, team: dict[str, Pegawai], ev_staf: Evaluasi
) -> None:
    ask_all(cast, ev_staf, "kasi")
    finalize(cast, ev_staf, "kasi")
    with pytest.raises(Conflict, match="sudah ditutup"):
        answer(team, ev_staf, "staf_b")


def test_withdraw_an_unanswered_request(
    cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    answer(team, ev_kasi, "staf_a")
    open_item = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_b"])
    with pytest.raises(Refused):
        services_360.penilai360_withdraw(by=cast.user("kasi"), penilai=open_item)
    services_360.penilai360_withdraw(by=cast.user("kabid"), penilai=open_item)
    assert not Penilai360.objects.filter(pk=open_item.pk).exists()
    assert AuditEvent.objects.filter(action="penilai360_withdraw").count() == 1
    answered = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_a"])
    with pytest.raises(Conflict, match="sudah dijawab"):
        services_360.penilai360_withdraw(by=cast.user("kabid"), penilai=answered)


# --- what each reader sees --------------------------------------------------------------


def test_the_rated_pegawai_sees_nothing_below_three_answers(
    cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    answer(team, ev_kasi, "staf_a")
    answer(team, ev_kasi, "staf_b")
    mine = queries_360.summary_360(cast.user("kasi"), ev_kasi)
    assert (mine.full, mine.visible, mine.answered, mine.asked) == (False, False, None, None)
    assert mine.values == [] and mine.reviewers == [] and mine.comments == []
    rater = queries_360.summary_360(cast.user("kabid"), ev_kasi)
    assert (rater.full, rater.visible, rater.answered, rater.asked) == (True, True, 2, 4)
    assert [r.name for r in rater.owed] == sorted(
        [team["staf_c"].display_name, team["staf_d"].display_name]
    )
    assert rater.comments == sorted([COMMENTS["staf_a"], COMMENTS["staf_b"]])
    assert rater.values[0].sesuai == 2


def test_the_rated_pegawai_sees_only_the_aggregate_from_three(
    cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    answer(team, ev_kasi, "staf_a", {**ALL_SESUAI, 1: "DI_BAWAH"})
    answer(team, ev_kasi, "staf_b", {**ALL_SESUAI, 1: "DI_ATAS"})
    answer(team, ev_kasi, "staf_c")
    mine = queries_360.summary_360(cast.user("kasi"), ev_kasi)
    assert (mine.full, mine.visible, mine.answered) == (False, True, 3)
    assert [(v.code, v.di_atas, v.sesuai, v.di_bawah) for v in mine.values[:2]] == [
        (1, 1, 1, 1),
        (2, 0, 3, 0),
    ]
    assert mine.reviewers == [] and mine.comments == []


def test_the_rated_pegawai_stays_restricted_whatever_other_role(
    cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    org.peran_grant(by=cast.superadmin, user=cast.user("kasi"), instansi=cast.kab, role="ADMIN")
    ask_all(cast, ev_kasi, "kabid")
    answer(team, ev_kasi, "staf_a")
    kasi = Pegawai.objects.get(pk=cast.kasi.pk)
    mine = queries_360.summary_360(user_of(kasi), ev_kasi)
    assert not mine.full and not mine.visible and mine.reviewers == []


@pytest.mark.parametrize("who", ["kadis", "admin", "auditor"])
def test_other_readers_see_the_full_panel(
    cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi, who: str
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    answer(team, ev_kasi, "staf_b")
    found = queries_360.summary_360(cast.user(who), ev_kasi)
    assert found.full and found.answered == 1 and len(found.reviewers) == 4


def test_summary_queries_do_not_grow(
    cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi, django_assert_num_queries: Any
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    for who in team:
        answer(team, ev_kasi, who)
    rater, rated = cast.user("kabid"), cast.user("kasi")
    queries_360.summary_360(rater, ev_kasi)  # warms the access cache
    queries_360.summary_360(rated, ev_kasi)
    with django_assert_num_queries(2):
        queries_360.summary_360(rater, ev_kasi)
    with django_assert_num_queries(1):
        queries_360.summary_360(rated, ev_kasi)


# --- pages ------------------------------------------------------------------------------


def login_as(client: Client, pegawai: Pegawai) -> Client:
    client.force_login(user_of(pegawai))
    return client


def test_inbox_and_answer_form(
    client: Client,
    cast: Cast,
    team: dict[str, Pegawai],
    ev_kasi: Evaluasi,
    ev_staf: Evaluasi,
    django_assert_num_queries: Any,
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    ask_all(cast, ev_staf, "kasi")
    login_as(client, team["staf_b"])
    client.get(reverse("assessments:360_inbox"))
    # session, user, access (3), the requests, the cadence of their year, the unread badge
    with django_assert_num_queries(8):
        page = client.get(reverse("assessments:360_inbox"))
    text = page.content.decode()
    assert "Umpan balik 360 yang diminta" in text
    assert cast.kasi.display_name in text and cast.staf_a.display_name in text
    item = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_b"])
    url = reverse("assessments:360_answer", args=[item.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Berorientasi Pelayanan" in form.content.decode()
    incomplete = {f"nilai_{k}": "SESUAI" for k in range(1, 7)}
    bad = client.post(url, incomplete)
    assert bad.status_code == 400
    assert "Pilih penilaian untuk nilai ini." in bad.content.decode()
    done = client.post(url, {**incomplete, "nilai_7": "DI_ATAS", "comment": "Rajin"})
    assert done.status_code == 302 and done["Location"] == reverse("assessments:360_inbox")
    item.refresh_from_db()
    assert item.answered_at is not None and item.comment == "Rajin"
    assert "Sudah dijawab" in client.get(reverse("assessments:360_inbox")).content.decode()
    # nobody else reaches this request, not even the rater or the rated pegawai
    for other in (cast.kabid, cast.kasi, team["staf_a"]):
        login_as(client, other)
        assert client.get(url).status_code == 404


def test_rater_panel_requests_and_shows_completeness(
    client: Client, cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    login_as(client, cast.kabid)
    url = reverse("assessments:360_panel", args=[ev_kasi.pk])
    page = client.get(url).content.decode()
    assert "Terapkan aturan" in page and team["staf_c"].display_name in page
    picked = client.post(
        reverse("assessments:360_request", args=[ev_kasi.pk]),
        {"reviewer": [team["staf_a"].pk, team["staf_b"].pk]},
    )
    assert picked.status_code == 302
    assert Penilai360.objects.filter(evaluasi=ev_kasi).count() == 2
    outside = client.post(
        reverse("assessments:360_request", args=[ev_kasi.pk]), {"reviewer": [cast.perawat.pk]}
    )
    assert outside.status_code == 302
    assert Penilai360.objects.filter(evaluasi=ev_kasi).count() == 2
    client.post(reverse("assessments:360_request", args=[ev_kasi.pk]), {"rule": "1"})
    assert Penilai360.objects.filter(evaluasi=ev_kasi).count() == 4
    answer(team, ev_kasi, "staf_a")
    page = client.get(url).content.decode()
    assert "1 dari 4 penilai sudah menjawab" in page
    assert COMMENTS["staf_a"] in page and "belum menjawab" in page
    open_item = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_d"])
    client.post(reverse("assessments:360_withdraw", args=[open_item.pk]))
    assert not Penilai360.objects.filter(pk=open_item.pk).exists()


def test_panel_queries(
    client: Client,
    cast: Cast,
    team: dict[str, Pegawai],
    ev_kasi: Evaluasi,
    django_assert_max_num_queries: Any,
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    for who in team:
        answer(team, ev_kasi, who)
    login_as(client, cast.kasi)
    url = reverse("assessments:360_panel", args=[ev_kasi.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_rated_pegawai_page_never_shows_names_or_comments(
    client: Client, cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    answer(team, ev_kasi, "staf_a")
    answer(team, ev_kasi, "staf_b")
    login_as(client, cast.kasi)
    url = reverse("assessments:360_panel", args=[ev_kasi.pk])
    two = client.get(url).content.decode()
    assert "paling sedikit 3 orang menjawab" in two
    assert "rekap-360" not in two and "Terapkan aturan" not in two
    answer(team, ev_kasi, "staf_c")
    three = client.get(url).content.decode()
    assert "Rekap dari 3 jawaban" in three and "rekap-360" in three
    for text in (two, three):
        for name in team:
            assert team[name].display_name not in text
        for comment in COMMENTS.values():
            if comment:
                assert comment not in text
    # a request id the rated pegawai guesses stays closed
    item = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_a"])
    assert client.get(reverse("assessments:360_answer", args=[item.pk])).status_code == 404
    assert client.post(reverse("assessments:360_withdraw", args=[item.pk])).status_code == 403


def test_panel_is_hidden_from_those_who_cannot_read_the_evaluation(
    client: Client, cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    url = reverse("assessments:360_panel", args=[ev_kasi.pk])
    for who in (team["staf_a"], cast.perawat, cast.outsider):
        login_as(client, who)
        assert client.get(url).status_code == 404
    login_as(client, team["staf_a"])
    post = client.post(reverse("assessments:360_request", args=[ev_kasi.pk]), {"rule": "1"})
    assert post.status_code == 404


def test_panel_request_by_a_non_rater_is_forbidden(
    client: Client, cast: Cast, ev_kasi: Evaluasi
) -> None:
    client.force_login(cast.user("admin"))
    post = client.post(reverse("assessments:360_request", args=[ev_kasi.pk]), {"rule": "1"})
    assert post.status_code == 403
    assert not Penilai360.objects.exists()


# --- API --------------------------------------------------------------------------------

API = "/api/v1"


def api_path(path: str) -> str:
    return reverse("api:api-root") + path.lstrip("/")


def test_api_request_answer_and_summary(
    client: Client, cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    login_as(client, cast.kabid)
    base = api_path(f"penilaian/evaluasi/{ev_kasi.pk}/360")
    listed = client.get(base + "/kandidat").json()
    assert {c["pegawai_id"] for c in listed} == {p.pk for p in team.values()}
    made = client.post(
        base + "/penilai", {"reviewer_ids": [team["staf_a"].pk]}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()[0]["relation"] == "BAWAHAN"
    outside = client.post(
        base + "/penilai", {"reviewer_ids": [cast.perawat.pk]}, content_type="application/json"
    )
    assert outside.status_code == 400 and outside.json()["errors"][0]["field"] == "reviewer_ids"
    unknown = client.post(
        base + "/penilai", {"reviewer_ids": [999999]}, content_type="application/json"
    )
    assert unknown.status_code == 404
    rule = client.post(base + "/penilai", {}, content_type="application/json")
    assert rule.status_code == 201 and len(rule.json()) == 3

    inbox = api_path("penilaian/360/permintaan")
    for who in ("staf_a", "staf_b", "staf_c"):
        login_as(client, team[who])
        [mine] = client.get(inbox).json()
        url = api_path(f"penilaian/360/permintaan/{mine['id']}/jawaban")
        missing = client.post(url, {"ratings": {"1": "SESUAI"}}, content_type="application/json")
        assert missing.status_code == 400 and missing.json()["code"] == "invalid"
        wrong = client.post(url, {"ratings": {"1": "BAGUS"}}, content_type="application/json")
        assert wrong.status_code == 422
        ok = client.post(
            url,
            {"ratings": {str(k): "DI_ATAS" for k in range(1, 8)}, "comment": COMMENTS[who]},
            content_type="application/json",
        )
        assert ok.status_code == 200 and ok.json()["answered_at"]
        twice = client.post(
            url, {"ratings": {str(k): "DI_ATAS" for k in range(1, 8)}},
            content_type="application/json",
        )  # fmt: skip
        assert twice.status_code == 409

    login_as(client, cast.kasi)
    body = client.get(base).json()
    assert body["view"] == "pegawai" and body["visible"] and body["answered"] == 3
    assert body["reviewers"] == [] and body["comments"] == []
    assert body["values"][0]["di_atas"] == 3
    raw = client.get(base).content.decode()
    for who in team:
        assert team[who].display_name not in raw
    assert all(c not in raw for c in COMMENTS.values() if c)
    assert client.get(base + "/kandidat").status_code == 403
    login_as(client, cast.kabid)
    full = client.get(base).json()
    assert full["view"] == "penilai" and full["asked"] == 4 and len(full["comments"]) == 3


def test_api_rated_pegawai_below_three_and_strangers(
    client: Client, cast: Cast, team: dict[str, Pegawai], ev_kasi: Evaluasi
) -> None:
    ask_all(cast, ev_kasi, "kabid")
    answer(team, ev_kasi, "staf_a")
    base = api_path(f"penilaian/evaluasi/{ev_kasi.pk}/360")
    login_as(client, cast.kasi)
    body = client.get(base).json()
    assert body == {
        "view": "pegawai", "visible": False, "answered": None, "asked": None, "values": [],
        "reviewers": [], "comments": [],
    }  # fmt: skip
    # someone else's request: 404 for the answer and the withdrawal
    item = Penilai360.objects.get(evaluasi=ev_kasi, reviewer=team["staf_b"])
    answer_url = api_path(f"penilaian/360/permintaan/{item.pk}/jawaban")
    rated = client.post(answer_url, {"ratings": ALL_SESUAI}, content_type="application/json")
    assert rated.status_code == 404
    assert client.delete(api_path(f"penilaian/360/penilai/{item.pk}")).status_code == 403
    login_as(client, cast.outsider)
    assert client.get(base).status_code == 404
    assert client.delete(api_path(f"penilaian/360/penilai/{item.pk}")).status_code == 404
    login_as(client, cast.kabid)
    assert client.delete(api_path(f"penilaian/360/penilai/{item.pk}")).status_code == 204
