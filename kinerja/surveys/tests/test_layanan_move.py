"""A layanan and its unit: one with answers keeps it (the service, the API's 409, the page's
form), and the IKM pages roll units up from each layanan's current unit, so the public page
never fails and no unit's figures differ from the sum of its layanan, whatever `unit_id` the
answers carry."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from kinerja.audit.models import AuditEvent
from kinerja.org.testing import Cast
from kinerja.surveys import followups, queries, services
from kinerja.surveys.models import Layanan, RencanaTindakLanjut, SkmResponse, SurveyPeriod
from kinerja.surveys.periods import PeriodKey

from .factories import add_answers

Login = Callable[[str], Client]
API = "/api/v1"


def _consistent(view: dict[str, Any]) -> None:
    """Every unit is the sum of the layanan listed under it, the total the sum of the units."""
    for unit in view["units"]:
        parts = [r["respondents"] for r in view["layanan"] if r["unit_name"] == unit["name"]]
        assert unit["respondents"] == sum(parts), unit["name"]
    assert view["total"]["respondents"] == sum(u["respondents"] for u in view["units"])


def _moved_behind_the_services_back(cast: Cast, period: SurveyPeriod, key: PeriodKey) -> None:
    """Poli Umum (6 answers) and KIA (10) answered in the Puskesmas; then Poli Umum's unit is
    changed to the Seksi without touching its answers, which still carry the Puskesmas."""
    add_answers(period, [(4,) * 9] * 6)
    kia = services.layanan_save(by=cast.admin, unit=cast.puskesmas, name="KIA", code="kia")
    add_answers(services.period_open(by=cast.admin, layanan=kia, key=key), [(3,) * 9] * 10)
    Layanan.objects.filter(pk=period.layanan_id).update(unit=cast.seksi)
    stale = SkmResponse.objects.filter(layanan_id=period.layanan_id)
    assert set(stale.values_list("unit_id", flat=True)) == {cast.puskesmas.pk}


def test_answers_of_another_unit_than_their_layanans_leave_the_pages_consistent(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    _moved_behind_the_services_back(cast, period, key)
    public = Client()
    page = public.get("/transparansi/KAB/")
    assert page.status_code == 200 and "Seksi Pelayanan Primer" in page.content.decode()
    api = public.get(f"{API}/publik/transparansi/KAB")
    assert api.status_code == 200
    shown = api.json()
    assert {u["name"]: u["respondents"] for u in shown["units"]} == {
        "Seksi Pelayanan Primer": 6,
        "Puskesmas Sukamaju": 10,
    }
    assert shown["total"]["respondents"] == 16
    admin = login("admin")
    assert admin.get(f"/skm/?periode={key.text}").status_code == 200
    view = admin.get(f"{API}/skm/ikm", {"instansi_id": str(cast.kab.pk), "period": key.text})
    assert view.status_code == 200
    rows = view.json()
    assert {u["name"]: u["respondents"] for u in rows["units"]} == {
        "Seksi Pelayanan Primer": 6,
        "Puskesmas Sukamaju": 10,
    }
    _consistent(rows)


def test_a_unit_rtl_reads_the_nrr_of_the_layanan_in_the_unit_now(
    cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """The unit's rencana tindak lanjut agrees with the unit's row of the overview."""
    _moved_behind_the_services_back(cast, period, key)
    item = services.rtl_create(
        by=cast.admin, unit=cast.seksi, layanan=None, key=key, unsur=1,
        action="Sederhanakan persyaratan", owner_id=cast.kasi.pk, due_date=key.end,
    )  # fmt: skip
    [follow_up] = followups.follow_ups(RencanaTindakLanjut.objects.filter(pk=item.pk))
    view = queries.overview(Layanan.objects.all(), cast.kab.pk, key)
    [seksi] = [u for u in view.units if u.id == cast.seksi.pk]
    assert seksi.result is not None and follow_up.nrr_then == seksi.result.nrr[0] == 4


def put(client: Client, layanan: Layanan, **change: Any) -> Any:
    data = {"unit_id": layanan.unit_id, "name": layanan.name, "code": layanan.code,
            "population": layanan.population, "active": layanan.active} | change  # fmt: skip
    return client.put(
        f"{API}/skm/layanan/{layanan.pk}", json.dumps(data), content_type="application/json"
    )


def test_a_layanan_with_answers_keeps_its_unit(cast: Cast, period: SurveyPeriod) -> None:
    layanan = period.layanan
    add_answers(period, [(4,) * 9])
    with pytest.raises(services.UnitHasAnswers) as refused:
        services.layanan_save(
            by=cast.admin, unit=cast.seksi, name="Poli Umum", code="poli-sukamaju",
            layanan=layanan,
        )  # fmt: skip
    assert refused.value.status == 409 and refused.value.field == "unit_id"
    assert "Puskesmas Sukamaju" in refused.value.message
    assert "nonaktifkan layanan ini, lalu tambahkan layanan baru di unit Seksi" in (
        refused.value.message
    )
    assert Layanan.objects.get(pk=layanan.pk).unit_id == cast.puskesmas.pk
    assert not AuditEvent.objects.filter(action="skm_layanan_update").exists()
    # Everything else of it may still change, and it may be closed.
    services.layanan_save(
        by=cast.admin, unit=cast.puskesmas, name="Poli Umum Dewasa", code="poli-sukamaju",
        active=False, layanan=layanan,
    )  # fmt: skip
    assert Layanan.objects.get(pk=layanan.pk).name == "Poli Umum Dewasa"


def test_a_layanan_without_answers_may_move(cast: Cast, period: SurveyPeriod) -> None:
    """Set up in the wrong unit: an open period without answers does not hold it."""
    moved = services.layanan_save(
        by=cast.admin, unit=cast.seksi, name="Poli Umum", code="poli-sukamaju",
        layanan=period.layanan,
    )  # fmt: skip
    assert Layanan.objects.get(pk=moved.pk).unit_id == cast.seksi.pk
    event = AuditEvent.objects.get(action="skm_layanan_update")
    assert (event.old_values["unit_id"], event.new_values["unit_id"]) == (
        cast.puskesmas.pk,
        cast.seksi.pk,
    )


def test_the_api_refuses_the_move_with_409_naming_unit_id(
    login: Login, cast: Cast, period: SurveyPeriod
) -> None:
    add_answers(period, [(4,) * 9] * 6)
    admin = login("admin")
    answer = put(admin, period.layanan, unit_id=cast.seksi.pk)
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "layanan_has_answers"
    assert [e["field"] for e in body["errors"]] == ["unit_id"]
    assert "nonaktifkan layanan ini" in body["detail"]
    assert Layanan.objects.get(pk=period.layanan_id).unit_id == cast.puskesmas.pk
    assert put(admin, period.layanan, name="Poli Umum Dewasa").status_code == 200
    assert Client().get(f"{API}/publik/transparansi/KAB").status_code == 200


def test_the_page_shows_the_refusal_on_the_unit_field(
    login: Login, cast: Cast, period: SurveyPeriod
) -> None:
    add_answers(period, [(4,) * 9])
    data = {"action": "edit", "unit": cast.seksi.pk, "name": "Poli Umum",
            "code": "poli-sukamaju", "population": "100", "active": "on"}  # fmt: skip
    answer = login("admin").post(f"/skm/layanan/{period.layanan_id}/", data)
    assert answer.status_code == 200
    form = answer.context["form"]
    assert "nonaktifkan layanan ini" in form.errors["unit"][0]
    assert not form.non_field_errors()
    assert Layanan.objects.get(pk=period.layanan_id).unit_id == cast.puskesmas.pk


def test_actions_of_layanan_and_units_in_one_list_read_their_own_answers(
    cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """Poli Umum (U1 all 2) and KIA (U1 all 4) in the Puskesmas, answered this period and the
    next: in one call, the Poli Umum action reads 2 then and next, the unit action the unit's
    mean (2×2 + 2×4)/4 = 3 then and (1×2 + 3×4)/4 = 3.5 next; a unit without answers None."""
    add_answers(period, [(2,) * 9] * 2)
    kia = services.layanan_save(by=cast.admin, unit=cast.puskesmas, name="KIA", code="kia")
    add_answers(services.period_open(by=cast.admin, layanan=kia, key=key), [(4,) * 9] * 2)
    later = key.next()
    assert later is not None
    add_answers(services.period_open(by=cast.admin, layanan=kia, key=later), [(4,) * 9] * 3)
    add_answers(services.period_open(by=cast.admin, layanan=period.layanan, key=later), [(2,) * 9])

    def action(layanan: Layanan | None, unit: Any, unsur: int) -> RencanaTindakLanjut:
        return services.rtl_create(
            by=cast.admin, unit=unit, layanan=layanan, key=key, unsur=unsur,
            action="Perbaiki", owner_id=cast.kasi.pk, due_date=key.end,
        )  # fmt: skip

    poli = action(period.layanan, cast.puskesmas, 1)
    unit = action(None, cast.puskesmas, 1)
    empty = action(None, cast.seksi, 2)
    found = {
        f.item.pk: (f.nrr_then, f.nrr_next)
        for f in followups.follow_ups(RencanaTindakLanjut.objects.order_by("pk"))
    }
    assert found[poli.pk] == (Decimal(2), Decimal(2))
    assert found[unit.pk] == (Decimal(3), Decimal("3.5"))
    assert found[empty.pk] == (None, None)
