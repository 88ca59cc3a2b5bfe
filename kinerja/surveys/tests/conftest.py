"""SKM fixtures on top of the named cast: a layanan of Puskesmas Sukamaju with a running
semester, and helpers to post answers like a phone would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.surveys import services
from kinerja.surveys.models import Layanan, SurveyPeriod
from kinerja.surveys.periods import PeriodKey, key_on

ANSWERS = (4, 3, 3, 4, 3, 4, 4, 2, 3)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def key() -> PeriodKey:
    return key_on("SEMESTER", timezone.localdate())


@pytest.fixture
def layanan(cast: Cast) -> Layanan:
    return services.layanan_save(
        by=cast.admin, unit=cast.puskesmas, name="Poli Umum", code="poli-sukamaju", population=100
    )


@pytest.fixture
def period(cast: Cast, layanan: Layanan, key: PeriodKey) -> SurveyPeriod:
    return services.period_open(by=cast.admin, layanan=layanan, key=key)


def form_data(token: str, answers: tuple[int, ...] = ANSWERS, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {f"u{i}": str(v) for i, v in enumerate(answers, 1)}
    data.update(
        token=token, usia="34", jenis_kelamin="P", pendidikan="S1", pekerjaan="SWASTA", website=""
    )
    data.update(extra)
    return data


@pytest.fixture
def fresh_token(period: SurveyPeriod) -> Callable[[], str]:
    from kinerja.surveys.public import issue_token

    return lambda: issue_token(period.layanan_id, period.pk)


@pytest.fixture
def phone() -> Client:
    return Client(REMOTE_ADDR="10.0.0.7")
