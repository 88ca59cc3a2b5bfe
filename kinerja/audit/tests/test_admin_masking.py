"""The audit admin shows old and new values with a pegawai's email and telepon masked; what is
stored (and chained) stays as recorded."""

from __future__ import annotations

import pytest
from django.test import Client

from kinerja.audit.masking import mask_email, mask_phone, mask_values
from kinerja.audit.models import AuditEvent
from kinerja.audit.verify import verify_chains
from kinerja.org import services
from kinerja.org.testing import Cast


def test_an_email_keeps_its_first_letter_and_domain() -> None:
    assert mask_email("budi@example.go.id") == "b***@example.go.id"
    assert mask_email("tanpa-at") == "***"
    assert mask_email("") == ""


def test_a_phone_keeps_its_first_four_and_last_two() -> None:
    assert mask_phone("081234567878") == "0812****78"
    assert mask_phone("+62 812 3456 78") == "+62 ****78"
    assert mask_phone("12345") == "****"
    assert mask_phone("") == ""


def test_personal_fields_are_masked_wherever_they_sit() -> None:
    values = {
        "nip": "198001012005011001",
        "name": "Dewi",
        "email": "dewi@contoh.go.id",
        "phone": "081200000004",
        "no_hp": "081399999912",
        "nested": [{"telepon": "081211112222"}],
        "catatan": "kirim ke x@y.id",
        "cc": "lain@contoh.go.id",
        "jp": 3,
    }
    assert mask_values(values) == {
        "nip": "198001012005011001",
        "name": "Dewi",
        "email": "d***@contoh.go.id",
        "phone": "0812****04",
        "no_hp": "0813****12",
        "nested": [{"telepon": "0812****22"}],
        "catatan": "kirim ke x@y.id",
        "cc": "l***@contoh.go.id",
        "jp": 3,
    }
    assert values["email"] == "dewi@contoh.go.id"  # the input is not changed


def _update_contact(cast: Cast) -> AuditEvent:
    services.pegawai_save(
        by=cast.superadmin,
        instansi=cast.kab,
        pegawai=cast.staf_a,
        values={"email": "dewi.lestari@dinkes.go.id", "phone": "081377778899"},
    )
    return AuditEvent.objects.filter(action="pegawai_update").latest("sequence")


def test_the_event_page_masks_email_and_phone_of_old_and_new(client: Client, cast: Cast) -> None:
    old_email, old_phone = cast.staf_a.email, cast.staf_a.phone
    event = _update_contact(cast)
    client.force_login(cast.superadmin)
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    for hidden in (old_email, old_phone, "dewi.lestari@dinkes.go.id", "081377778899"):
        assert hidden not in body
    for shown in ("p***@contoh.go.id", "0812****04", "d***@dinkes.go.id", "0813****99"):
        assert shown in body
    assert cast.staf_a.nip in body  # the rest of the snapshot is shown as recorded
    event.refresh_from_db()
    assert event.old_values["email"] == old_email
    assert event.new_values["phone"] == "081377778899"
    assert verify_chains()[1] == []


def test_the_event_list_shows_no_values(client: Client, cast: Cast) -> None:
    _update_contact(cast)
    client.force_login(cast.superadmin)
    body = client.get("/admin/audit/auditevent/").content.decode()
    assert "pegawai_update" in body
    assert "dewi.lestari@dinkes.go.id" not in body


@pytest.mark.parametrize(
    "query",
    ["new_values__email__startswith=d", "old_values__phone__contains=0812", "hash__startswith=a"],
)
def test_the_list_cannot_be_filtered_by_a_value(client: Client, cast: Cast, query: str) -> None:
    """A filter on the values would reveal an address one guess at a time."""
    client.force_login(cast.superadmin)
    assert client.get(f"/admin/audit/auditevent/?{query}").status_code == 400
    assert client.get("/admin/audit/auditevent/?action__exact=pegawai_create").status_code == 200
