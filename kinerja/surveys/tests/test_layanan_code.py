"""A layanan code that another request saves after this one's check (two tabs, a retry without
a form key): the unique constraint refuses the second INSERT, and the answer is the same 409
naming `code` as when the code was already taken, on the service, the API and the page, with
nothing of the refused request written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, clean_or_refuse
from kinerja.core.race_testing import Gate, on_postgres, one_after_another
from kinerja.org.testing import Cast
from kinerja.surveys import services
from kinerja.surveys.models import Layanan

Login = Callable[[str], Client]
TAKEN = "Kode singkat 'poli-gigi' sudah dipakai layanan lain."


def saved_meanwhile(monkeypatch: pytest.MonkeyPatch, cast: Cast, code: str) -> None:
    """Another request stores `code` after this one's checks passed, before its INSERT."""

    def then_the_other(obj: Any, exclude: list[str] | None = None) -> None:
        clean_or_refuse(obj, exclude=exclude)
        Layanan.objects.create(instansi=cast.kab, unit=cast.seksi, name="Tab lain", code=code)

    monkeypatch.setattr(services, "clean_or_refuse", then_the_other)


def creates() -> int:
    return AuditEvent.objects.filter(action="skm_layanan_create").count()


def test_a_code_saved_meanwhile_is_the_same_conflict(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_meanwhile(monkeypatch, cast, "poli-gigi")
    with pytest.raises(Conflict) as refused:
        services.layanan_save(
            by=cast.admin, unit=cast.puskesmas, name="Poli Gigi", code="poli-gigi"
        )
    assert (refused.value.status, refused.value.field, refused.value.message) == (
        409,
        "code",
        TAKEN,
    )
    assert not Layanan.objects.filter(name="Poli Gigi").exists() and creates() == 0


def test_a_code_changed_to_one_saved_meanwhile_is_the_same_conflict(
    cast: Cast, layanan: Layanan, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_meanwhile(monkeypatch, cast, "poli-gigi")
    with pytest.raises(Conflict, match=TAKEN):
        services.layanan_save(
            by=cast.admin, unit=cast.puskesmas, name="Poli Umum", code="poli-gigi",
            layanan=layanan,
        )  # fmt: skip
    assert Layanan.objects.get(pk=layanan.pk).code == "poli-sukamaju"
    assert not AuditEvent.objects.filter(action="skm_layanan_update").exists()


def test_the_api_answers_409_naming_code(
    login: Login, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_meanwhile(monkeypatch, cast, "poli-gigi")
    body = {"unit_id": cast.puskesmas.pk, "name": "Poli Gigi", "code": "poli-gigi"}
    answer = login("admin").post(
        "/api/v1/skm/layanan", json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 409, answer.content
    assert answer.json() == {
        "detail": TAKEN,
        "code": "conflict",
        "errors": [{"field": "code", "message": TAKEN}],
    }
    assert not Layanan.objects.filter(name="Poli Gigi").exists() and creates() == 0


def test_the_page_shows_the_refusal_at_the_code(
    login: Login, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_meanwhile(monkeypatch, cast, "poli-gigi")
    data = {"unit": cast.puskesmas.pk, "name": "Poli Gigi", "code": "poli-gigi"}
    page = login("admin").post("/skm/layanan/baru/", data | {"population": "50", "active": "on"})
    assert page.status_code == 200
    assert page.context["form"].errors == {"code": [TAKEN]}
    assert not Layanan.objects.filter(name="Poli Gigi").exists() and creates() == 0


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_new_code_from_two_tabs_at_once_stores_one(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first tab's layanan is saved, not committed, when the second sends the same code:
    the second passes the check (it cannot see the row), waits on the unique index and is
    then refused like a code already taken."""
    gate = Gate()  # the first tab: saved, its transaction still open
    monkeypatch.setattr(
        Layanan, "save", gate.hold(Layanan.save, lambda item, *a, **k: item.name == "Poli Gigi")
    )

    def tab(name: str) -> Callable[[], Layanan]:
        return lambda: services.layanan_save(
            by=cast.admin, unit=cast.puskesmas, name=name, code="poli-gigi"
        )

    first, second, waited = one_after_another(gate, tab("Poli Gigi"), tab("Poli Gigi (tab 2)"))
    assert first.error is None, first.error
    refused = second.error
    assert isinstance(refused, Conflict), second
    assert (refused.field, refused.message) == ("code", TAKEN)
    assert waited
    assert list(Layanan.objects.values_list("name", flat=True)) == ["Poli Gigi"]
    assert creates() == 1
