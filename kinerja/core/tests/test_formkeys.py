"""One-time form keys (kinerja.core.formkeys) on a stand-in create service: the same key twice
creates once and answers the same, a new key creates again, the key is per user, a garbage key
is a clear error and no key is an ordinary request; the same key with other content is a
conflict (fingerprints)."""

from __future__ import annotations

import io
import itertools
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.template import Context, Template
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.core import formkeys
from kinerja.core.errors import Conflict, ServiceError
from kinerja.core.formkeys import creates, creates_many, form_keys_purge, key_of
from kinerja.core.models import FormKey

pytestmark = pytest.mark.django_db

KEY = "a" * 32


@creates(User)
@transaction.atomic
def user_make(*, by: User, username: str, form_key: str = "") -> User:
    return User.objects.create(username=username)


@creates_many(User)
@transaction.atomic
def users_make(*, by: User, names: list[str], form_key: str = "") -> list[User]:
    return [User.objects.create(username=n) for n in names]


@dataclass(frozen=True)
class Upload:
    """Like the services' uploads: a file's name and its bytes."""

    name: str
    content: bytes


_serial = itertools.count()


@creates(User)
@transaction.atomic
def user_make_next(*, by: User, prefix: str, form_key: str = "") -> User:
    """Same content, a new row each run (so a race between two equal posts can be staged)."""
    return User.objects.create(username=f"{prefix}-{next(_serial)}")


@creates(User)
@transaction.atomic
def user_refuse(*, by: User, form_key: str = "") -> User:
    raise ServiceError("Ditolak.")


@pytest.fixture
def actor() -> User:
    return User.objects.create(username="aktor")


def made() -> int:
    return User.objects.exclude(username__in=["aktor", "lain"]).count()


def test_the_same_key_twice_creates_once_and_answers_with_the_first_row(actor: User) -> None:
    first = user_make(by=actor, username="satu", form_key=KEY)
    again = user_make(by=actor, username="satu", form_key=KEY)
    assert again == first and again.username == "satu"
    assert made() == 1
    assert FormKey.objects.get().object_ids == [first.pk]
    assert FormKey.objects.get().fingerprint == formkeys.fingerprint((), {"username": "satu"})


def test_the_same_key_with_other_content_is_a_conflict_and_creates_nothing(actor: User) -> None:
    first = user_make(by=actor, username="satu", form_key=KEY)
    with pytest.raises(Conflict, match="isi yang lain"):
        user_make(by=actor, username="dua", form_key=KEY)
    assert made() == 1 and not User.objects.filter(username="dua").exists()
    assert user_make(by=actor, username="satu", form_key=KEY) == first


def test_a_key_recorded_before_fingerprints_replays_whatever_the_content(actor: User) -> None:
    first = user_make(by=actor, username="satu", form_key=KEY)
    FormKey.objects.update(fingerprint="")
    assert user_make(by=actor, username="dua", form_key=KEY) == first


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (Decimal("10"), Decimal("10.00")),
        (10.5, Decimal("10.50")),
        (date(2026, 12, 3), date(2026, 12, 3)),
        ({"b": 1, "a": [1, 2]}, {"a": (1, 2), "b": 1}),
        ({1, 2, 3}, {3, 2, 1}),
        (Upload("a.png", b"isi"), Upload("a.png", b"isi")),
    ],
)
def test_equal_content_has_one_fingerprint(one: Any, other: Any) -> None:
    assert formkeys.fingerprint((), {"x": one}) == formkeys.fingerprint((), {"x": other})


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (Decimal("10"), Decimal("10.01")),
        ("teks", "teks "),
        (date(2026, 12, 3), date(2026, 12, 4)),
        ([1, 2], [2, 1]),
        (None, ""),
        (Upload("a.png", b"isi"), Upload("a.png", b"isi lain")),
        (Upload("a.png", b"isi"), Upload("b.png", b"isi")),
    ],
)
def test_other_content_has_another_fingerprint(one: Any, other: Any) -> None:
    assert formkeys.fingerprint((), {"x": one}) != formkeys.fingerprint((), {"x": other})


def test_rows_count_by_table_and_key_and_the_caller_and_key_are_left_out(actor: User) -> None:
    other = User.objects.create(username="lain")
    base = formkeys.fingerprint((), {"who": actor})
    assert base == formkeys.fingerprint((), {"who": User.objects.get(pk=actor.pk)})
    assert base != formkeys.fingerprint((), {"who": other})
    assert formkeys.fingerprint((), {"by": actor, "form_key": KEY, "x": 1}) == (
        formkeys.fingerprint((), {"by": other, "x": 1})
    )


def test_two_keys_create_two_rows(actor: User) -> None:
    user_make(by=actor, username="satu", form_key=KEY)
    user_make(by=actor, username="dua", form_key="b" * 32)
    assert made() == 2


def test_the_key_is_per_user(actor: User) -> None:
    other = User.objects.create(username="lain")
    mine = user_make(by=actor, username="satu", form_key=KEY)
    theirs = user_make(by=other, username="dua", form_key=KEY)
    assert mine != theirs and made() == 2


def test_no_key_is_an_ordinary_request_and_records_nothing(actor: User) -> None:
    user_make(by=actor, username="satu")
    user_make(by=actor, username="dua", form_key="")
    assert made() == 2 and not FormKey.objects.exists()


@pytest.mark.parametrize(
    "garbage", ["pendek", "x" * 65, "kunci dengan spasi", "<script>x</script>"]
)
def test_a_garbage_key_is_a_clear_error_and_creates_nothing(actor: User, garbage: str) -> None:
    with pytest.raises(ServiceError, match="Kunci formulir tidak sah") as caught:
        user_make(by=actor, username="satu", form_key=garbage)
    assert caught.value.field == "form_key"
    assert made() == 0


def test_a_refused_first_post_records_no_key(actor: User) -> None:
    with pytest.raises(ServiceError, match="Ditolak"):
        user_refuse(by=actor, form_key=KEY)
    assert not FormKey.objects.exists()
    assert user_make(by=actor, username="satu", form_key=KEY).username == "satu"


def test_a_key_used_by_another_form_is_a_conflict(actor: User) -> None:
    user_make(by=actor, username="satu", form_key=KEY)
    with pytest.raises(Conflict):
        users_make(by=actor, names=["dua"], form_key=KEY)
    assert made() == 1


def test_a_replay_whose_rows_are_gone_is_a_conflict(actor: User) -> None:
    user_make(by=actor, username="satu", form_key=KEY).delete()
    with pytest.raises(Conflict, match="sudah dihapus"):
        user_make(by=actor, username="satu", form_key=KEY)
    assert made() == 0


def test_many_rows_replay_in_their_order(actor: User) -> None:
    first = users_make(by=actor, names=["c", "a", "b"], form_key=KEY)
    again = users_make(by=actor, names=["c", "a", "b"], form_key=KEY)
    assert [u.username for u in again] == ["c", "a", "b"] and again == first
    assert made() == 3


def stale_first_look(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The next post's first look-up of its key finds nothing (as if the first post had not
    committed yet); later look-ups are real. Returns the list of look-ups made."""
    real = formkeys._replay
    calls: list[str] = []

    def look(*args: Any) -> Any:
        calls.append("look")
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(formkeys, "_replay", look)
    return calls


def test_a_lost_race_rolls_back_its_rows_and_answers_with_the_winners(
    actor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second post looked the key up before the first recorded it: the constraint refuses
    its key, its row is rolled back, and it answers with the first post's row."""
    winner = user_make_next(by=actor, prefix="pos", form_key=KEY)
    calls = stale_first_look(monkeypatch)
    assert user_make_next(by=actor, prefix="pos", form_key=KEY) == winner
    assert calls == ["look", "look"]
    assert made() == 1
    assert FormKey.objects.count() == 1


def test_a_lost_race_with_other_content_rolls_back_and_is_a_conflict(
    actor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_make_next(by=actor, prefix="pos", form_key=KEY)
    stale_first_look(monkeypatch)
    with pytest.raises(Conflict, match="isi yang lain"):
        user_make_next(by=actor, prefix="lain", form_key=KEY)
    assert made() == 1 and not User.objects.filter(username__startswith="lain").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_create_one_row() -> None:
    """Two threads post the same key at once (real transactions): one row, one answer."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("in-memory SQLite is one connection")
    actor = User.objects.create(username="aktor")
    answers: list[int] = []
    barrier = threading.Barrier(2)

    def post(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            answers.append(user_make_next(by=actor, prefix=name, form_key=KEY).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=("pos",)) for _n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(answers) == 2 and answers[0] == answers[1]
    assert made() == 1


def test_purge_forgets_old_keys(actor: User) -> None:
    user_make(by=actor, username="satu", form_key=KEY)
    FormKey.objects.update(created_at=timezone.now() - timedelta(days=40))
    user_make(by=actor, username="dua", form_key="b" * 32)
    assert form_keys_purge(before=timezone.now() - timedelta(days=30)) == 1
    assert list(FormKey.objects.values_list("key", flat=True)) == ["b" * 32]


def test_the_nightly_command_forgets_keys_older_than_its_days(actor: User) -> None:
    user_make(by=actor, username="satu", form_key=KEY)
    FormKey.objects.update(created_at=timezone.now() - timedelta(days=8))
    user_make(by=actor, username="dua", form_key="b" * 32)
    out = io.StringIO()
    call_command("form_keys_purge", "--days", "7", stdout=out)
    assert out.getvalue().strip() == "1 kunci formulir dihapus."
    assert list(FormKey.objects.values_list("key", flat=True)) == ["b" * 32]
    with pytest.raises(CommandError, match="antara 1 dan 3650"):
        call_command("form_keys_purge", "--days", "0")
    assert FormKey.objects.count() == 1


def test_the_tag_renders_a_new_valid_key_each_time() -> None:
    template = Template("{% load formkeys %}{% form_key %}|{% form_key %}")
    first, second = template.render(Context()).split("|")
    assert first.startswith('<input type="hidden" name="form_key" value="')
    assert first != second
    value = first.split('value="')[1].split('"')[0]
    assert len(value) == 32 and key_of({"form_key": value}) == value
