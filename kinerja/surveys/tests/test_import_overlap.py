"""Paper import: rows that repeat paper answers already stored for the layanan and period are
reported (preview, save, page, API), never refused; counted as a multiset intersection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.audit.models import AuditEvent
from kinerja.org.testing import Cast
from kinerja.surveys import public, services
from kinerja.surveys.import_overlap import AlreadyStored, saved_warning, warning
from kinerja.surveys.models import SkmResponse, Sumber, SurveyPeriod
from kinerja.surveys.periods import PeriodKey

from .conftest import ANSWERS
from .test_import import GOOD, csv, dated, run

# Four different questionnaires (GOOD is the first).
OTHER = "1,2,3,4,1,2,3,4,1,61,L,D3,PNS,,"
THIRD = "3,3,3,3,3,3,3,3,3,45,P,SMA,WIRAUSAHA,Parkir penuh,"
FOURTH = "2,2,2,2,2,2,2,2,2,22,L,SMP,LAINNYA,,"
# The online answer of conftest.form_data, written as a paper row.
LIKE_ONLINE = ",".join(str(a) for a in ANSWERS) + ",34,P,S1,SWASTA,,"


@pytest.fixture
def earlier(cast: Cast, period: SurveyPeriod, key: PeriodKey) -> SurveyPeriod:
    """The previous semester of the same layanan: already over, so any of its days is a
    valid `tanggal`."""
    previous = key.previous()
    assert previous is not None
    return services.period_open(by=cast.admin, layanan=period.layanan, key=previous)


def test_a_partial_overlap_is_counted_and_saved_all_the_same(
    cast: Cast, period: SurveyPeriod
) -> None:
    """Januari's three questionnaires, re-exported with two new ones: the preview names the
    three old rows and the earlier file; saving still writes all five."""
    assert run(cast, period, csv(GOOD, OTHER, THIRD), name="januari.csv").rows == 3
    content = csv(FOURTH, THIRD, GOOD, FOURTH.replace(",22,", ",23,"), OTHER)
    preview = run(cast, period, content, dry_run=True, name="januari-februari.csv")
    assert preview.ok and preview.rows == 5
    found = preview.already_stored
    assert (found.count, found.rows, found.files) == (3, [3, 4, 6], ["januari.csv"])
    saved = run(cast, period, content, name="januari-februari.csv")
    assert saved.ok and not saved.dry_run and saved.already_stored.rows == [3, 4, 6]
    assert SkmResponse.objects.count() == 8
    event = AuditEvent.objects.filter(action="skm_import").latest("pk")
    assert event.new_values["already_stored"] == 3


def test_every_part_of_the_questionnaire_must_be_equal(cast: Cast, period: SurveyPeriod) -> None:
    """One answer, the usia, the saran or the petugas otherwise: another questionnaire. A
    value spelled otherwise ("Perempuan" for "P") is the same one."""
    assert run(cast, period, csv(GOOD), name="januari.csv").ok
    changed = [
        GOOD.replace("4,4,3,", "4,4,2,", 1),
        GOOD.replace(",34,", ",35,"),
        GOOD.replace("Ruang tunggu sempit", "Ruang tunggu luas"),
        f"{GOOD}{cast.perawat.nip}",
    ]
    assert run(cast, period, csv(*changed), dry_run=True).already_stored.count == 0
    spelled = GOOD.replace(",P,S1,", ",Perempuan,D4/S1,")
    assert run(cast, period, csv(spelled, OTHER), dry_run=True).already_stored.rows == [2]


def test_a_row_twice_in_the_file_and_once_stored_counts_once(
    cast: Cast, period: SurveyPeriod
) -> None:
    assert run(cast, period, csv(GOOD, OTHER), name="januari.csv").ok
    found = run(cast, period, csv(THIRD, GOOD, GOOD), dry_run=True).already_stored
    assert (found.count, found.rows) == (1, [3])
    # Stored twice (two citizens alike, or an earlier double count), in the file once: 1.
    assert run(cast, period, csv(GOOD, FOURTH), name="februari.csv").ok
    assert run(cast, period, csv(GOOD, THIRD), dry_run=True).already_stored.rows == [2]
    assert run(cast, period, csv(GOOD, GOOD, GOOD), dry_run=True).already_stored.count == 2


def test_no_overlap_reports_nothing(cast: Cast, period: SurveyPeriod) -> None:
    assert run(cast, period, csv(GOOD, OTHER), dry_run=True).already_stored.count == 0  # empty
    assert run(cast, period, csv(GOOD, OTHER)).ok
    found = run(cast, period, csv(THIRD, FOURTH), dry_run=True).already_stored
    assert (found.count, found.rows, found.files) == (0, [], [])


def test_answers_of_another_period_or_layanan_do_not_count(
    cast: Cast, period: SurveyPeriod, earlier: SurveyPeriod, key: PeriodKey
) -> None:
    gigi = services.layanan_save(
        by=cast.admin, unit=cast.puskesmas, name="Poli Gigi", code="gigi-sukamaju", population=50
    )
    gigi_period = services.period_open(by=cast.admin, layanan=gigi, key=key)
    assert run(cast, earlier, csv(GOOD, OTHER)).ok
    assert run(cast, gigi_period, csv(GOOD, THIRD)).ok
    assert run(cast, period, csv(GOOD, OTHER, THIRD), dry_run=True).already_stored.count == 0
    # ... while the same file is one stored row apiece for those two.
    assert run(cast, earlier, csv(GOOD, THIRD), dry_run=True).already_stored.rows == [2]
    assert run(cast, gigi_period, csv(OTHER, THIRD), dry_run=True).already_stored.rows == [3]


def test_online_answers_do_not_count(
    cast: Cast, period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    for client in ("a", "b"):
        public.response_submit(
            ticket=public.read_token(fresh_token()),
            client=client,
            submission=public.Submission(ANSWERS, 34, "P", "S1", "SWASTA"),
        )
    assert SkmResponse.objects.filter(source=Sumber.ONLINE).count() == 2
    assert run(cast, period, csv(LIKE_ONLINE), dry_run=True).already_stored.count == 0


def test_a_tanggal_is_compared_with_the_day_the_answer_is_stored_on(
    cast: Cast, earlier: SurveyPeriod
) -> None:
    """A row with a `tanggal` repeats only a stored answer of that day; a row without one
    repeats a stored answer of any day, once the dated rows have taken theirs."""
    first, second = earlier.start + timedelta(days=3), earlier.start + timedelta(days=40)
    one, two = f"{first:%d-%m-%Y}", f"{second:%d-%m-%Y}"
    assert run(cast, earlier, dated((GOOD, one), (GOOD, two)), name="januari.csv").ok
    assert run(cast, earlier, dated((GOOD, one)), dry_run=True).already_stored.rows == [2]
    other_day = f"{first + timedelta(days=1):%d-%m-%Y}"
    assert run(cast, earlier, dated((GOOD, other_day)), dry_run=True).already_stored.count == 0
    assert run(cast, earlier, csv(GOOD, GOOD, GOOD), dry_run=True).already_stored.rows == [2, 3]
    # The undated row 2 does not take the answer of `first` that the dated row 4 repeats.
    found = run(cast, earlier, dated((GOOD, ""), (GOOD, ""), (GOOD, one)), dry_run=True)
    assert found.already_stored.rows == [2, 4]
    found = run(cast, earlier, dated((GOOD, ""), (GOOD, one), (GOOD, one)), dry_run=True)
    assert found.already_stored.rows == [2, 3]


def test_the_preview_reads_the_stored_answers_in_one_query(
    cast: Cast, period: SurveyPeriod
) -> None:
    """The same queries for 1 or 60 stored answers and file rows (none per row): the two
    file checks, the petugas, the stored answers (values only) and the earlier file names."""

    def queries(content: bytes) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            found = run(cast, period, content, dry_run=True).already_stored
        assert found.count > 0
        return [q["sql"] for q in captured.captured_queries]

    assert run(cast, period, csv(GOOD), name="satu.csv").ok
    few = queries(csv(GOOD, OTHER))
    many = [GOOD.replace(",34,", f",{usia},") for usia in range(20, 80)]
    assert run(cast, period, csv(*many), name="banyak.csv").ok
    assert len(queries(csv(*many, OTHER, GOOD))) == len(few) == 5
    [stored] = [sql for sql in few if "surveys_skmresponse" in sql]
    assert '"surveys_skmresponse"."id"' not in stored  # values, not model instances


def send(client: Client, period: SurveyPeriod, content: bytes, dry_run: str) -> Any:
    upload = SimpleUploadedFile("februari.csv", content)
    data = {"period": period.key, "dry_run": dry_run, "file": upload}
    return client.post(f"/api/v1/skm/layanan/{period.layanan_id}/impor", data)


def test_the_api_reports_already_stored_rows(
    login: Callable[[str], Client], cast: Cast, period: SurveyPeriod
) -> None:
    client = login("admin")
    assert run(cast, period, csv(GOOD, OTHER), name="januari.csv").ok
    content = csv(THIRD, OTHER, GOOD)
    expected = {"count": 2, "rows": [3, 4], "files": ["januari.csv"]}
    preview = send(client, period, content, "true")
    assert preview.status_code == 200 and preview.json()["already_stored"] == expected
    saved = send(client, period, content, "false")
    assert saved.status_code == 200 and saved.json()["already_stored"] == expected
    assert saved.json()["ok"] and not saved.json()["dry_run"]
    assert SkmResponse.objects.count() == 5
    fresh = send(client, period, csv(FOURTH), "true")
    assert fresh.status_code == 200 and "already_stored" not in fresh.json()
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["AlreadyStoredOut"]["properties"]) == {
        "count",
        "rows",
        "files",
    }


def test_the_page_warns_before_saving_and_still_saves(
    login: Callable[[str], Client], cast: Cast, period: SurveyPeriod
) -> None:
    client = login("admin")
    assert run(cast, period, csv(GOOD, OTHER), name="januari.csv").ok

    def post(action: str, content: bytes) -> str:
        data = {
            "layanan": period.layanan_id,
            "period": period.key,
            "file": SimpleUploadedFile("februari.csv", content),
            "action": action,
        }
        return client.post("/skm/impor/", data, follow=True).content.decode()

    page = post("preview", csv(THIRD, OTHER, GOOD))
    assert "3 kuesioner siap disimpan" in page
    assert 'id="import-already-stored"' in page
    assert "2 baris dalam file ini sama persis dengan kuesioner kertas yang sudah tersimpan" in page
    assert "(baris 3, 4)" in page and "Impor sebelumnya: januari.csv." in page
    assert "Menyimpan file ini akan menghitungnya lagi" in page
    assert "hapus baris-barisnya dari file" in page
    saved = post("save", csv(THIRD, OTHER, GOOD))
    assert "Impor tersimpan: 3 kuesioner" in saved
    assert "2 kuesioner yang baru disimpan sama persis" in saved and "(baris 3, 4)" in saved
    assert SkmResponse.objects.count() == 5
    assert 'id="import-already-stored"' not in post("preview", csv(FOURTH))
    assert "baru disimpan sama persis" not in post("save", csv(FOURTH))


def test_the_warning_names_the_first_twenty_rows() -> None:
    text = warning(AlreadyStored(rows=list(range(2, 27)), files=["a.csv"]))
    assert "25 baris" in text and "(baris 2, 3," in text and "20, 21 …)" in text
    assert "22" not in text.split("(baris", 1)[1].split(")")[0]
    single = warning(AlreadyStored(rows=[7]))
    assert single.startswith("1 baris") and "hapus barisnya dari file" in single
    assert "Impor sebelumnya" not in single
    assert warning(AlreadyStored()) == "" == saved_warning(AlreadyStored())
