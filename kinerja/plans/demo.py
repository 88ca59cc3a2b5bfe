"""Demo SKPs for the demo kabupaten (kinerja/org/demo.py): planning that shows the whole story.

Every head of a unit has an SKP with RHK Utama worded for its dinas or unit; every pegawai's
RHK Utama intervene (Rhk.parent) an RHK of their Pejabat Penilai Kinerja, so the pohon kinerja
goes from the Kepala Dinas down to the staff. Statuses are mixed (most approved, some
submitted, returned or draft, some staff without an SKP), so the status board has something
to show. The demo logins tell the story: the kasi's SKP is approved, the staff member's is
submitted and waits for the kasi, the PPPK staff member's was returned with a note.

A bulk loader like kinerja/org/demo.py: the org rows are read in a few queries, raters are
worked out in Python (the same walk as kinerja.org.hierarchy.rater_id_for, on the loaded
rows), and the rows go in with explicit ids by multi-row INSERT (SQLite) or COPY (PostgreSQL).
One summary audit event. The year is the current year, so the pages show it by default.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from kinerja.audit import services as audit
from kinerja.org import demo as org_demo
from kinerja.org import demo_plan
from kinerja.org.models import (
    RATER_JENIS,
    DelegasiPenilai,
    Instansi,
    Jabatan,
    JenisPenempatan,
    Pegawai,
    Penempatan,
)

from .models import (
    Aspek,
    EkspektasiKhusus,
    Iki,
    JenisLampiran,
    JenisRhk,
    Lampiran,
    Perspektif,
    Rhk,
    Skp,
    StatusSkp,
    TahunKinerja,
)

DRAFT, DIAJUKAN, DISETUJUI, DIKEMBALIKAN = (
    StatusSkp.DRAFT.value,
    StatusSkp.DIAJUKAN.value,
    StatusSkp.DISETUJUI.value,
    StatusSkp.DIKEMBALIKAN.value,
)
# Fixed statuses of the demo story, by unit code (the head) or by NIP.
STORY_HEADS = ("DINKES", "DINKES-B1", demo_plan.DEMO_SEKSI)
STORY = {
    demo_plan.NIP_PIMPINAN: DISETUJUI,
    demo_plan.NIP_PENILAI: DISETUJUI,
    demo_plan.NIP_PEGAWAI: DIAJUKAN,
    demo_plan.NIP_PPPK: DIKEMBALIKAN,
}
PPPK_RETURN_NOTE = (
    "Target IKI 'Jumlah pasien yang dilayani' belum sesuai beban kerja seksi (minimal 1.200 "
    "pasien setahun). Mohon disesuaikan dan lengkapi dukungan sumber daya pada lampiran."
)
RETURN_NOTES = (
    "Target kuantitas terlalu rendah dibanding capaian tahun lalu; mohon disesuaikan.",
    "Satuan target IKI belum tepat; gunakan satuan dokumen/laporan.",
    "RHK kedua belum menggambarkan hasil kerja; mohon dirumuskan ulang.",
    "Mohon lengkapi lampiran dukungan sumber daya.",
)
# The head and staff shares of each status; the rest of the staff have no SKP yet.
HEAD_STATUSES = ((DISETUJUI, 0.90), (DIAJUKAN, 0.06), (DRAFT, 0.04))
STAFF_STATUSES = (
    (DISETUJUI, 0.70),
    (DIAJUKAN, 0.12),
    (DIKEMBALIKAN, 0.05),
    (DRAFT, 0.08),
)  # 5% without an SKP

DINAS_RHK: dict[str, tuple[str, str]] = {
    "DINKES": (
        "Meningkatnya cakupan pelayanan kesehatan dasar",
        "Menurunnya angka kesakitan penyakit menular dan tidak menular",
    ),
    "DISDIK": (
        "Meningkatnya akses dan mutu pendidikan dasar",
        "Meningkatnya kompetensi guru dan tenaga kependidikan",
    ),
    "DISDUKCAPIL": (
        "Meningkatnya cakupan kepemilikan dokumen kependudukan",
        "Meningkatnya kualitas pemanfaatan data kependudukan",
    ),
    "DPUPR": (
        "Meningkatnya kondisi jalan dan jembatan kabupaten dalam keadaan mantap",
        "Meningkatnya layanan air minum dan sanitasi layak",
    ),
    "DINSOS": (
        "Meningkatnya perlindungan sosial bagi penyandang masalah kesejahteraan sosial",
        "Meningkatnya ketepatan sasaran penerima bantuan sosial",
    ),
    "DISHUB": (
        "Meningkatnya keselamatan dan kelancaran lalu lintas",
        "Meningkatnya kualitas pelayanan angkutan umum",
    ),
    "DLH": (
        "Meningkatnya indeks kualitas lingkungan hidup",
        "Meningkatnya persentase sampah yang terkelola",
    ),
    "DISTAN": (
        "Meningkatnya produksi tanaman pangan dan hortikultura",
        "Meningkatnya kapasitas kelembagaan petani",
    ),
    "DISKOMINFO": (
        "Meningkatnya penerapan Sistem Pemerintahan Berbasis Elektronik",
        "Meningkatnya keterbukaan informasi publik",
    ),
    "DISPERINDAG": (
        "Meningkatnya stabilitas harga dan ketersediaan bahan pokok",
        "Meningkatnya daya saing industri kecil dan menengah",
    ),
    "DISPARBUD": (
        "Meningkatnya kunjungan wisatawan",
        "Meningkatnya pelestarian cagar budaya dan kesenian daerah",
    ),
    "DPMPTSP": (
        "Meningkatnya realisasi investasi daerah",
        "Meningkatnya kualitas pelayanan perizinan berusaha",
    ),
    "DISNAKER": (
        "Meningkatnya penempatan tenaga kerja",
        "Meningkatnya kompetensi tenaga kerja melalui pelatihan",
    ),
    "DP3A": (
        "Meningkatnya pemberdayaan perempuan dalam pembangunan",
        "Menurunnya kasus kekerasan terhadap perempuan dan anak",
    ),
}
SETDA_RHK = (
    "Meningkatnya kualitas koordinasi penyelenggaraan pemerintahan daerah",
    "Meningkatnya akuntabilitas kinerja perangkat daerah",
)
SEKRETARIAT_RHK = (
    "Terwujudnya layanan administrasi umum dan kepegawaian yang tertib",
    "Terwujudnya pengelolaan keuangan dan aset yang akuntabel",
)
# Staff RHK by a word of the jabatan name (first match wins): (main result, second result).
STAFF_RHK = (
    (
        "Guru",
        ("Terlaksananya pembelajaran yang bermutu", "Meningkatnya hasil belajar peserta didik"),
    ),
    ("Dokter", ("Terlaksananya pelayanan medis sesuai standar", "Tersusunnya rekam medis lengkap")),
    (
        "Perawat",
        ("Terlaksananya asuhan keperawatan sesuai standar", "Meningkatnya kepuasan pasien"),
    ),
    ("Bidan", ("Terlaksananya pelayanan kebidanan sesuai standar", "Meningkatnya cakupan K4")),
    ("Pranata", ("Terlaksananya pengelolaan data dan informasi", "Tersusunnya laporan data")),
    ("Analis", ("Tersusunnya bahan analisis kebijakan", "Tersusunnya rekomendasi kebijakan")),
    ("Penyuluh", ("Terlaksananya penyuluhan kepada masyarakat", "Meningkatnya partisipasi warga")),
    ("Epidemiolog", ("Terlaksananya surveilans epidemiologi", "Tersedianya data kewaspadaan dini")),
    ("Pengadministrasi", ("Tertibnya administrasi perkantoran", "Tersusunnya arsip yang tertata")),
)
STAFF_DEFAULT = (
    "Terlaksananya tugas teknis {jabatan} sesuai standar",
    "Tersusunnya laporan pelaksanaan tugas {jabatan}",
)
EKSPEKTASI = (
    (1, "Menanggapi keluhan pasien dan masyarakat paling lambat 1x24 jam."),
    (2, "Melaporkan penggunaan bahan habis pakai setiap akhir bulan dengan tertib."),
    (3, "Mengikuti minimal 20 JP pengembangan kompetensi tahun ini."),
    (4, "Menjaga suasana kerja yang saling menghargai di dalam tim."),
    (5, "Menguasai aplikasi pencatatan pelayanan terbaru."),
    (6, "Menjalin kerja sama dengan kader dan lintas sektor di wilayah kerja."),
    (7, "Mengusulkan satu perbaikan proses layanan setiap triwulan."),
)
LAMPIRAN = (
    (JenisLampiran.DUKUNGAN_SUMBER_DAYA.value, "Anggaran kegiatan pada DPA {unit} tahun {year}"),
    (JenisLampiran.DUKUNGAN_SUMBER_DAYA.value, "Sarana dan prasarana kerja {unit}"),
    (
        JenisLampiran.SKEMA_PERTANGGUNGJAWABAN.value,
        "Laporan capaian kinerja triwulanan kepada pimpinan",
    ),
    (
        JenisLampiran.KONSEKUENSI.value,
        "Capaian di bawah ekspektasi menjadi bahan dialog kinerja dan bimbingan kinerja",
    ),
)


@dataclass(slots=True, eq=False)
class _Person:
    id: int
    nip: str
    jabatan_id: int
    jabatan_name: str
    jenis: str
    is_head: bool
    unit_code: str
    unit_name: str
    unit_kind: str
    unit_path: str
    start: date
    rater: int | None = None
    level: int = -1
    status: str | None = None
    rhks: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class SkpSummary:
    year: int
    skp: int
    by_status: dict[str, int]
    tanpa_skp: int
    rhk: int
    iki: int
    seconds: float


def demo_year() -> int:
    """The current year: the SKP pages show it by default."""
    return timezone.localdate().year


def _load(instansi: Instansi, year: int) -> tuple[list[_Person], dict[int, tuple[str, int | None]]]:
    """The instansi's pegawai (with their unit and dinas) and its jabatan tree, raters set."""
    jan1 = date(year, 1, 1)
    starts = dict(
        Penempatan.objects.filter(
            instansi=instansi, kind=JenisPenempatan.DEFINITIF, end_date__isnull=True
        ).values_list("pegawai_id", "start_date")
    )
    people: list[_Person] = []
    rows = (
        Pegawai.objects.filter(instansi=instansi, jabatan__isnull=False)
        .order_by("id")
        .values_list(
            "id",
            "nip",
            "jabatan_id",
            "jabatan__name",
            "jabatan__jenis",
            "jabatan__is_unit_head",
            "jabatan__unit__code",
            "jabatan__unit__name",
            "jabatan__unit__kind",
            "jabatan__unit__path",
        )
    )
    for pid, nip, jid, jname, jenis, head, code, uname, kind, path in rows.iterator(5000):
        people.append(
            _Person(
                pid,
                nip,
                jid,
                jname,
                jenis,
                head,
                code,
                uname,
                kind,
                path,
                max(jan1, starts.get(pid, jan1)),
            )
        )
    tree: dict[int, tuple[str, int | None]] = {
        jid: (jenis, parent)
        for jid, jenis, parent in Jabatan.objects.filter(instansi=instansi).values_list(
            "id", "jenis", "parent_id"
        )
    }
    _set_raters(instansi, people, tree)
    return people, tree


def _set_raters(
    instansi: Instansi, people: list[_Person], tree: dict[int, tuple[str, int | None]]
) -> None:
    """kinerja.org.hierarchy.rater_id_for for everyone at once, on rows already loaded."""
    today = timezone.localdate()
    holders: dict[int, list[int]] = defaultdict(list)
    for p in people:
        holders[p.jabatan_id].append(p.id)  # definitif holders first
    acting = (
        Penempatan.objects.active_on(today)
        .filter(instansi=instansi)
        .exclude(kind=JenisPenempatan.DEFINITIF)
        .order_by("kind")  # PLH after PLT
        .values_list("jabatan_id", "pegawai_id")
    )
    for jid, pid in acting:
        holders[jid].append(pid)
    delegated = dict(
        DelegasiPenilai.objects.active_on(today)
        .filter(instansi=instansi)
        .order_by("start_date", "id")
        .values_list("pegawai_id", "rater_id")
    )
    for p in people:
        if p.id in delegated:
            p.rater = delegated[p.id]
            continue
        seen, parent = {p.jabatan_id}, tree[p.jabatan_id][1]
        while parent is not None and parent not in seen:
            seen.add(parent)
            jenis, next_parent = tree[parent]
            if jenis in RATER_JENIS:
                p.rater = next((h for h in holders.get(parent, ()) if h != p.id), None)
                if p.rater is not None:
                    break
            parent = next_parent
    by_id = {p.id: p for p in people}

    def level(p: _Person) -> int:
        if p.level < 0:
            p.level = 0  # a guard against cycles
            rater = by_id.get(p.rater) if p.rater is not None else None
            p.level = level(rater) + 1 if rater is not None else 0
        return p.level

    for p in people:
        level(p)


def _choose(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str | None:
    roll = rng.random()
    for status, share in shares:
        if roll < share:
            return status
        roll -= share
    return None


def _head_rhk(p: _Person) -> tuple[str, str]:
    name, kind = p.unit_name, p.unit_kind
    topic = name.split(" ", 1)[1] if " " in name else name
    if p.unit_code in DINAS_RHK:
        return DINAS_RHK[p.unit_code]
    if p.unit_code == "SETDA":
        return SETDA_RHK
    if kind in {"SEKRETARIAT", "SUBBAGIAN"}:
        return SEKRETARIAT_RHK
    if kind == "KECAMATAN":
        return (
            f"Meningkatnya kualitas pelayanan publik di {name}",
            f"Meningkatnya partisipasi masyarakat dalam pembangunan di {name}",
        )
    if kind == "KELURAHAN":
        return (
            f"Meningkatnya kualitas pelayanan administrasi {name}",
            f"Terjaganya ketenteraman dan ketertiban umum di {name}",
        )
    if kind == "PUSKESMAS":
        return (
            f"Meningkatnya cakupan pelayanan kesehatan dasar di wilayah kerja {name}",
            f"Meningkatnya mutu pelayanan {name}",
        )
    if p.unit_code.startswith("SEK-"):
        return (
            f"Meningkatnya mutu pembelajaran di {name}",
            f"Terkelolanya {name} secara akuntabel",
        )
    if kind == "BIDANG":
        return (
            f"Tercapainya target program {topic}",
            f"Meningkatnya kualitas kebijakan teknis {topic}",
        )
    if kind == "SEKSI":
        return (
            f"Terlaksananya kegiatan {topic} sesuai rencana",
            f"Tersusunnya bahan kebijakan teknis {topic}",
        )
    if kind == "BAGIAN":
        return (f"Terlaksananya koordinasi urusan {topic}", f"Tersusunnya kebijakan urusan {topic}")
    return (f"Terselenggaranya layanan {name} sesuai standar", f"Meningkatnya kinerja {name}")


def _staff_rhk(jabatan: str) -> tuple[str, str]:
    for word, texts in STAFF_RHK:
        if word in jabatan:
            return texts
    return (STAFF_DEFAULT[0].format(jabatan=jabatan), STAFF_DEFAULT[1].format(jabatan=jabatan))


def _ikis(p: _Person, number: int, text: str, full: bool) -> Iterator[tuple[Any, ...]]:
    """(text, aspek, target, unit, narrative, baseline, direction, perspektif) of an RHK."""
    jpt = p.jenis == "JPT"
    if number == 1:
        yield (
            "Persentase capaian sasaran: " + text[0].lower() + text[1:],
            Aspek.KUANTITAS.value,
            Decimal(90 + (p.id % 9)),
            "persen",
            "",
            Decimal(85),
            "NAIK",
            Perspektif.PENERIMA_LAYANAN.value if jpt else "",
        )
        if full:
            yield (
                "Ketepatan waktu penyampaian laporan capaian",
                Aspek.WAKTU.value,
                Decimal(12),
                "bulan",
                "",
                None,
                "TURUN",
                Perspektif.PROSES_BISNIS.value if jpt else "",
            )
    else:
        yield (
            "Jumlah dokumen/laporan hasil kerja yang diterima tanpa revisi",
            Aspek.KUALITAS.value,
            Decimal(4 + (p.id % 9)),
            "dokumen",
            "",
            None,
            "NAIK",
            Perspektif.PENGUATAN_INTERNAL.value if jpt else "",
        )


def _ids(model: type[models.Model]) -> Iterator[int]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return itertools.count(int(cursor.fetchone()[0]))


SKP_COLUMNS = (
    "id",
    "instansi",
    "pegawai",
    "year",
    "jabatan",
    "unit_path",
    "rater",
    "start_date",
    "end_date",
    "pendekatan",
    "status",
    "version",
    "is_current",
    "return_note",
    "submitted_at",
    "approved_at",
    "created_at",
)
RHK_COLUMNS = ("id", "skp", "jenis", "text", "order", "parent", "source")
IKI_COLUMNS = (
    "rhk",
    "text",
    "aspek",
    "target_value",
    "target_unit",
    "target_narrative",
    "baseline",
    "direction",
    "perspektif",
    "order",
)


@transaction.atomic
def seed_skp(*, instansi: Instansi, seed: int = org_demo.DEFAULT_SEED) -> SkpSummary:
    """SKPs of the current year for the demo instansi (see the module docstring)."""
    started = time.perf_counter()
    year = demo_year()
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Skp, Rhk))
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    people, _tree = _load(instansi, year)
    rng = random.Random(seed)
    story_heads = set(STORY_HEADS)
    for p in people:
        if p.nip in STORY:
            p.status = STORY[p.nip]
        elif p.is_head and p.unit_code in story_heads:
            p.status = DISETUJUI
        else:
            p.status = _choose(rng, HEAD_STATUSES if p.is_head else STAFF_STATUSES)
    by_id = {p.id: p for p in people}
    people.sort(key=lambda p: (p.level, p.id))  # raters' RHKs exist before their staff link
    skp_ids, rhk_ids = _ids(Skp), _ids(Rhk)
    now = timezone.now()
    jan1 = timezone.make_aware(datetime(year, 1, 1, 8))
    submitted = max(jan1, now - timedelta(days=30))
    approved = submitted + (now - submitted) / 2
    adapt = connection.ops.adapt_datetimefield_value
    at_submit, at_approve, at_now = adapt(submitted), adapt(approved), adapt(now)
    skps: list[tuple[Any, ...]] = []
    rhks: list[tuple[Any, ...]] = []
    ikis: list[tuple[Any, ...]] = []
    ekspektasi: list[tuple[Any, ...]] = []
    lampiran: list[tuple[Any, ...]] = []
    handed: dict[int, int] = defaultdict(int)  # rater id -> RHKs handed down so far
    story_unit = demo_plan.DEMO_SEKSI
    for p in people:
        rater = by_id.get(p.rater) if p.rater is not None else None
        if rater is not None and not rater.rhks:
            p.status = None  # the rater has no SKP yet: nothing to intervene
        if p.status is None:
            continue
        sid = next(skp_ids)
        note = ""
        if p.status == DIKEMBALIKAN:
            note = PPPK_RETURN_NOTE if p.nip == demo_plan.NIP_PPPK else rng.choice(RETURN_NOTES)
        skps.append(
            (
                sid, instansi.pk, p.id, year, p.jabatan_id, p.unit_path, p.rater, p.start,
                date(year, 12, 31), "KUANTITATIF", p.status, 1, True, note,
                at_submit if p.status != DRAFT else None,
                at_approve if p.status == DISETUJUI else None,
                at_now,
            )
        )  # fmt: skip
        texts = _head_rhk(p) if p.is_head else _staff_rhk(p.jabatan_name)
        full = p.is_head or p.unit_code == story_unit
        for number, text in enumerate(texts, 1):
            parent = None
            if rater is not None:
                k = handed[rater.id]
                handed[rater.id] = k + 1
                parent = rater.rhks[k % len(rater.rhks)][0]
            rid = next(rhk_ids)
            rhks.append((rid, sid, JenisRhk.UTAMA.value, text, number, parent, ""))
            p.rhks.append((rid, text))
            for order, iki in enumerate(_ikis(p, number, text, full), 1):
                ikis.append((rid, *iki, order))
        if full or p.id % 10 == 0:
            for order, (kind, text) in enumerate(LAMPIRAN, 1):
                lampiran.append((sid, kind, text.format(unit=p.unit_name, year=year), order))
        if rater is not None and (p.unit_code == story_unit or p.id % 7 == 0):
            for core, text in EKSPEKTASI[p.id % 7 : p.id % 7 + 2]:
                ekspektasi.append((sid, core, text))
    org_demo._insert(Skp, SKP_COLUMNS, skps)
    org_demo._insert(Rhk, RHK_COLUMNS, rhks)
    org_demo._insert(Iki, IKI_COLUMNS, ikis)
    org_demo._insert(EkspektasiKhusus, ("skp", "core_value", "text"), ekspektasi)
    org_demo._insert(Lampiran, ("skp", "kind", "text", "order"), lampiran)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Skp, Rhk]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            analysed = [Skp, Rhk, Iki, EkspektasiKhusus, Lampiran]
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in analysed)
            cursor.execute(f"ANALYZE {names}")
    TahunKinerja.objects.get_or_create(instansi=instansi, year=year)
    by_status: dict[str, int] = defaultdict(int)
    for row in skps:
        by_status[row[10]] += 1
    summary = SkpSummary(
        year=year,
        skp=len(skps),
        by_status=dict(by_status),
        tanpa_skp=len(people) - len(skps),
        rhk=len(rhks),
        iki=len(ikis),
        seconds=0.0,
    )
    audit.record(
        "seed_demo_skp",
        by=None,
        scope=instansi.pk,
        target_type="instansi",
        target_id=instansi.pk,
        new={
            "year": year,
            "skp": summary.skp,
            "status": summary.by_status,
            "tanpa_skp": summary.tanpa_skp,
            "rhk": summary.rhk,
            "iki": summary.iki,
            "ekspektasi": len(ekspektasi),
            "lampiran": len(lampiran),
        },
    )
    return SkpSummary(**{**summary.__dict__, "seconds": time.perf_counter() - started})
