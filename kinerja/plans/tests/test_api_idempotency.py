"""`Idempotency-Key` on the API's create endpoints (kinerja.core.formkeys.header_key): a POST
retried with the same header (a phone that lost the answer) creates nothing new and answers as
the first did; the same header with other content is a 409; a malformed header is a 400 naming
it; a key is the caller's own."""

from __future__ import annotations

from typing import Any

from django.test import Client

from kinerja.audit.testing import audit_mark, events_since
from kinerja.core.models import FormKey
from kinerja.org.testing import Cast
from kinerja.plans.models import Iki, Rhk, Skp

from .api_helpers import YEAR, Login, Plan, assert_error, ok, post

KEY = "a1b2c3d4-retry-0001"


def rhk_post(client: Client, plan: Plan, key: str | None, text: str = "Tim SKM") -> Any:
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return post(
        client, f"/skp/{plan.staf_skp.pk}/rhk", {"jenis": "TAMBAHAN", "text": text}, **extra
    )


def test_a_retried_create_answers_with_the_first_row(login: Login, plan: Plan) -> None:
    staf = login("staf_a")
    before = Rhk.objects.count()
    mark = audit_mark()
    first = ok(rhk_post(staf, plan, KEY), 201)
    again = ok(rhk_post(staf, plan, KEY), 201)
    assert again == first  # the same row, as the first answer showed it
    assert Rhk.objects.count() == before + 1
    assert [e.action for e in events_since(mark)] == ["rhk_create"]
    assert FormKey.objects.get(action="rhk_save").object_ids == [first["id"]]
    other = ok(rhk_post(staf, plan, "a1b2c3d4-retry-0002"), 201)
    assert other["id"] != first["id"] and Rhk.objects.count() == before + 2
    ok(rhk_post(staf, plan, None), 201)  # without the header: an ordinary create
    assert Rhk.objects.count() == before + 3


def test_a_retry_with_other_content_is_a_409_and_creates_nothing(login: Login, plan: Plan) -> None:
    staf = login("staf_a")
    first = ok(rhk_post(staf, plan, KEY), 201)
    before = Rhk.objects.count()
    changed = rhk_post(staf, plan, KEY, text="Teks yang diubah sebelum dikirim ulang")
    body = assert_error(changed, 409, "conflict")
    assert "isi yang lain" in body["detail"] and "Idempotency-Key baru" in body["detail"]
    assert Rhk.objects.count() == before
    assert Rhk.objects.get(pk=first["id"]).text == "Tim SKM"
    assert ok(rhk_post(staf, plan, KEY), 201) == first  # the first content still replays


def test_any_key_up_to_64_characters_is_taken_and_a_longer_one_is_a_400(
    login: Login, plan: Plan
) -> None:
    staf = login("staf_a")
    before = Rhk.objects.count()
    for key in ("x", "{5f0c…}", "spasi di dalam kunci", "k" * 64):
        first = ok(rhk_post(staf, plan, key), 201)
        assert ok(rhk_post(staf, plan, key), 201)["id"] == first["id"]
    assert Rhk.objects.count() == before + 4
    body = assert_error(rhk_post(staf, plan, "x" * 65), 400, "invalid")
    assert body["errors"] == [
        {
            "field": "Idempotency-Key",
            "message": "Header Idempotency-Key paling panjang 64 karakter.",
        }
    ]
    assert Rhk.objects.count() == before + 4


def test_the_same_key_on_another_operation_is_a_409(login: Login, plan: Plan) -> None:
    staf = login("staf_a")
    rhk = ok(rhk_post(staf, plan, KEY), 201)
    iki = post(
        staf,
        f"/rhk/{rhk['id']}/iki",
        {"text": "Jumlah", "aspek": "KUANTITAS", "target_value": "5", "target_unit": "kali"},
        HTTP_IDEMPOTENCY_KEY=KEY,
    )
    assert_error(iki, 409, "conflict")
    assert not Iki.objects.filter(rhk_id=rhk["id"]).exists()


def test_a_key_belongs_to_its_caller(cast: Cast, login: Login) -> None:
    made = [
        ok(
            post(
                login(who),
                "/skp",
                {"pegawai_id": pegawai.pk, "year": YEAR + 1},
                HTTP_IDEMPOTENCY_KEY=KEY,
            ),
            201,
        )
        for who, pegawai in (("staf_a", cast.staf_a), ("staf_b", cast.staf_b))
    ]
    assert made[0]["id"] != made[1]["id"]
    retried = ok(
        post(login("staf_b"), "/skp", {"pegawai_id": cast.staf_b.pk, "year": YEAR + 1},
             HTTP_IDEMPOTENCY_KEY=KEY),
        201,
    )  # fmt: skip
    assert retried == made[1]
    assert Skp.objects.filter(year=YEAR + 1).count() == 2
