"""Keberatan as stories with the named cast: kasi rates staf_a (Baik, final); kabid, kasi's own
pejabat penilai, decides staf_a's keberatan. kadis rates kabid and has no rater, so a keberatan
of kabid has nobody to decide it. kasi is a unit head: his Rating Hasil Kerja comes from the
capaian of his seksi, so a keberatan can change only his perilaku rating.

"Today" is pinned through guards.today relative to the local date the predicate was issued."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.notify.models import Notification
from kinerja.org.testing import Cast

from .. import guards
from .. import services_keberatan as services
from ..models import Evaluasi, Keberatan, PengaturanPenilaian
from ..testing import evaluation


@pytest.fixture
def final_staf(cast: Cast) -> Evaluasi:
    return evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI", finalize=True)


def issued(evaluasi: Evaluasi) -> date:
    day = services.issued_on(evaluasi)
    assert day is not None
    return day


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch, final_staf: Evaluasi) -> Any:
    """day(n) pins today to n days after staf_a's predicate was issued."""

    def _set(n: int) -> date:
        today = issued(final_staf) + timedelta(days=n)
        monkeypatch.setattr(guards, "today", lambda: today)
        return today

    return _set


def file(cast: Cast, evaluasi: Evaluasi, who: str = "staf_a") -> Keberatan:
    return services.keberatan_file(
        by=cast.user(who), evaluasi=evaluasi, reason="Target posyandu tercapai 120 %"
    )


def explained(cast: Cast, item: Keberatan, decider: str = "kabid") -> Keberatan:
    return services.keberatan_explain(
        by=cast.user(decider),
        keberatan=item,
        penjelasan_pegawai="Bukti laporan terlampir di realisasi",
        penjelasan_penilai="Kualitas laporan belum sesuai",
    )


# --- filing -----------------------------------------------------------------------------


def test_the_rated_pegawai_files_and_the_atasan_of_the_rater_decides(
    cast: Cast, final_staf: Evaluasi, day: Any
) -> None:
    day(0)
    item = file(cast, final_staf)
    assert (item.decider_id, item.status, item.predikat_before) == (
        cast.kabid.pk,
        "DIAJUKAN",
        "BAIK",
    )
    assert Notification.objects.filter(user=cast.user("kabid"), kind="keberatan").count() == 1
    assert Notification.objects.filter(user=cast.user("kasi"), kind="keberatan").count() == 1
    event = AuditEvent.objects.get(action="keberatan_file")
    assert event.new_values["decider_id"] == cast.kabid.pk
    # the decider may read the evaluation while the keberatan is theirs
    assert Evaluasi.objects.visible_to(cast.user("kabid")).filter(pk=final_staf.pk).exists()


@pytest.mark.parametrize(("n", "ok"), [(0, True), (13, True), (14, True), (15, False)])
def test_the_window_is_fourteen_days(
    cast: Cast, final_staf: Evaluasi, day: Any, n: int, ok: bool
) -> None:
    day(n)
    if ok:
        assert file(cast, final_staf).pk
        return
    deadline = issued(final_staf) + timedelta(days=14)
    with pytest.raises(Conflict, match=f"paling lambat {deadline:%d-%m-%Y}"):
        file(cast, final_staf)
    assert not Keberatan.objects.exists()


def test_the_window_is_configurable(cast: Cast, final_staf: Evaluasi, day: Any) -> None:
    PengaturanPenilaian.objects.create(instansi=cast.kab, keberatan_days=3)
    assert services.deadline_of(final_staf) == issued(final_staf) + timedelta(days=3)
    day(4)
    with pytest.raises(Conflict, match=r"\(3 hari sejak"):
        file(cast, final_staf)
    day(3)
    assert file(cast, final_staf).pk


def test_nothing_before_the_predicate_is_issued(cast: Cast, final_staf: Evaluasi, day: Any) -> None:
    day(-1)
    with pytest.raises(Conflict, match="Batas waktu keberatan"):
        file(cast, final_staf)


@pytest.mark.parametrize("who", ["kasi", "kabid", "staf_b", "admin", "auditor"])
def test_only_the_rated_pegawai_files(cast: Cast, final_staf: Evaluasi, day: Any, who: str) -> None:
    day(1)
    with pytest.raises(Refused, match="Hanya pegawai yang dinilai"):
        file(cast, final_staf, who)


def test_only_on_a_final_evaluation(cast: Cast) -> None:
    draft = evaluation(cast, "staf_b", 2, "SESUAI", "SESUAI")
    with pytest.raises(Conflict, match="sudah final"):
        file(cast, draft, "staf_b")
    assert services.deadline_of(draft) is None


def test_only_once(cast: Cast, final_staf: Evaluasi, day: Any) -> None:
    day(1)
    file(cast, final_staf)
    with pytest.raises(Conflict, match="hanya sekali"):
        file(cast, final_staf)


def test_a_reason_is_required(cast: Cast, final_staf: Evaluasi, day: Any) -> None:
    day(1)
    with pytest.raises(ServiceError, match="Alasan keberatan wajib diisi") as caught:
        services.keberatan_file(by=cast.user("staf_a"), evaluasi=final_staf, reason="  ")
    assert caught.value.field == "reason"


def test_refused_when_the_rater_has_no_atasan(cast: Cast) -> None:
    kabid = evaluation(cast, "kabid", 2, perilaku="SESUAI", capaian_predikat="BAIK", finalize=True)
    with pytest.raises(Conflict, match="tidak memiliki atasan"):
        file(cast, kabid, "kabid")
    assert not Keberatan.objects.exists()


# --- explanations and decision ------------------------------------------------------------


@pytest.fixture
def filed(cast: Cast, final_staf: Evaluasi, day: Any) -> Keberatan:
    day(2)
    return file(cast, final_staf)


@pytest.mark.parametrize("who", ["kasi", "staf_a", "kadis", "admin"])
def test_only_the_decider_explains_and_decides(cast: Cast, filed: Keberatan, who: str) -> None:
    with pytest.raises(Refused, match="Hanya atasan pejabat penilai"):
        explained(cast, filed, who)
    with pytest.raises(Refused, match="Hanya atasan pejabat penilai"):
        services.keberatan_decide(
            by=cast.user(who), keberatan=filed, outcome="DIPERTAHANKAN", reason="Sesuai"
        )


def test_both_explanations_before_the_decision(cast: Cast, filed: Keberatan) -> None:
    kabid = cast.user("kabid")
    with pytest.raises(ServiceError, match="Isi penjelasan"):
        services.keberatan_explain(
            by=kabid, keberatan=filed, penjelasan_pegawai=" ", penjelasan_penilai=""
        )
    services.keberatan_explain(
        by=kabid, keberatan=filed, penjelasan_pegawai="Sudah lengkap", penjelasan_penilai=""
    )
    with pytest.raises(Conflict, match="Catat dulu penjelasan"):
        services.keberatan_decide(
            by=kabid, keberatan=filed, outcome="DIPERTAHANKAN", reason="Sesuai"
        )
    services.keberatan_explain(
        by=kabid, keberatan=filed, penjelasan_pegawai="", penjelasan_penilai="Belum sesuai"
    )
    filed.refresh_from_db()
    assert (filed.penjelasan_pegawai, filed.penjelasan_penilai) == ("Sudah lengkap", "Belum sesuai")
    assert AuditEvent.objects.filter(action="keberatan_explain").count() == 2


def test_upheld_is_final(cast: Cast, filed: Keberatan, final_staf: Evaluasi) -> None:
    explained(cast, filed)
    done = services.keberatan_decide(
        by=cast.user("kabid"), keberatan=filed, outcome="DIPERTAHANKAN", reason="Bukti kurang"
    )
    assert (done.status, done.predikat_after, done.decision_reason) == (
        "DIPERTAHANKAN",
        "BAIK",
        "Bukti kurang",
    )
    assert done.decided_at is not None
    final_staf.refresh_from_db()
    assert (final_staf.predikat, final_staf.rating_hasil) == ("BAIK", "SESUAI")
    assert Notification.objects.filter(user=cast.user("staf_a"), kind="keberatan").exists()
    with pytest.raises(Conflict, match="bersifat final"):
        services.keberatan_decide(
            by=cast.user("kabid"), keberatan=filed, outcome="DIUBAH", reason="Ralat",
            rating_hasil="DI_ATAS", rating_perilaku="DI_ATAS",
        )  # fmt: skip
    with pytest.raises(Conflict, match="bersifat final"):
        explained(cast, filed)


def test_changed_updates_the_predikat(cast: Cast, filed: Keberatan, final_staf: Evaluasi) -> None:
    explained(cast, filed)
    done = services.keberatan_decide(
        by=cast.user("kabid"), keberatan=filed, outcome="DIUBAH", reason="Bukti kuat",
        rating_hasil="DI_ATAS", rating_perilaku="DI_ATAS",
    )  # fmt: skip
    assert (done.status, done.predikat_after) == ("DIUBAH", "SANGAT_BAIK")
    assert (done.new_rating_hasil, done.new_rating_perilaku) == ("DI_ATAS", "DI_ATAS")
    final_staf.refresh_from_db()
    assert (final_staf.predikat, final_staf.predikat_penilai) == ("SANGAT_BAIK", "BAIK")
    assert final_staf.status == "FINAL"
    event = AuditEvent.objects.get(action="evaluasi_keberatan")
    assert event.old_values["predikat"] == "BAIK" and event.new_values["predikat"] == "SANGAT_BAIK"
    note = Notification.objects.filter(user=cast.user("staf_a"), kind="keberatan").get()
    assert "Sangat Baik" in note.title


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"outcome": "DIUBAH", "rating_hasil": "SESUAI", "rating_perilaku": "DI_ATAS"}, "sama"),
        ({"outcome": "DIUBAH", "rating_hasil": "DI_ATAS"}, "rating perilaku"),
        ({"outcome": "DIUBAH", "rating_hasil": "BAGUS", "rating_perilaku": "SESUAI"}, "hasil"),
        ({"outcome": "BATAL"}, "Pilih keputusan"),
        ({"outcome": "DIPERTAHANKAN", "reason": " "}, "Alasan keputusan wajib"),
    ],
)
def test_bad_decisions_are_refused(
    cast: Cast, filed: Keberatan, final_staf: Evaluasi, values: dict[str, str], message: str
) -> None:
    explained(cast, filed)
    with pytest.raises(ServiceError, match=message):
        services.keberatan_decide(
            by=cast.user("kabid"), keberatan=filed, **({"reason": "Alasan"} | values)
        )
    filed.refresh_from_db()
    final_staf.refresh_from_db()
    assert filed.status == "DIAJUKAN" and final_staf.predikat == "BAIK"


def test_a_unit_heads_hasil_stays_the_capaian(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    kasi = evaluation(cast, "kasi", 2, perilaku="DI_BAWAH", capaian_predikat="BAIK", finalize=True)
    assert kasi.predikat == "KURANG"
    monkeypatch.setattr(guards, "today", lambda: issued(kasi))
    item = file(cast, kasi, "kasi")
    assert item.decider_id == cast.kadis.pk
    explained(cast, item, "kadis")
    with pytest.raises(ServiceError, match="mengikuti capaian") as caught:
        services.keberatan_decide(
            by=cast.user("kadis"), keberatan=item, outcome="DIUBAH", reason="Perilaku baik",
            rating_hasil="DI_ATAS", rating_perilaku="SESUAI",
        )  # fmt: skip
    assert caught.value.field == "rating_hasil"
    done = services.keberatan_decide(
        by=cast.user("kadis"), keberatan=item, outcome="DIUBAH", reason="Perilaku baik",
        rating_perilaku="SESUAI",
    )  # fmt: skip
    assert (done.new_rating_hasil, done.predikat_after) == ("SESUAI", "BAIK")


# --- pages ------------------------------------------------------------------------------


def test_appeal_page(client: Client, cast: Cast, final_staf: Evaluasi, day: Any) -> None:
    day(14)
    url = reverse("assessments:keberatan_file", args=[final_staf.pk])
    client.force_login(cast.user("staf_a"))
    page = client.get(url).content.decode()
    assert "ajukan-keberatan" in page
    assert (issued(final_staf) + timedelta(days=14)).strftime("%d-%m-%Y") in page
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and not Keberatan.objects.exists()
    done = client.post(url, {"reason": "Target tercapai"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "Menunggu keputusan" in page and "ajukan-keberatan" not in page
    # the rater sees the status, never a form
    client.force_login(cast.user("kasi"))
    page = client.get(url).content.decode()
    assert "Target tercapai" in page and "ajukan-keberatan" not in page
    # strangers do not see it at all
    for who in ("staf_b", "outsider"):
        client.force_login(cast.user(who))
        assert client.get(url).status_code == 404


def test_appeal_page_after_the_deadline(
    client: Client, cast: Cast, final_staf: Evaluasi, day: Any
) -> None:
    day(15)
    url = reverse("assessments:keberatan_file", args=[final_staf.pk])
    client.force_login(cast.user("staf_a"))
    assert "sudah lewat" in client.get(url).content.decode()
    late = client.post(url, {"reason": "Terlambat"})
    assert late.status_code == 400 and "paling lambat" in late.content.decode()


def test_appeal_page_by_someone_else_is_forbidden(
    client: Client, cast: Cast, final_staf: Evaluasi, day: Any
) -> None:
    day(1)
    client.force_login(cast.user("kasi"))
    url = reverse("assessments:keberatan_file", args=[final_staf.pk])
    assert client.post(url, {"reason": "Atas nama staf"}).status_code == 403


def test_decider_pages(
    client: Client, cast: Cast, filed: Keberatan, final_staf: Evaluasi,
    django_assert_num_queries: Any,
) -> None:  # fmt: skip
    client.force_login(cast.user("kabid"))
    inbox = reverse("assessments:keberatan_inbox")
    client.get(inbox)
    # session, user, access (3), the keberatan list, the unread badge
    with django_assert_num_queries(7):
        text = client.get(inbox).content.decode()
    assert cast.staf_a.display_name in text
    detail = reverse("assessments:keberatan_detail", args=[filed.pk])
    assert "penjelasan" in client.get(detail).content.decode()
    early = client.post(
        reverse("assessments:keberatan_decide", args=[filed.pk]),
        {"outcome": "DIPERTAHANKAN", "reason": "Sesuai"},
    )
    assert early.status_code == 400 and "Catat dulu penjelasan" in early.content.decode()
    explain = client.post(
        reverse("assessments:keberatan_explain", args=[filed.pk]),
        {"penjelasan_pegawai": "Bukti ada", "penjelasan_penilai": "Belum cukup"},
    )
    assert explain.status_code == 302
    decided = client.post(
        reverse("assessments:keberatan_decide", args=[filed.pk]),
        {"outcome": "DIUBAH", "rating_hasil": "DI_ATAS", "rating_perilaku": "DI_ATAS",
         "reason": "Bukti kuat"},
    )  # fmt: skip
    assert decided.status_code == 302
    final_staf.refresh_from_db()
    assert final_staf.predikat == "SANGAT_BAIK"
    page = client.get(detail).content.decode()
    assert "Predikat diubah" in page and 'id="putusan"' not in page
    for who in ("kasi", "staf_a", "admin"):
        client.force_login(cast.user(who))
        assert client.get(detail).status_code == 404
        assert (
            client.post(
                reverse("assessments:keberatan_explain", args=[filed.pk]),
                {"penjelasan_pegawai": "x"},
            ).status_code
            == 404
        )


# --- API --------------------------------------------------------------------------------


def api(path: str) -> str:
    return reverse("api:api-root") + path


def test_api_flow(client: Client, cast: Cast, final_staf: Evaluasi, day: Any) -> None:
    day(14)
    base = api(f"penilaian/evaluasi/{final_staf.pk}/keberatan")
    client.force_login(cast.user("staf_a"))
    window = client.get(base).json()
    assert (
        window["may_file"]
        and window["deadline"] == (issued(final_staf) + timedelta(days=14)).isoformat()
    )
    assert window["keberatan"] is None
    empty = client.post(base, {"reason": ""}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "reason"
    made = client.post(base, {"reason": "Target tercapai"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["decider_id"] == cast.kabid.pk
    again = client.post(base, {"reason": "Lagi"}, content_type="application/json")
    assert again.status_code == 409
    kid = made.json()["id"]
    explain, decide = (
        api(f"penilaian/keberatan/{kid}/penjelasan"),
        api(f"penilaian/keberatan/{kid}/putusan"),
    )
    assert client.post(explain, {"penjelasan_pegawai": "x"},
                       content_type="application/json").status_code == 404  # fmt: skip
    client.force_login(cast.user("kabid"))
    assert [k["id"] for k in client.get(api("penilaian/keberatan")).json()] == [kid]
    early = client.post(decide, {"outcome": "DIPERTAHANKAN", "reason": "Sesuai"},
                        content_type="application/json")  # fmt: skip
    assert early.status_code == 409
    bad = client.post(decide, {"outcome": "BATAL", "reason": "Sesuai"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    ok = client.post(explain, {"penjelasan_pegawai": "Ada bukti", "penjelasan_penilai": "Kurang"},
                     content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["penjelasan_penilai"] == "Kurang"
    done = client.post(decide, {"outcome": "DIPERTAHANKAN", "reason": "Bukti kurang"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "DIPERTAHANKAN"
    client.force_login(cast.user("staf_a"))
    assert client.get(base).json()["keberatan"]["predikat_after"] == "BAIK"


def test_api_refusals(client: Client, cast: Cast, final_staf: Evaluasi, day: Any) -> None:
    day(15)
    base = api(f"penilaian/evaluasi/{final_staf.pk}/keberatan")
    client.force_login(cast.user("staf_a"))
    assert client.get(base).json()["may_file"] is False
    late = client.post(base, {"reason": "Terlambat"}, content_type="application/json")
    assert late.status_code == 409 and late.json()["code"] == "conflict"
    day(1)
    client.force_login(cast.user("kasi"))
    assert client.post(base, {"reason": "x"}, content_type="application/json").status_code == 403
    client.force_login(cast.user("outsider"))
    assert client.get(base).status_code == 404
    assert client.post(base, {"reason": "x"}, content_type="application/json").status_code == 404
