"""The realisasi JSON API (/api/v1/): the whole flow with a multipart upload and a retried
submission, the correction trail, rencana aksi, every refusal with its status and error body,
who sees what, and the OpenAPI schema.

Stories use the named cast (kinerja/org/testing.py): staf_a reports on her approved SKP, kasi
rates her, staf_b is her peer, the outsider works in another instansi. The clock of the
progress services is fixed at 15 May (TRIWULAN II), see test_services.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kinerja.accounts.services import api_token_create
from kinerja.org.testing import Cast
from kinerja.progress import services
from kinerja.progress.models import BuktiDukung, PeriodeTerkunci, Realisasi
from kinerja.progress.tests.test_rules import PDF, PNG
from kinerja.progress.tests.test_services import (
    TODAY,
    YEAR,
    Plan,
    fix_clock,
    make_plan,
    media_files,
)

API = "/api/v1"
Login = Callable[[str], Client]


@pytest.fixture
def plan(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Plan:
    fix_clock(monkeypatch)
    return make_plan(cast)


def body(response: Any) -> Any:
    return json.loads(response.content)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return body(response)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    data: dict[str, Any] = body(response)
    assert set(data) == {"detail", "code", "errors"}
    assert data["detail"] and data["code"] == code and isinstance(data["errors"], list)
    return data


def png(name: str = "foto.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def submit(client: Client, iki_id: int, key: str | None = None, **fields: Any) -> Any:
    data: dict[str, Any] = {"date": TODAY.isoformat(), "value": "3"} | fields
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(f"{API}/iki/{iki_id}/realisasi", data=data, headers=headers)


def post_json(client: Client, path: str, payload: Any, **extra: Any) -> Any:
    return client.post(
        f"{API}{path}", data=json.dumps(payload), content_type="application/json", **extra
    )


# --- the whole flow -------------------------------------------------------------------------


def test_record_retry_correct_and_read_back(login: Login, cast: Cast, plan: Plan) -> None:
    client = login("staf_a")
    step = ok(
        post_json(client, f"/iki/{plan.iki.pk}/rencana-aksi", {"period": 2, "text": "Jadwal"}),
        201,
    )
    assert step["iki_id"] == plan.iki.pk and step["skp_id"] == plan.skp.pk

    fields = {
        "value": "3,5",
        "narrative": "Posyandu Melati",
        "rencana_aksi_id": step["id"],
        "links": ["https://drive.example.go.id/a", "https://drive.example.go.id/b"],
    }
    first = ok(
        submit(client, plan.iki.pk, "hp-1", files=[png(), png("surat.pdf", PDF)], **fields),
        201,
    )
    assert first["value"] == "3.50" and first["period"] == 2 and first["date"] == TODAY.isoformat()
    assert first["rencana_aksi_id"] == step["id"] and first["in_force"] is True
    assert first["corrects_id"] is None and first["corrected_by_id"] is None
    files = [b for b in first["bukti"] if b["kind"] == "file"]
    links = sorted(b["url"] for b in first["bukti"] if b["kind"] == "link")
    assert links == ["https://drive.example.go.id/a", "https://drive.example.go.id/b"]
    assert sorted((b["file_name"], b["content_type"]) for b in files) == [
        ("foto.png", "image/png"),
        ("surat.pdf", "application/pdf"),
    ]

    # The phone lost the answer and sends the same thing again: same entry, nothing new.
    again = ok(submit(client, plan.iki.pk, "hp-1", files=[png(), png("surat.pdf", PDF)], **fields))
    assert again == first
    assert Realisasi.objects.count() == 1 and BuktiDukung.objects.count() == 4
    assert len(media_files()) == 2
    # The same key with a changed form (another value, a file left out): 409, nothing written.
    for changed in ({"value": "4"}, {"files": [png()]}):
        content = {"files": [png(), png("surat.pdf", PDF)], **fields} | changed
        refused = assert_error(submit(client, plan.iki.pk, "hp-1", **content), 409, "conflict")
        assert "sudah dikirim dengan isi yang lain" in refused["detail"]
    assert Realisasi.objects.count() == 1 and len(media_files()) == 2

    # Evidence downloads through the URL the API gives.
    photo = next(b for b in files if b["file_name"] == "foto.png")
    download = client.get(photo["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]
    assert download["Content-Disposition"].startswith("attachment")

    fixed = ok(
        post_json(client, f"/realisasi/{first['id']}/correct", {"value": 4, "reason": "salah"}),
        201,
    )
    assert fixed["corrects_id"] == first["id"] and fixed["correction_reason"] == "salah"
    assert fixed["value"] == "4.00" and fixed["rencana_aksi_id"] == step["id"]

    listing = ok(client.get(f"{API}/skp/{plan.skp.pk}/realisasi"))
    assert listing["skp_id"] == plan.skp.pk and listing["period"] is None
    by_id = {e["id"]: e for e in listing["entries"]}
    assert by_id[first["id"]]["in_force"] is False
    assert by_id[first["id"]]["corrected_by_id"] == fixed["id"]
    assert by_id[fixed["id"]]["in_force"] is True
    iki = {i["iki_id"]: i for i in listing["iki"]}
    assert Decimal(iki[plan.iki.pk]["realised"]) == 4
    assert Decimal(iki[plan.iki.pk]["percent"]) == Decimal("33.33")
    assert iki[plan.iki.pk]["target_value"] == "12.00"
    assert iki[plan.iki_waktu.pk]["direction"] == "TURUN"
    assert iki[plan.iki_kualitas.pk]["percent"] is None
    assert listing["rhk"] == [{"rhk_id": plan.iki.rhk_id, "percent": "33.33"}]

    assert ok(client.get(f"{API}/skp/{plan.skp.pk}/realisasi?period=1"))["entries"] == []
    assert len(ok(client.get(f"{API}/skp/{plan.skp.pk}/realisasi?period=2"))["entries"]) == 2
    steps = ok(client.get(f"{API}/skp/{plan.skp.pk}/rencana-aksi"))
    assert [s["id"] for s in steps] == [step["id"]]
    assert ok(client.get(f"{API}/skp/{plan.skp.pk}/rencana-aksi?period=3")) == []


def test_a_correction_through_the_api_carries_new_evidence(login: Login, plan: Plan) -> None:
    """A phone corrects an entry with a new photo and a link (multipart), as the page does; the
    old entry keeps its own evidence; a key reused on another entry is a 409, not its answer."""
    client = login("staf_a")
    first = ok(submit(client, plan.iki.pk, files=[png("lama.png")]), 201)
    second = ok(submit(client, plan.iki_kualitas.pk, value="80"), 201)
    url = f"{API}/realisasi/{first['id']}/correct-with-evidence"
    data = {"value": "4", "reason": "foto salah", "links": ["https://drive.example.go.id/c"],
            "files": [png("baru.png")]}  # fmt: skip
    fixed = ok(client.post(url, data=data, headers={"Idempotency-Key": "kor-1"}), 201)
    assert fixed["corrects_id"] == first["id"] and fixed["value"] == "4.00"
    kinds = sorted((b["kind"], b["file_name"] or b["url"]) for b in fixed["bukti"])
    assert kinds == [("file", "baru.png"), ("link", "https://drive.example.go.id/c")]
    old = Realisasi.objects.get(pk=first["id"])
    assert [b.file_name for b in old.bukti.all()] == ["lama.png"]
    # The phone retries: the same correction, nothing new.
    retry = ok(client.post(url, data=data | {"files": [png("baru.png")]},
                           headers={"Idempotency-Key": "kor-1"}), 201)  # fmt: skip
    assert retry == fixed and Realisasi.objects.count() == 3
    # The same key on another entry: 409, and that entry stays uncorrected.
    elsewhere = f"{API}/realisasi/{second['id']}/correct-with-evidence"
    reused = client.post(elsewhere, data={"value": "85", "reason": "x"},
                         headers={"Idempotency-Key": "kor-1"})  # fmt: skip
    assert_error(reused, 409, "conflict")
    assert not Realisasi.objects.filter(corrects_id=second["id"]).exists()


@pytest.mark.parametrize(
    ("data", "field", "status"),
    [
        ({"value": "4"}, "reason", 422),
        ({"value": "4", "reason": "x", "catatan": "?"}, "catatan", 422),
        ({"value": "4", "reason": "x", "links": ["http://"]}, "links", 400),
        ({"value": "4", "reason": "x" * 301}, "reason", 400),
        ({"value": "4,125", "reason": "x"}, "value", 400),
        ({"value": "4", "narrative": "x" * 4001, "reason": "x"}, "narrative", 400),
    ],
)
def test_a_correction_with_evidence_refuses_bad_input_and_writes_nothing(
    login: Login, plan: Plan, data: dict[str, Any], field: str, status: int
) -> None:
    client = login("staf_a")
    first = ok(submit(client, plan.iki.pk), 201)
    url = f"{API}/realisasi/{first['id']}/correct-with-evidence"
    refused = assert_error(client.post(url, data=data), status, "invalid")
    assert refused["errors"][0]["field"] == field
    assert Realisasi.objects.count() == 1 and not media_files()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"links": ["http://"]}, "links"),
        ({"links": ["https://a b <script>"]}, "links"),
        ({"narrative": "x" * 4001}, "narrative"),
        ({"value": "99999999999.999"}, "value"),
    ],
)
def test_bad_links_long_narratives_and_extra_decimals_are_refused(
    login: Login, plan: Plan, fields: dict[str, Any], field: str
) -> None:
    refused = assert_error(submit(login("staf_a"), plan.iki.pk, **fields), 400, "invalid")
    assert refused["errors"][0]["field"] == field
    assert not Realisasi.objects.exists()


def test_more_than_ten_files_or_links_on_one_entry_is_400(login: Login, plan: Plan) -> None:
    client = login("staf_a")
    files = [png(f"foto{n}.png") for n in range(11)]
    refused = assert_error(submit(client, plan.iki.pk, files=files), 400, "invalid")
    assert refused["errors"][0]["field"] == "files" and "Paling banyak 10" in refused["detail"]
    links = [f"https://drive.example.go.id/{n}" for n in range(11)]
    refused = assert_error(submit(client, plan.iki.pk, links=links), 400, "invalid")
    assert refused["errors"][0]["field"] == "links"
    assert not Realisasi.objects.exists() and not media_files()
    ten = [png(f"foto{n}.png") for n in range(10)]
    assert len(ok(submit(client, plan.iki.pk, files=ten), 201)["bukti"]) == 10


@pytest.mark.parametrize("path", ["realisasi", "rencana-aksi", "umpan-balik", "dialog"])
def test_a_period_the_year_does_not_have_is_400(login: Login, plan: Plan, path: str) -> None:
    """The instansi reports per quarter: there is no period 5 (1–12 is only the schema's bound)."""
    client = login("staf_a")
    refused = assert_error(client.get(f"{API}/skp/{plan.skp.pk}/{path}?period=5"), 400, "invalid")
    assert refused["errors"][0]["field"] == "period" and "tidak dikenal" in refused["detail"]
    assert client.get(f"{API}/skp/{plan.skp.pk}/{path}?period=4").status_code == 200


def test_a_qualitative_value_and_no_files(login: Login, plan: Plan) -> None:
    entry = ok(submit(login("staf_a"), plan.iki_kualitas.pk, value="88"), 201)
    assert entry["bukti"] == [] and entry["value"] == "88.00"


def test_bearer_token_upload_without_csrf(cast: Cast, plan: Plan) -> None:
    _token, raw = api_token_create(by=cast.user("staf_a"), name="aplikasi seluler")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{API}/iki/{plan.iki.pk}/realisasi",
        data={"date": TODAY.isoformat(), "value": "1", "files": [png()]},
        headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "tok-1"},
    )
    assert ok(response, 201)["bukti"][0]["content_type"] == "image/png"


# --- upload refusals ------------------------------------------------------------------------


def test_a_too_big_file_is_413_and_nothing_is_written(
    login: Login, plan: Plan, settings: Any
) -> None:
    settings.KINERJA_EVIDENCE_MAX_BYTES = len(PNG) - 1
    data = assert_error(submit(login("staf_a"), plan.iki.pk, files=[png()]), 413, "too_large")
    assert data["errors"][0]["field"] == "files"
    assert not Realisasi.objects.exists() and media_files() == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("halaman.png", b"<html><script>alert(1)</script>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("catatan.pdf", b"teks biasa"),
    ],
)
def test_a_wrong_type_is_400(login: Login, plan: Plan, name: str, content: bytes) -> None:
    response = submit(login("staf_a"), plan.iki.pk, files=[png(), png(name, content)])
    data = assert_error(response, 400, "invalid")
    assert data["errors"] == [{"field": "files", "message": data["detail"]}]
    assert not Realisasi.objects.exists() and media_files() == []


def test_path_tricks_in_the_uploaded_name(login: Login, plan: Plan) -> None:
    tricky = png("../../x/..\\evil\u202egnp.png")
    entry = ok(submit(login("staf_a"), plan.iki.pk, files=[tricky]), 201)
    assert [b["file_name"] for b in entry["bukti"]] == ["evilgnp.png"]


# --- refusals: status and body --------------------------------------------------------------


def test_rule_refusals_are_400_and_409(login: Login, cast: Cast, plan: Plan) -> None:
    client = login("staf_a")
    past = assert_error(submit(client, plan.iki.pk, date=f"{YEAR}-03-01"), 400, "invalid")
    assert past["errors"][0]["field"] == "date"
    assert_error(submit(client, plan.iki.pk, date=f"{YEAR}-05-16"), 400, "invalid")
    assert_error(submit(client, plan.iki.pk, value="banyak"), 400, "invalid")
    assert_error(submit(client, plan.iki.pk, value=""), 400, "invalid")
    negative = assert_error(submit(client, plan.iki.pk, value="-2"), 400, "invalid")
    assert negative["errors"][0] == {"field": "value", "message": negative["detail"]}
    assert negative["detail"] == "Nilai realisasi tidak boleh negatif."
    english = client.post(
        f"{API}/iki/{plan.iki.pk}/realisasi",
        data={"date": TODAY.isoformat(), "value": "-2"},
        headers={"Accept-Language": "en"},
    )
    assert assert_error(english, 400, "invalid")["errors"] == [
        {"field": "value", "message": "The achievement value cannot be negative."}
    ]
    wrong = client.post(
        f"{API}/iki/{plan.iki.pk}/realisasi",
        data={"date": TODAY.isoformat(), "value": "3", "files": [png("catatan.pdf", b"teks")]},
        headers={"Accept-Language": "en"},
    )
    assert assert_error(wrong, 400, "invalid")["detail"] == (
        "catatan.pdf: File type not allowed. Upload a PDF, an image (JPG, PNG, WEBP) or an "
        "Office/ODF document."
    )
    assert_error(submit(client, plan.iki.pk, links=["javascript:alert(1)"]), 400, "invalid")

    first = ok(submit(client, plan.iki.pk, "k-9"), 201)
    assert_error(submit(client, plan.iki_kualitas.pk, "k-9"), 409, "conflict")
    post_json(client, f"/realisasi/{first['id']}/correct", {"value": "4", "reason": "a"})
    assert_error(
        post_json(client, f"/realisasi/{first['id']}/correct", {"value": "5", "reason": "b"}),
        409,
        "conflict",
    )
    assert_error(
        post_json(client, f"/iki/{plan.iki.pk}/rencana-aksi", {"period": 7, "text": "x"}),
        400,
        "invalid",
    )


@pytest.mark.parametrize(("locked", "which"), [(2, "TRIWULAN II"), (0, "tahunan")])
def test_a_period_locked_by_a_final_evaluation_refuses_entries_and_corrections(
    login: Login, plan: Plan, locked: int, which: str
) -> None:
    """A final evaluation of the period (or the annual one, period 0) locks it
    (PeriodeTerkunci, as evaluasi_finalize writes): a new entry and a correction, with or
    without evidence, are a 409 `conflict` saying so, and nothing is written."""
    client = login("staf_a")
    entry = ok(submit(client, plan.iki.pk), 201)
    PeriodeTerkunci.objects.create(skp=plan.skp, period=locked)
    expected = (
        f"Evaluasi {which} {YEAR} sudah final; realisasi TRIWULAN II terkunci. "
        "Minta pimpinan membuka kembali evaluasinya bila perlu dikoreksi."
    )
    refusals = [
        submit(client, plan.iki.pk, value="4"),
        post_json(client, f"/realisasi/{entry['id']}/correct", {"value": "4", "reason": "salah"}),
        client.post(
            f"{API}/realisasi/{entry['id']}/correct-with-evidence",
            {"reason": "salah", "value": "4", "links": ["https://x.go.id/b"]},
        ),
    ]
    for refused in refusals:
        assert assert_error(refused, 409, "conflict")["detail"] == expected
    assert Realisasi.objects.count() == 1 and not BuktiDukung.objects.exists()


def test_an_skp_not_yet_approved_is_409(
    login: Login, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    fix_clock(monkeypatch)
    draft = make_plan(cast, "staf_b", approve=False)
    assert_error(submit(login("staf_b"), draft.iki.pk), 409, "conflict")


def test_schema_errors_are_422(login: Login, plan: Plan) -> None:
    client = login("staf_a")
    no_date = client.post(f"{API}/iki/{plan.iki.pk}/realisasi", data={"value": "1"})
    assert assert_error(no_date, 422, "invalid")["errors"][0]["field"].endswith("date")
    assert_error(submit(client, plan.iki.pk, date="kemarin"), 422, "invalid")
    long_key = assert_error(submit(client, plan.iki.pk, key="x" * 65), 400, "invalid")
    assert long_key["errors"][0]["field"] == "Idempotency-Key"  # as on every create endpoint
    for extra in ({"foo": "bar"}, {"files": "bukan berkas"}):
        unknown = assert_error(submit(client, plan.iki.pk, **extra), 422, "invalid")
        assert unknown["errors"] == [
            {"field": next(iter(extra)), "message": "Isian ini tidak dikenal."}
        ]
    assert_error(submit(client, plan.iki.pk, rencana_aksi_id="satu"), 422, "invalid")
    entry = ok(submit(client, plan.iki.pk), 201)
    no_reason = post_json(client, f"/realisasi/{entry['id']}/correct", {"value": "2"})
    assert assert_error(no_reason, 422, "invalid")["errors"][0]["field"].endswith("reason")
    extra = post_json(
        client, f"/realisasi/{entry['id']}/correct", {"reason": "x", "value": 2, "date": "x"}
    )
    assert_error(extra, 422, "invalid")
    assert_error(client.get(f"{API}/skp/{plan.skp.pk}/realisasi?period=13"), 422, "invalid")
    assert_error(
        post_json(client, f"/iki/{plan.iki.pk}/rencana-aksi", {"period": 0, "text": "x"}),
        422,
        "invalid",
    )


def test_anonymous_is_401(client: Client, plan: Plan) -> None:
    assert_error(submit(client, plan.iki.pk), 401, "unauthorized")
    assert_error(client.get(f"{API}/skp/{plan.skp.pk}/realisasi"), 401, "unauthorized")


# --- who sees and who writes ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["kasi", "kabid", "admin", "auditor"])
def test_readers_who_are_not_the_owner_get_403_on_writes(
    login: Login, cast: Cast, plan: Plan, who: str
) -> None:
    entry = ok(submit(login("staf_a"), plan.iki.pk), 201)
    client = login(who)
    assert_error(submit(client, plan.iki.pk), 403, "forbidden")
    assert_error(
        post_json(client, f"/realisasi/{entry['id']}/correct", {"value": "1", "reason": "x"}),
        403,
        "forbidden",
    )
    assert_error(
        post_json(client, f"/iki/{plan.iki.pk}/rencana-aksi", {"period": 2, "text": "x"}),
        403,
        "forbidden",
    )
    listing = ok(client.get(f"{API}/skp/{plan.skp.pk}/realisasi"))
    assert [e["id"] for e in listing["entries"]] == [entry["id"]]
    assert Realisasi.objects.count() == 1


@pytest.mark.parametrize("who", ["staf_b", "kapus", "outsider"])
def test_a_peer_or_an_outsider_gets_404_everywhere(
    login: Login, cast: Cast, plan: Plan, who: str
) -> None:
    entry = ok(submit(login("staf_a"), plan.iki.pk, files=[png()]), 201)
    client = login(who)
    assert_error(submit(client, plan.iki.pk), 404, "not_found")
    assert_error(client.get(f"{API}/skp/{plan.skp.pk}/realisasi"), 404, "not_found")
    assert_error(client.get(f"{API}/skp/{plan.skp.pk}/rencana-aksi"), 404, "not_found")
    assert_error(
        post_json(client, f"/realisasi/{entry['id']}/correct", {"value": "1", "reason": "x"}),
        404,
        "not_found",
    )
    assert_error(
        post_json(client, f"/iki/{plan.iki.pk}/rencana-aksi", {"period": 2, "text": "x"}),
        404,
        "not_found",
    )
    assert client.get(entry["bukti"][0]["url"]).status_code == 404


def test_a_too_long_link_is_refused_for_its_length(login: Login, plan: Plan) -> None:
    """A well-formed link over LINK_MAX characters is told its length, not that it is no
    complete address; one of exactly LINK_MAX is kept. The same on a correction."""
    client = login("staf_a")
    base = "https://x.go.id/"
    too_long = base + "a" * 500
    refused = assert_error(submit(client, plan.iki.pk, links=[too_long]), 400, "invalid")
    assert refused["detail"] == "Tautan bukti paling panjang 500 karakter."
    assert [e["field"] for e in refused["errors"]] == ["links"]
    longest = base + "a" * (services.LINK_MAX - len(base))
    entry = ok(submit(client, plan.iki.pk, links=[longest]), 201)
    assert [b["url"] for b in entry["bukti"]] == [longest]
    correction = client.post(
        f"{API}/realisasi/{entry['id']}/correct-with-evidence",
        {"reason": "tautan", "value": "3", "links": [too_long]},
    )
    assert assert_error(correction, 400, "invalid")["errors"][0]["field"] == "links"
    assert Realisasi.objects.count() == 1


def test_unknown_ids_are_404(login: Login, cast: Cast, plan: Plan) -> None:
    client = login("staf_a")
    assert_error(submit(client, 999_999), 404, "not_found")
    assert_error(client.get(f"{API}/skp/999999/realisasi"), 404, "not_found")
    assert_error(
        post_json(client, "/realisasi/999999/correct", {"reason": "x", "value": 1}),
        404,
        "not_found",
    )
    assert not Realisasi.objects.exists()


def test_a_rencana_aksi_not_of_this_skp_is_400_naming_it(
    login: Login, cast: Cast, plan: Plan
) -> None:
    """An unknown rencana aksi and one of another SKP (here staf_b's, which staf_a may not read)
    get the same 400 as one of another IKI or period: the error names the request's parameter,
    and nothing tells staf_a which ids exist."""
    other = make_plan(cast, "staf_b")
    foreign = ok(
        post_json(login("staf_b"), f"/iki/{other.iki.pk}/rencana-aksi", {"period": 2, "text": "x"}),
        201,
    )
    client = login("staf_a")
    for rencana_aksi_id in (999_999, foreign["id"]):
        refused = assert_error(
            submit(client, plan.iki.pk, rencana_aksi_id=rencana_aksi_id), 400, "invalid"
        )
        assert refused["detail"] == (
            f"Rencana aksi dengan id {rencana_aksi_id} tidak ditemukan pada SKP ini."
        )
        assert [e["field"] for e in refused["errors"]] == ["rencana_aksi_id"]
    english = client.post(
        f"{API}/iki/{plan.iki.pk}/realisasi",
        {"date": TODAY.isoformat(), "value": "3", "rencana_aksi_id": 999_999},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert body(english)["detail"] == "Action plan with id 999999 not found on this SKP."
    other_iki = ok(
        post_json(client, f"/iki/{plan.iki_kualitas.pk}/rencana-aksi", {"period": 2, "text": "x"}),
        201,
    )
    earlier = ok(
        post_json(client, f"/iki/{plan.iki.pk}/rencana-aksi", {"period": 1, "text": "x"}), 201
    )
    for rencana_aksi_id in (other_iki["id"], earlier["id"]):
        refused = assert_error(
            submit(client, plan.iki.pk, rencana_aksi_id=rencana_aksi_id), 400, "invalid"
        )
        assert [e["field"] for e in refused["errors"]] == ["rencana_aksi_id"]
    # A reader who may not write is told so first, whatever the rencana aksi.
    assert_error(submit(login("kasi"), plan.iki.pk, rencana_aksi_id=999_999), 403, "forbidden")
    assert not Realisasi.objects.exists()


def test_list_query_count_does_not_grow_with_entries(
    login: Login, plan: Plan, django_assert_max_num_queries: Any
) -> None:
    client = login("staf_a")
    for n in range(6):
        ok(submit(client, plan.iki.pk, files=[png()], links=[f"https://x.example/{n}"]), 201)
    with django_assert_max_num_queries(14):
        listing = ok(client.get(f"{API}/skp/{plan.skp.pk}/realisasi"))
    assert len(listing["entries"]) == 6 and all(len(e["bukti"]) == 2 for e in listing["entries"])


# --- OpenAPI --------------------------------------------------------------------------------


def test_openapi_lists_the_realisasi_paths(client: Client, db: None) -> None:
    schema = ok(client.get(f"{API}/openapi.json"))
    paths = schema["paths"]
    expected = {
        "/api/v1/iki/{iki_id}/realisasi": "post",
        "/api/v1/skp/{skp_id}/realisasi": "get",
        "/api/v1/realisasi/{realisasi_id}/correct": "post",
        "/api/v1/iki/{iki_id}/rencana-aksi": "post",
        "/api/v1/skp/{skp_id}/rencana-aksi": "get",
    }
    for path, method in expected.items():
        assert paths[path][method]["tags"] == ["Realisasi"]
    create = paths["/api/v1/iki/{iki_id}/realisasi"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert {"200", "201"} <= set(create["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])


def test_a_correction_retry_compares_its_value_as_a_number(login: Login, plan: Plan) -> None:
    """The first post sent 2, the retry "2.00" or "2,00" (same key): the same correction, not a
    409; another number with that key is a 409."""
    client = login("staf_a")
    first = ok(submit(client, plan.iki.pk, "awal"), 201)
    url = f"/realisasi/{first['id']}/correct"
    key = {"HTTP_IDEMPOTENCY_KEY": "kor-angka"}
    fixed = ok(post_json(client, url, {"value": 2, "reason": "salah"}, **key), 201)
    for same in ("2", "2.00", "2,00", 2.0):
        again = ok(post_json(client, url, {"value": same, "reason": "salah"}, **key), 201)
        assert again["id"] == fixed["id"]
    other = post_json(client, url, {"value": "2.5", "reason": "salah"}, **key)
    assert "isi yang lain" in assert_error(other, 409, "conflict")["detail"]
    assert Realisasi.objects.filter(corrects_id=first["id"]).count() == 1


def test_a_json_number_with_a_third_decimal_is_named_as_such(login: Login, plan: Plan) -> None:
    """1.125 sent as a JSON number is no thousands separator: the message says 2 decimals."""
    client = login("staf_a")
    first = ok(submit(client, plan.iki.pk, "awal"), 201)
    url = f"/realisasi/{first['id']}/correct"
    refused = assert_error(post_json(client, url, {"value": 1.125, "reason": "x"}), 400, "invalid")
    assert "paling banyak 2 angka di belakang koma" in refused["detail"]
    grouped = assert_error(
        post_json(client, url, {"value": "1.125", "reason": "x"}), 400, "invalid"
    )
    assert "tanpa pemisah ribuan" in grouped["detail"]  # typed text stays ambiguous
    assert not Realisasi.objects.filter(corrects_id=first["id"]).exists()
