"""Bulk answers for tests (the real INSERT path is tested in test_public.py)."""

from __future__ import annotations

from collections.abc import Sequence

from kinerja.org.models import Pegawai
from kinerja.surveys.models import SkmResponse, Sumber, SurveyPeriod


def add_answers(
    period: SurveyPeriod,
    rows: Sequence[Sequence[int]],
    *,
    petugas: Pegawai | None = None,
    saran: str = "",
    usia: int = 30,
) -> list[SkmResponse]:
    layanan = period.layanan
    items = [
        SkmResponse(
            instansi_id=period.instansi_id,
            unit_id=layanan.unit_id,
            layanan_id=layanan.pk,
            period=period,
            **{f"u{i}": v for i, v in enumerate(row, 1)},
            usia=usia,
            jenis_kelamin="L" if n % 2 else "P",
            pendidikan="SMA",
            pekerjaan="SWASTA",
            saran=saran,
            petugas=petugas,
            source=Sumber.PAPER,
        )
        for n, row in enumerate(rows)
    ]
    return SkmResponse.objects.bulk_create(items)
