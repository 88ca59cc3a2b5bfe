"""What the SKP page tests share: response and URL helpers, and plans built through the services
(kasi's RHKs, handed down to staf_a with an IKI, submitted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Iki, Rhk, Skp

Login = Callable[[str], Client]


HX = {"HX-Request": "true"}
YEAR = timezone.localdate().year


def ok(response: Any) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return str(response.content.decode())


def detail(skp: Skp) -> str:
    return reverse("plans:detail", args=[skp.pk])


def url(name: str, skp: Skp, *args: int) -> str:
    return reverse(f"plans:{name}", args=[skp.pk, *args])


def kasi_plan(cast: Cast, texts: tuple[str, ...] = ("Meningkatnya layanan primer",)) -> list[Rhk]:
    skp = services.skp_create(by=cast.user("kasi"), pegawai=cast.kasi, year=YEAR)
    return [services.rhk_save(by=cast.user("kasi"), skp=skp, jenis="UTAMA", text=t) for t in texts]


def staf_plan(cast: Cast, *, iki: bool = True) -> tuple[Skp, Rhk, Rhk]:
    """kasi's RHK handed down to staf_a, who gives it one IKI: ready to submit."""
    [parent] = kasi_plan(cast)
    [child] = services.rhk_cascade(
        by=cast.user("kasi"), rhk=parent, assignments=[(cast.staf_a, "Terlaksananya posyandu")]
    )
    if iki:
        add_iki(cast, child)
    return child.skp, child, parent


def add_iki(cast: Cast, rhk: Rhk, text: str = "Jumlah posyandu", aspek: str = "KUANTITAS") -> Iki:
    owner = user_of(cast, rhk.skp.pegawai_id)
    return services.iki_save(
        by=owner,
        rhk=rhk,
        values={"text": text, "aspek": aspek, "target_value": "12", "target_unit": "kegiatan"},
    )


def user_of(cast: Cast, pegawai_id: int) -> Any:
    for name in ("kadis", "kabid", "kasi", "staf_a", "staf_b", "kapus", "perawat", "outsider"):
        if getattr(cast, name).pk == pegawai_id:
            return cast.user(name)
    raise LookupError(pegawai_id)


def submitted(cast: Cast) -> Skp:
    skp, _child, _parent = staf_plan(cast)
    return services.skp_submit(by=cast.user("staf_a"), skp=skp)
