"""A double tap on the development forms (the same one-time form key posted twice): one JP
record, one catalogue item, one session, one follow-up record, one plan item; the second post is
answered like the first (same redirect, no error)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kinerja.assessments.testing import YEAR, approved_skp, evaluation, realisasi
from kinerja.core import formkeys
from kinerja.org.testing import Cast
from kinerja.progress.tests.test_rules import PDF

from .. import guards
from ..models import CatatanJp, CatatanTindakLanjut, Pelatihan, RencanaPengembangan, Sesi
from .helpers import a_case

Login = Callable[[str], Client]
DAY = date(YEAR, 11, 30)


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def key_in(html: str, form_id: str) -> str:
    form = html.split(f'id="{form_id}"', 1)[1]
    found = re.search(r'name="form_key" value="([0-9a-f]{32})"', form)
    assert found, f"{form_id} renders its one-time key"
    return found[1]


def twice(client: Client, url: str, data: Callable[[], dict[str, object]]) -> list[str]:
    answers = [client.post(url, data()) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302], [a.status_code for a in answers]
    return [a["Location"] for a in answers]


def test_a_double_tap_on_catat_jp_records_once(cast: Cast, login: Login) -> None:
    staf = login("staf_a")
    url = f"/pengembangan/pegawai/{cast.staf_a.pk}/?tahun={YEAR}"
    key = key_in(staf.get(url).content.decode(), "jp-form")
    first, second = twice(staf, url, lambda: {
        "action": "jp", "title": "Pelatihan pelayanan prima", "mode": "KLASIKAL", "jp": "4",
        "date": f"{YEAR}-09-01", "certificate": SimpleUploadedFile("s.pdf", PDF), "form_key": key,
    })  # fmt: skip
    assert first == second
    assert CatatanJp.objects.filter(pegawai=cast.staf_a).count() == 1
    assert "JP tercatat." in staf.get(url).content.decode()
    # A new render of the form is a new form.
    key = key_in(staf.get(url).content.decode(), "jp-form")
    assert key != ""
    twice(staf, url, lambda: {
        "action": "jp", "title": "Kedua", "mode": "KLASIKAL", "jp": "2", "date": f"{YEAR}-09-02",
        "certificate": SimpleUploadedFile("t.pdf", PDF), "form_key": key,
    })  # fmt: skip
    assert CatatanJp.objects.filter(pegawai=cast.staf_a).count() == 2


def stored_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_the_loser_of_a_race_on_catat_jp_leaves_no_file_behind(
    cast: Cast, login: Login, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second of two posts racing with one key: it ran before the first committed, its
    transaction rolls back on the key's constraint, and the certificate it stored is deleted."""
    staf = login("staf_a")
    url = f"/pengembangan/pegawai/{cast.staf_a.pk}/?tahun={YEAR}"
    key = key_in(staf.get(url).content.decode(), "jp-form")
    data = {"action": "jp", "title": "Pelatihan pelayanan prima", "mode": "KLASIKAL", "jp": "4",
            "date": f"{YEAR}-09-01", "form_key": key}  # fmt: skip
    first = staf.post(url, data | {"certificate": SimpleUploadedFile("s.pdf", PDF)})
    assert first.status_code == 302
    root = Path(settings.MEDIA_ROOT)
    winner_files = stored_files(root)
    assert len(winner_files) == 1
    real_replay = formkeys._replay
    calls: list[int] = []

    def not_yet_committed(*args: Any) -> Any:  # the winner's key is not visible at the check
        calls.append(1)
        return None if len(calls) == 1 else real_replay(*args)

    monkeypatch.setattr(formkeys, "_replay", not_yet_committed)
    second = staf.post(url, data | {"certificate": SimpleUploadedFile("s.pdf", PDF)})
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert len(calls) == 2  # it ran, lost on the constraint, and answered with the winner's row
    assert CatatanJp.objects.filter(pegawai=cast.staf_a).count() == 1
    assert stored_files(root) == winner_files


def test_a_garbage_key_on_catat_jp_is_a_clear_error(cast: Cast, login: Login) -> None:
    staf = login("staf_a")
    url = f"/pengembangan/pegawai/{cast.staf_a.pk}/?tahun={YEAR}"
    response = staf.post(url, {
        "action": "jp", "title": "X", "mode": "KLASIKAL", "jp": "2", "date": f"{YEAR}-09-01",
        "certificate": SimpleUploadedFile("s.pdf", PDF), "form_key": "bukan kunci",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Kunci formulir tidak sah" in response.content.decode()
    assert not CatatanJp.objects.exists()


def test_a_double_tap_on_the_catalogue_and_the_plan_creates_once(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "3")
    evaluation(cast, "staf_a", 1, "DI_BAWAH", "SESUAI", finalize=True)
    admin = login("admin")
    key = key_in(admin.get("/pengembangan/pelatihan/").content.decode(), "pelatihan-form")
    twice(admin, "/pengembangan/pelatihan/", lambda: {
        "name": "Manajemen waktu", "jp": "8", "mode": "E_LEARNING", "for_hasil": "on",
        "form_key": key,
    })  # fmt: skip
    item = Pelatihan.objects.get()
    staf = login("staf_a")
    url = f"/pengembangan/pegawai/{cast.staf_a.pk}/?tahun={YEAR}"
    page = staf.get(url).content.decode()
    key = key_in(page, "recommendations")
    data = {"action": "terima", "pelatihan": item.pk, "reason": "hasil", "form_key": key}
    twice(staf, url, lambda: data)
    assert RencanaPengembangan.objects.count() == 1
    assert "masuk rencana pengembangan" in staf.get(url).content.decode()


def test_a_double_tap_on_catat_sesi_records_one_session(cast: Cast, login: Login) -> None:
    kasus = a_case(cast)
    kasi = login("kasi")
    url = f"/pengembangan/kasus/{kasus.pk}/"
    key = key_in(kasi.get(url).content.decode(), "sesi-form")
    first, second = twice(kasi, url, lambda: {
        "method": "COACHING", "date": f"{YEAR}-04-15", "notes": "Laporan tertunda",
        "aksi_1": "Jadwal mingguan", "tenggat_1": f"{YEAR}-04-30", "form_key": key,
    })  # fmt: skip
    sesi = Sesi.objects.get()
    assert first == second == f"/pengembangan/sesi/{sesi.pk}/"
    assert sesi.aksi.count() == 1


def test_a_double_tap_on_tindak_lanjut_records_once(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_b")
    realisasi(cast, plan, 1, "1")
    low = evaluation(cast, "staf_b", 1, "DI_BAWAH", "DI_BAWAH", finalize=True)
    admin = login("admin")
    key = key_in(admin.get("/pengembangan/tindak-lanjut/").content.decode(), "follow-up-form")
    data = {"evaluasi": low.pk, "action": "Dibahas", "date": f"{YEAR}-05-02", "form_key": key}
    twice(admin, "/pengembangan/tindak-lanjut/", lambda: data)
    assert CatatanTindakLanjut.objects.count() == 1


def test_a_retried_api_jp_post_records_once_with_one_file(
    cast: Cast, login: Login, settings: Any
) -> None:
    staf = login("staf_a")

    def send() -> Any:
        return staf.post(
            "/api/v1/pengembangan/jp",
            {"pegawai_id": cast.staf_a.pk, "date": f"{YEAR}-09-01", "title": "Pelayanan prima",
             "mode": "KLASIKAL", "jp": "4", "certificate": SimpleUploadedFile("s.pdf", PDF)},
            HTTP_IDEMPOTENCY_KEY="jp-retry-from-a-phone",
        )  # fmt: skip

    first, again = send(), send()
    assert (first.status_code, again.status_code) == (201, 201), again.content
    assert again.json() == first.json()
    assert CatatanJp.objects.filter(pegawai=cast.staf_a).count() == 1
    assert len(stored_files(Path(settings.MEDIA_ROOT))) == 1
