"""Downloading evidence: who may (everyone who may read the SKP) and who may not (a peer, a
sibling unit, another instansi: 404, so existence is not revealed), and how it is served
(always an attachment, with the type decided at upload, never sniffed, sandboxed, not cached).
The same through the API (`GET /api/v1/realisasi/bukti/{id}`) for a bearer token, with the
JSON error shape, and its address as `download_url` in the API's evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.accounts.services import api_token_create
from kinerja.org.testing import Cast
from kinerja.progress import services
from kinerja.progress.models import BuktiDukung
from kinerja.progress.services import Upload
from kinerja.progress.tests.test_rules import PDF, PNG
from kinerja.progress.tests.test_services import TODAY, Plan, fix_clock, make_plan

Login = Callable[[str], Client]


@pytest.fixture
def evidence(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> dict[str, BuktiDukung]:
    fix_clock(monkeypatch)
    plan: Plan = make_plan(cast)
    entry, _ = services.realisasi_record(
        by=cast.user("staf_a"),
        iki=plan.iki,
        day=TODAY,
        value="2",
        uploads=[Upload("Foto Posyandu.png", PNG), Upload("../laporan.html", PDF)],
        links=["https://drive.example.go.id/bukti/7"],
    )
    found = {b.file_name or "link": b for b in entry.bukti.all()}
    assert set(found) == {"Foto Posyandu.png", "laporan.pdf", "link"}
    return found


def url(bukti: BuktiDukung) -> str:
    return reverse("progress:bukti_download", args=[bukti.pk])


@pytest.mark.parametrize(
    "who", ["staf_a", "kasi", "kabid", "kadis", "admin", "auditor", "superadmin"]
)
def test_who_may_read_the_skp_downloads(
    login: Login, evidence: dict[str, BuktiDukung], who: str
) -> None:
    bukti = evidence["Foto Posyandu.png"]
    response = login(who).get(url(bukti))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="Foto Posyandu.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(PNG))


def test_a_pdf_keeps_its_sniffed_type_and_safe_name(
    login: Login, evidence: dict[str, BuktiDukung]
) -> None:
    response = login("kasi").get(url(evidence["laporan.pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'


@pytest.mark.parametrize("who", ["staf_b", "kapus", "perawat", "outsider"])
def test_a_peer_or_an_outsider_gets_404(
    login: Login, evidence: dict[str, BuktiDukung], who: str
) -> None:
    for bukti in evidence.values():
        assert login(who).get(url(bukti)).status_code == 404


def test_a_link_is_not_downloaded_here(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    assert login("staf_a").get(url(evidence["link"])).status_code == 404


def test_an_unknown_id_is_404(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    missing = max(b.pk for b in evidence.values()) + 100
    assert (
        login("staf_a").get(reverse("progress:bukti_download", args=[missing])).status_code == 404
    )


def test_a_file_gone_from_storage_is_404(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    bukti = evidence["Foto Posyandu.png"]
    bukti.file.storage.delete(bukti.file.name or "")
    assert login("staf_a").get(url(bukti)).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, evidence: dict[str, BuktiDukung]) -> None:
    response = client.get(url(evidence["Foto Posyandu.png"]))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_only_get(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    assert login("staf_a").post(url(evidence["Foto Posyandu.png"])).status_code == 405


# --- through the API, with a bearer token ---------------------------------------------------

API = "/api/v1"
HEADERS = ("Content-Type", "Content-Disposition", "X-Content-Type-Options",
           "Content-Security-Policy", "Cache-Control", "Content-Length")  # fmt: skip


def api_url(bukti: BuktiDukung) -> str:
    return f"{API}/realisasi/bukti/{bukti.pk}"


def bearer(cast: Cast, who: str) -> Client:
    """A client without a session that sends `who`'s API token (as a phone app does)."""
    _token, raw = api_token_create(by=cast.user(who), name="aplikasi")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def not_found(response: Any) -> str:
    assert response.status_code == 404, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == "not_found"
    detail: str = body["detail"]
    return detail


def test_the_owner_downloads_with_a_token_as_from_the_page(
    cast: Cast, login: Login, evidence: dict[str, BuktiDukung]
) -> None:
    bukti = evidence["Foto Posyandu.png"]
    response = bearer(cast, "staf_a").get(api_url(bukti))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    expected = {
        "Content-Type": "image/png",
        "Content-Disposition": 'attachment; filename="Foto Posyandu.png"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": "private, no-store",
        "Content-Length": str(len(PNG)),
    }
    assert {h: response[h] for h in HEADERS} == expected
    page = login("staf_a").get(url(bukti))  # the page answers with the same headers
    assert {h: page[h] for h in HEADERS} == expected
    pdf = bearer(cast, "staf_a").get(api_url(evidence["laporan.pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == PDF  # type: ignore[attr-defined]


@pytest.mark.parametrize("who", ["kasi", "kabid", "auditor", "admin"])
def test_the_rater_a_superior_and_an_auditor_download_with_a_token(
    cast: Cast, evidence: dict[str, BuktiDukung], who: str
) -> None:
    response = bearer(cast, who).get(api_url(evidence["Foto Posyandu.png"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]


@pytest.mark.parametrize("who", ["staf_b", "perawat", "kapus", "outsider"])
def test_a_peer_another_unit_or_another_instansi_gets_404_json(
    cast: Cast, evidence: dict[str, BuktiDukung], who: str
) -> None:
    client = bearer(cast, who)
    for bukti in evidence.values():  # the link too: whether it exists is not revealed
        detail = not_found(client.get(api_url(bukti)))
        assert detail == f"Bukti dukung dengan id {bukti.pk} tidak ditemukan."


def test_without_a_token_or_session_is_401(
    client: Client, evidence: dict[str, BuktiDukung]
) -> None:
    response = client.get(api_url(evidence["Foto Posyandu.png"]))
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    refused = Client(headers={"Authorization": "Bearer kin_tidak-sah"})
    assert refused.get(api_url(evidence["Foto Posyandu.png"])).status_code == 401


def test_a_session_downloads_too(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    response = login("kasi").get(api_url(evidence["laporan.pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_api_404s_say_why(cast: Cast, evidence: dict[str, BuktiDukung]) -> None:
    client = bearer(cast, "staf_a")
    link = evidence["link"]
    assert not_found(client.get(api_url(link))) == (
        f"Bukti dukung {link.pk} berupa tautan, bukan berkas: tidak ada yang dapat diunduh."
    )
    missing = max(b.pk for b in evidence.values()) + 100
    assert not_found(client.get(f"{API}/realisasi/bukti/{missing}")) == (
        f"Bukti dukung dengan id {missing} tidak ditemukan."
    )
    gone = evidence["Foto Posyandu.png"]
    gone.file.storage.delete(gone.file.name or "")
    assert not_found(client.get(api_url(gone))) == (
        "Berkas bukti dukung 'Foto Posyandu.png' tidak ada lagi di penyimpanan."
    )
    english = client.get(api_url(link), headers={"Accept-Language": "en"})
    assert english.status_code == 404 and english.json()["code"] == "not_found"
    assert client.post(api_url(evidence["laporan.pdf"])).status_code == 405
    assert client.get(f"{API}/realisasi/bukti/x").status_code == 422


def test_the_listed_evidence_carries_a_download_url_that_works(
    cast: Cast, evidence: dict[str, BuktiDukung]
) -> None:
    client = bearer(cast, "kasi")
    skp_id = evidence["link"].realisasi.skp_id
    listing = client.get(f"{API}/skp/{skp_id}/realisasi")
    assert listing.status_code == 200
    [entry] = listing.json()["entries"]
    by_name = {b["file_name"] or b["kind"]: b for b in entry["bukti"]}
    photo, link = by_name["Foto Posyandu.png"], by_name["link"]
    assert photo["url"] == url(evidence["Foto Posyandu.png"])  # the page's address, as before
    assert photo["download_url"] == api_url(evidence["Foto Posyandu.png"])
    assert link["url"] == "https://drive.example.go.id/bukti/7" and link["download_url"] is None
    downloaded = client.get(photo["download_url"])
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == PNG  # type: ignore[attr-defined]


def test_the_openapi_describes_the_download(client: Client, db: None) -> None:
    operation = client.get(f"{API}/openapi.json").json()["paths"][
        "/api/v1/realisasi/bukti/{bukti_id}"
    ]["get"]
    assert operation["tags"] == ["Realisasi"]
    assert operation["summary"].startswith("Unduh berkas bukti dukung")
    assert "byte berkas" in operation["description"]
    assert operation["responses"]["200"]["content"]["*/*"]["schema"]["format"] == "binary"
