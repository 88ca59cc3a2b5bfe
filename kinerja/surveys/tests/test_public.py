"""The public questionnaire: a citizen on a phone, and every protection of the submission path
(honeypot, rate limit, duplicate, one-time signed token: reuse, expiry, forgery)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.surveys import public, services
from kinerja.surveys.models import Layanan, SkmResponse, Sumber, SurveyPeriod
from kinerja.surveys.periods import PeriodKey

from .conftest import ANSWERS, form_data

URL = "/s/poli-sukamaju/"


def token_from(page: str) -> str:
    marker = 'name="token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_form_shows_the_nine_unsur_with_official_wording(
    phone: Client, period: SurveyPeriod
) -> None:
    page = phone.get(URL).content.decode()
    assert "U1. Persyaratan" in page and "U9. Sarana dan Prasarana" in page
    assert "Sangat sopan dan ramah" in page and "Dikelola dengan baik" in page
    assert "Pemberitahuan data pribadi" in page
    assert "kecepatan waktu dalam memberikan pelayanan" in page  # the U3 question
    assert "Ratna Sari" in page and "Yohanes Manurung" in page  # petugas of the puskesmas
    assert "Dewi Lestari" not in page  # not of this unit


def test_a_citizen_submits_and_sees_thanks(phone: Client, period: SurveyPeriod) -> None:
    token = token_from(phone.get(URL).content.decode())
    answer = phone.post(URL, form_data(token, saran="Antrian lebih cepat"))
    assert answer.status_code == 302 and answer["Location"] == "/s/poli-sukamaju/terima-kasih/"
    assert "sudah kami terima" in phone.get(answer["Location"]).content.decode()
    row = SkmResponse.objects.get()
    assert row.answers() == ANSWERS and row.source == Sumber.ONLINE
    assert (row.instansi_id, row.unit_id, row.period_id) == (
        period.instansi_id,
        period.layanan.unit_id,
        period.pk,
    )
    assert row.saran == "Antrian lebih cepat" and row.petugas_id is None
    assert row.token_hash and row.fingerprint and "10.0.0.7" not in row.fingerprint


def test_petugas_of_the_unit_is_stored(phone: Client, period: SurveyPeriod, cast: Cast) -> None:
    token = token_from(phone.get(URL).content.decode())
    phone.post(URL, form_data(token, petugas=str(cast.perawat.pk)))
    assert SkmResponse.objects.get().petugas_id == cast.perawat.pk


def test_petugas_of_another_unit_is_refused(
    phone: Client, period: SurveyPeriod, cast: Cast, fresh_token: Callable[[], str]
) -> None:
    submission = public.Submission(ANSWERS, 30, "L", "SMA", "PNS", petugas_id=cast.staf_a.pk)
    with pytest.raises(public.Rejected, match="tidak bertugas di unit"):
        public.response_submit(
            ticket=public.read_token(fresh_token()), client="c", submission=submission
        )
    assert not SkmResponse.objects.exists()


def test_missing_answers_are_refused_with_a_message(phone: Client, period: SurveyPeriod) -> None:
    token = token_from(phone.get(URL).content.decode())
    data = form_data(token)
    del data["u4"]
    answer = phone.post(URL, data)
    assert answer.status_code == 400
    assert "Pilih salah satu jawaban untuk unsur ini." in answer.content.decode()
    assert not SkmResponse.objects.exists()
    # The same token still works once the form is complete.
    assert phone.post(URL, form_data(token)).status_code == 302


def test_answer_out_of_range_is_refused(phone: Client, period: SurveyPeriod) -> None:
    token = token_from(phone.get(URL).content.decode())
    answer = phone.post(URL, form_data(token, u1="5"))
    assert answer.status_code == 400 and not SkmResponse.objects.exists()


def test_honeypot_filled_is_refused(phone: Client, period: SurveyPeriod) -> None:
    token = token_from(phone.get(URL).content.decode())
    answer = phone.post(URL, form_data(token, website="http://spam.example"))
    assert answer.status_code == 400
    assert "Formulir tidak dapat diterima" in answer.content.decode()
    assert not SkmResponse.objects.exists()


def test_token_reuse_is_refused_by_the_database(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    ticket = public.read_token(fresh_token())
    first = public.Submission(ANSWERS, 30, "L", "SMA", "PNS")
    other = public.Submission((1,) * 9, 50, "P", "SD", "LAINNYA")
    public.response_submit(ticket=ticket, client="a", submission=first)
    with pytest.raises(public.TokenUsed, match="sudah pernah dikirim"):
        public.response_submit(ticket=ticket, client="b", submission=other)
    assert SkmResponse.objects.count() == 1


def test_a_double_tap_counts_once_and_lands_on_thanks(phone: Client, period: SurveyPeriod) -> None:
    token = token_from(phone.get(URL).content.decode())
    assert phone.post(URL, form_data(token)).status_code == 302
    again = phone.post(URL, form_data(token))
    assert again.status_code == 302 and again["Location"].endswith("/terima-kasih/")
    assert SkmResponse.objects.count() == 1


def test_duplicate_from_the_same_client_is_refused(phone: Client, period: SurveyPeriod) -> None:
    first = token_from(phone.get(URL).content.decode())
    second = token_from(phone.get(URL).content.decode())
    assert phone.post(URL, form_data(first)).status_code == 302
    answer = phone.post(URL, form_data(second))
    assert answer.status_code == 409
    assert "kami hanya menghitungnya sekali" in answer.content.decode()
    assert SkmResponse.objects.count() == 1
    # Different answers from the same phone (another family member) are fine.
    third = token_from(phone.get(URL).content.decode())
    assert phone.post(URL, form_data(third, usia="61")).status_code == 302
    # The same answers from another client are fine too.
    other = Client(REMOTE_ADDR="10.0.0.8")
    fourth = token_from(other.get(URL).content.decode())
    assert other.post(URL, form_data(fourth)).status_code == 302
    assert SkmResponse.objects.count() == 3


def test_duplicate_is_refused_by_the_database_without_the_cache(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    from django.core.cache import cache

    submission = public.Submission(ANSWERS, 30, "L", "SMA", "PNS")
    public.response_submit(
        ticket=public.read_token(fresh_token()), client="a", submission=submission
    )
    cache.clear()  # another process, whose cache never saw the first answer
    with pytest.raises(public.Duplicate):
        public.response_submit(
            ticket=public.read_token(fresh_token()), client="a", submission=submission
        )
    assert SkmResponse.objects.count() == 1


def test_rate_limit_per_client(phone: Client, period: SurveyPeriod, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KINERJA_SKM_RATE_LIMIT = 3
    for age in (20, 21, 22):
        token = token_from(phone.get(URL).content.decode())
        assert phone.post(URL, form_data(token, usia=str(age))).status_code == 302
    token = token_from(phone.get(URL).content.decode())
    answer = phone.post(URL, form_data(token, usia="23"))
    assert answer.status_code == 429
    assert "Terlalu banyak pengiriman" in answer.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.9")
    token = token_from(other.get(URL).content.decode())
    assert other.post(URL, form_data(token, usia="23")).status_code == 302
    assert SkmResponse.objects.count() == 4


def test_client_address_behind_a_proxy(settings, rf) -> None:  # type: ignore[no-untyped-def]
    settings.KINERJA_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    one = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="1.2.3.4")
    two = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="5.6.7.8")
    assert public.client_key(one) != public.client_key(two)
    assert "1.2.3.4" not in public.client_key(one)


def test_forwarded_for_counts_the_entry_the_proxy_added(settings, rf) -> None:  # type: ignore[no-untyped-def]
    """The client may send any X-Forwarded-For; the proxy appends the address it saw."""
    settings.KINERJA_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    def key(value: str) -> str:
        return public.client_key(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=value))

    assert key("1.1.1.1, 203.0.113.7") == key("9.9.9.9, 203.0.113.7") == key("203.0.113.7")
    assert key("1.1.1.1, 203.0.113.7") != key("1.1.1.1, 198.51.100.2")


def test_expired_token_is_refused_and_a_fresh_one_offered(  # type: ignore[no-untyped-def]
    phone: Client, period: SurveyPeriod, settings, monkeypatch
) -> None:
    token = token_from(phone.get(URL).content.decode())
    later = timezone.now().timestamp() + settings.KINERJA_SKM_TOKEN_MAX_AGE + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)  # type: ignore[attr-defined]
    answer = phone.post(URL, form_data(token))
    page = answer.content.decode()
    assert answer.status_code == 400 and "Formulir ini sudah kedaluwarsa" in page
    assert "Jawaban Anda masih ada di bawah; kirim sekali lagi." in page
    assert "Muat ulang" not in page  # not needed: the page below is ready to send again
    assert token_from(page) != token  # the page carries a new token, answers kept
    assert 'value="4" required checked' in page or "checked" in page
    assert not SkmResponse.objects.exists()


def test_forged_or_foreign_token_is_refused(
    phone: Client, period: SurveyPeriod, cast: Cast, key: PeriodKey
) -> None:
    forged = signing.dumps([period.layanan_id, period.pk, "x"], salt="other", compress=False)
    answer = phone.post(URL, form_data(forged))
    assert answer.status_code == 400 and "tidak sah" in answer.content.decode()
    issued = token_from(phone.get(URL).content.decode())
    i = len(issued) - 10  # inside the signature, where every bit counts (the last may not)
    tampered = issued[:i] + ("A" if issued[i] != "A" else "B") + issued[i + 1 :]
    assert phone.post(URL, form_data(tampered)).status_code == 400
    other = services.layanan_save(by=cast.admin, unit=cast.seksi, name="KIA", code="kia")
    other_period = services.period_open(by=cast.admin, layanan=other, key=key)
    foreign = public.issue_token(other.pk, other_period.pk)
    answer = phone.post(URL, form_data(foreign))
    assert answer.status_code == 400 and "layanan lain" in answer.content.decode()
    assert not SkmResponse.objects.exists()


def test_closed_or_inactive_layanan(phone: Client, layanan: Layanan, cast: Cast) -> None:
    assert "sedang tidak dibuka" in phone.get(URL).content.decode()  # no period yet
    services.layanan_save(
        by=cast.admin,
        unit=layanan.unit,
        name=layanan.name,
        code=layanan.code,
        active=False,
        layanan=layanan,
    )
    inactive = phone.get(URL)  # the address of a printed poster: closed, not unknown
    assert inactive.status_code == 200 and "sedang tidak dibuka" in inactive.content.decode()
    assert phone.get("/s/tidak-ada/").status_code == 404


def test_period_ended_after_the_form_was_loaded(
    phone: Client, period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    token = fresh_token()
    SurveyPeriod.objects.filter(pk=period.pk).update(
        end=timezone.localdate() - timedelta(days=1),
        start=timezone.localdate() - timedelta(days=30),
    )
    with pytest.raises(public.Rejected, match="tidak dibuka"):
        public.response_submit(
            ticket=public.read_token(token),
            client="a",
            submission=public.Submission(ANSWERS, 30, "L", "SMA", "PNS"),
        )


def test_inactive_layanan_after_the_form_was_loaded(
    period: SurveyPeriod, cast: Cast, fresh_token: Callable[[], str]
) -> None:
    token = fresh_token()
    Layanan.objects.filter(pk=period.layanan_id).update(active=False)
    with pytest.raises(public.Rejected, match="sedang tidak dibuka"):
        public.response_submit(
            ticket=public.read_token(token),
            client="a",
            submission=public.Submission(ANSWERS, 30, "L", "SMA", "PNS"),
            code="poli-sukamaju",
        )
    assert not SkmResponse.objects.exists()


def test_period_not_started_yet(period: SurveyPeriod, fresh_token: Callable[[], str]) -> None:
    token = fresh_token()
    SurveyPeriod.objects.filter(pk=period.pk).update(
        start=timezone.localdate() + timedelta(days=1),
        end=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(public.Rejected, match="sedang tidak dibuka"):
        public.response_submit(
            ticket=public.read_token(token),
            client="a",
            submission=public.Submission(ANSWERS, 30, "L", "SMA", "PNS"),
        )
    assert not SkmResponse.objects.exists()


def test_answer_posted_to_another_layanan_code_is_refused(
    period: SurveyPeriod, cast: Cast, key: PeriodKey, fresh_token: Callable[[], str]
) -> None:
    other = services.layanan_save(by=cast.admin, unit=cast.seksi, name="KIA", code="kia")
    services.period_open(by=cast.admin, layanan=other, key=key)  # running, but not the token's
    with pytest.raises(public.TokenInvalid, match="Formulir ini untuk layanan lain"):
        public.response_submit(
            ticket=public.read_token(fresh_token()),
            client="a",
            submission=public.Submission(ANSWERS, 30, "L", "SMA", "PNS"),
            code="kia",
        )
    assert not SkmResponse.objects.exists()


def test_petugas_check_names_its_reason_only_when_the_period_runs(
    period: SurveyPeriod, cast: Cast, fresh_token: Callable[[], str]
) -> None:
    """Both checks are in the one INSERT; the explanation after a refusal picks the message."""
    stranger = public.Submission(ANSWERS, 30, "L", "SMA", "PNS", petugas_id=cast.staf_a.pk)
    token = fresh_token()
    with pytest.raises(public.Rejected, match="tidak bertugas di unit"):
        public.response_submit(
            ticket=public.read_token(token), client="a", submission=stranger, code="poli-sukamaju"
        )
    for missing in (10**9, 2**70, -1):  # no such pegawai (also beyond bigint)
        with pytest.raises(public.Rejected, match="tidak bertugas di unit"):
            public.response_submit(
                ticket=public.read_token(token),
                client="a",
                submission=public.Submission(ANSWERS, 30, "L", "SMA", "PNS", petugas_id=missing),
            )
    # Corrected with the same form (token) and the same answers: not taken for a repeat.
    fixed = public.Submission(ANSWERS, 30, "L", "SMA", "PNS", petugas_id=cast.perawat.pk)
    public.response_submit(
        ticket=public.read_token(token), client="a", submission=fixed, code="poli-sukamaju"
    )
    assert SkmResponse.objects.get().petugas_id == cast.perawat.pk
    SurveyPeriod.objects.filter(pk=period.pk).update(
        end=timezone.localdate() - timedelta(days=1),
        start=timezone.localdate() - timedelta(days=30),
    )
    with pytest.raises(public.Rejected, match="sedang tidak dibuka"):  # both wrong: the period
        public.response_submit(
            ticket=public.read_token(fresh_token()), client="b", submission=stranger
        )


def test_petugas_of_another_unit_on_the_page(
    phone: Client, period: SurveyPeriod, cast: Cast
) -> None:
    token = token_from(phone.get(URL).content.decode())
    answer = phone.post(URL, form_data(token, petugas=str(cast.staf_a.pk)))
    assert answer.status_code == 400
    assert "tidak bertugas di unit layanan ini" in answer.content.decode()
    assert not SkmResponse.objects.exists()
    assert phone.post(URL, form_data(token, petugas=str(cast.perawat.pk))).status_code == 302
    assert SkmResponse.objects.get().petugas_id == cast.perawat.pk


def test_page_posted_after_the_period_closed_or_the_layanan_went_inactive(
    phone: Client, period: SurveyPeriod
) -> None:
    token = token_from(phone.get(URL).content.decode())
    SurveyPeriod.objects.filter(pk=period.pk).update(
        end=timezone.localdate() - timedelta(days=1),
        start=timezone.localdate() - timedelta(days=30),
    )
    for _closing in ("period ended", "layanan inactive as well"):
        closed = phone.post(URL, form_data(token))
        page = closed.content.decode()
        assert closed.status_code == 400 and "sedang tidak dibuka" in page
        assert "Jawaban Anda belum tersimpan" in page
        Layanan.objects.filter(pk=period.layanan_id).update(active=False)
    assert phone.post("/s/tidak-ada/", form_data(token)).status_code == 404
    assert not SkmResponse.objects.exists()


def test_the_insert_lists_every_column_of_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    build = public._insert_sql.__wrapped__
    assert "RETURNING" in build(connection.vendor, True, True)
    monkeypatch.setattr(public, "_PARAM_COLUMNS", public._PARAM_COLUMNS[:-1])
    with pytest.raises(RuntimeError, match="columns changed"):
        build(connection.vendor, False, False)


@pytest.mark.django_db(transaction=True)
def test_an_accepted_answer_is_one_query(  # type: ignore[no-untyped-def]
    phone: Client,
    period: SurveyPeriod,
    cast: Cast,
    fresh_token: Callable[[], str],
    django_assert_num_queries,
) -> None:
    """As served (autocommit): the checks and the INSERT are one statement, no audit."""
    with django_assert_num_queries(1) as captured:
        public.response_submit(
            ticket=public.read_token(fresh_token()),
            client="a",
            submission=public.Submission(ANSWERS, 30, "L", "SMA", "PNS"),
            code="poli-sukamaju",
        )
    sql = captured.captured_queries[0]["sql"]
    assert sql.startswith("INSERT") and "RETURNING" in sql and "audit" not in sql
    with django_assert_num_queries(1):  # a petugas named: checked in the same statement
        public.response_submit(
            ticket=public.read_token(fresh_token()),
            client="a",
            submission=public.Submission(
                ANSWERS, 31, "L", "SMA", "PNS", petugas_id=cast.perawat.pk
            ),
        )
    with django_assert_num_queries(1):  # the page: a redirect, no lookups
        answer = phone.post(URL, form_data(fresh_token(), petugas=str(cast.perawat.pk)))
    assert answer.status_code == 302 and answer["Location"].endswith("/terima-kasih/")
    rows = SkmResponse.objects.order_by("id")
    assert [(r.usia, r.petugas_id, r.period_id, r.unit_id) for r in rows] == [
        (30, None, period.pk, period.layanan.unit_id),
        (31, cast.perawat.pk, period.pk, period.layanan.unit_id),
        (34, cast.perawat.pk, period.pk, period.layanan.unit_id),
    ]
    assert all(r.instansi_id == period.instansi_id and r.source == Sumber.ONLINE for r in rows)


@pytest.mark.django_db(transaction=True)
def test_autocommit_path_refuses_reuse_and_keeps_the_connection_usable(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    """As served (no surrounding transaction): the INSERT is its own transaction."""
    assert not connection.in_atomic_block
    ticket = public.read_token(fresh_token())
    public.response_submit(
        ticket=ticket, client="a", submission=public.Submission(ANSWERS, 30, "L", "SMA", "PNS")
    )
    with pytest.raises(public.TokenUsed):
        public.response_submit(
            ticket=ticket, client="b", submission=public.Submission((2,) * 9, 40, "P", "SD", "TNI")
        )
    assert SkmResponse.objects.count() == 1  # the connection still works after the refusal
    with pytest.raises(public.Rejected, match="tidak bertugas"):  # no row: explained after
        public.response_submit(
            ticket=public.read_token(fresh_token()),
            client="c",
            submission=public.Submission(ANSWERS, 30, "L", "SMA", "PNS", petugas_id=10**9),
        )
    assert SkmResponse.objects.count() == 1


def test_a_form_of_the_previous_period_gets_a_token_of_the_running_one(
    phone: Client, period: SurveyPeriod, cast: Cast, key: PeriodKey
) -> None:
    """Loaded before the period changed: refused once, with the answers kept and a token for
    the running period, so that sending again is accepted."""
    earlier_key = key.previous()
    assert earlier_key is not None
    earlier = services.period_open(by=cast.admin, layanan=period.layanan, key=earlier_key)
    stale = public.issue_token(period.layanan_id, earlier.pk)
    answer = phone.post(URL, form_data(stale, saran="Antrean"))
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "periode baru sedang berjalan" in page and "Antrean" in page
    fresh = token_from(page)
    assert public.read_token(fresh).period_id == period.pk
    again = phone.post(URL, form_data(fresh, saran="Antrean"))
    assert again.status_code == 302
    assert SkmResponse.objects.get().period_id == period.pk
