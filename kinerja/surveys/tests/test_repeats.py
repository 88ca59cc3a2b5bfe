"""A repeat that arrives while the first write of the same answers still runs is told
"received" or "duplicate" only once that first answer is stored. The same form (a double tap, a
phone's retry) goes on to the INSERT, whose UNIQUE token hash decides; another form with the
same answers waits for the first write, and is asked to send again if it is still running."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from kinerja.surveys import public
from kinerja.surveys.models import SkmResponse, SurveyPeriod

from .test_submit_failure import API, send

# The answers that `send` posts (test_submit_failure.ANSWER).
SUBMISSION = public.Submission((4, 3, 3, 4, 3, 4, 4, 2, 3), 44, "L", "SMA", "WIRAUSAHA")


def held_mark(ticket: public.Ticket, client: str = "a") -> tuple[str, str]:
    """The duplicate mark of SUBMISSION from `client`, and the token hash of `ticket`."""
    base = public._fingerprint_base(client, ticket.layanan_id, SUBMISSION)
    return f"skm:dup:{base}", public._digest("token", ticket.nonce)


def test_the_same_form_during_its_first_write_is_stored_when_that_write_fails(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    """The first write still holds the mark (it fails after this one is sent): the repeat is
    not told "received", it is written, and the mark is kept for what is stored."""
    ticket = public.read_token(fresh_token())
    mark, token_hash = held_mark(ticket)
    cache.add(mark, token_hash, 600)  # the first write, running
    pk = public.response_submit(ticket=ticket, client="a", submission=SUBMISSION)
    assert SkmResponse.objects.get().pk == pk
    assert cache.get(mark) == token_hash
    with pytest.raises(public.TokenUsed):  # and a third send is the stored answer
        public.response_submit(ticket=ticket, client="a", submission=SUBMISSION)
    assert SkmResponse.objects.count() == 1


def test_the_same_form_after_its_first_write_is_stored_is_told_received(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    ticket = public.read_token(fresh_token())
    public.response_submit(ticket=ticket, client="a", submission=SUBMISSION)
    with pytest.raises(public.TokenUsed, match="sudah kami terima"):
        public.response_submit(ticket=ticket, client="a", submission=SUBMISSION)
    assert SkmResponse.objects.count() == 1


def test_other_form_same_answers_waits_then_asks_to_send_again(
    period: SurveyPeriod, fresh_token: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first form's write is still running after the wait: neither "duplicate" (it may
    yet fail) nor a second row (it may yet be stored); the first's mark is left alone."""
    monkeypatch.setattr(public, "REPEAT_WAIT_SECONDS", 0.1)
    first, second = (public.read_token(fresh_token()) for _ in range(2))
    mark, first_hash = held_mark(first)
    cache.add(mark, first_hash, 600)
    started = time.monotonic()
    with pytest.raises(public.Unavailable, match="coba kirim lagi") as refused:
        public.response_submit(ticket=second, client="a", submission=SUBMISSION)
    assert refused.value.status == 503 and refused.value.code == "unavailable"
    assert time.monotonic() - started >= 0.1
    assert not SkmResponse.objects.exists()
    assert cache.get(mark) == first_hash


def test_other_form_same_answers_is_stored_when_the_first_write_fails_meanwhile(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    first, second = (public.read_token(fresh_token()) for _ in range(2))
    mark, first_hash = held_mark(first)
    cache.add(mark, first_hash, 600)
    freed = threading.Timer(0.2, cache.delete, [mark])  # the first write fails and lets go
    freed.start()
    try:
        pk = public.response_submit(ticket=second, client="a", submission=SUBMISSION)
    finally:
        freed.join()
    stored = SkmResponse.objects.get()
    assert stored.pk == pk and stored.token_hash == held_mark(second)[1]
    assert cache.get(mark) == stored.token_hash


def test_other_form_same_answers_is_a_duplicate_once_the_first_is_stored(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    first, second = (public.read_token(fresh_token()) for _ in range(2))
    public.response_submit(ticket=first, client="a", submission=SUBMISSION)
    with pytest.raises(public.Duplicate, match="hanya menghitungnya sekali"):
        public.response_submit(ticket=second, client="a", submission=SUBMISSION)
    assert SkmResponse.objects.count() == 1


def test_the_api_answers_503_while_the_same_answers_of_another_form_are_written(
    phone: Client, period: SurveyPeriod, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public, "REPEAT_WAIT_SECONDS", 0.05)
    writing = phone.get(f"{API}/formulir").json()["token"]
    ticket = public.read_token(writing)
    base = public._fingerprint_base(
        public._digest("client", "10.0.0.7"), ticket.layanan_id, SUBMISSION
    )
    cache.add(f"skm:dup:{base}", public._digest("token", ticket.nonce), 600)
    answer = send(phone, phone.get(f"{API}/formulir").json()["token"])
    assert answer.status_code == 503, answer.content
    assert answer.json()["code"] == "unavailable"
    assert not SkmResponse.objects.exists()


def _write_in_thread(
    ticket: public.Ticket, hold: threading.Event, finish: Callable[[], None], out: list[Any]
) -> None:
    """The first write, in its own connection: stored but not committed until `hold` is set,
    then committed or rolled back by `finish` (which raises to roll back)."""
    try:
        with transaction.atomic():
            out.append(public.response_submit(ticket=ticket, client="a", submission=SUBMISSION))
            hold.wait(10)
            finish()
    except RuntimeError as exc:
        out.append(exc)
    finally:
        connection.close()


def _repeat_in_thread(ticket: public.Ticket, out: list[Any]) -> None:
    try:
        out.append(public.response_submit(ticket=ticket, client="a", submission=SUBMISSION))
    except public.Rejected as exc:
        out.append(exc)
    finally:
        connection.close()


def _race(ticket: public.Ticket, finish: Callable[[], None]) -> tuple[list[Any], list[Any]]:
    """A double tap: the same form sent again while its first write is not committed yet."""
    hold = threading.Event()
    first: list[Any] = []
    second: list[Any] = []
    writer = threading.Thread(target=_write_in_thread, args=(ticket, hold, finish, first))
    writer.start()
    for _ in range(100):
        if first:
            break
        time.sleep(0.02)
    repeat = threading.Thread(target=_repeat_in_thread, args=(ticket, second))
    repeat.start()
    time.sleep(0.3)
    waiting = repeat.is_alive()  # blocked on the token's UNIQUE, not answered from the mark
    hold.set()
    writer.join(10)
    repeat.join(10)
    assert waiting, second
    return first, second


def _roll_back() -> None:
    raise RuntimeError("the first write fails after its INSERT")


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_waits_for_the_first_write_and_is_received_when_it_commits(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: there is no uncommitted row to wait for")
    ticket = public.read_token(fresh_token())
    first, second = _race(ticket, lambda: None)
    assert isinstance(first[0], int)
    assert len(second) == 1 and isinstance(second[0], public.TokenUsed)
    assert list(SkmResponse.objects.values_list("pk", flat=True)) == [first[0]]


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_is_stored_when_the_first_write_rolls_back(
    period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: there is no uncommitted row to wait for")
    ticket = public.read_token(fresh_token())
    first, second = _race(ticket, _roll_back)
    assert isinstance(first[-1], RuntimeError)
    assert len(second) == 1 and isinstance(second[0], int), second
    assert list(SkmResponse.objects.values_list("pk", flat=True)) == [second[0]]
