"""Words of the demo SKPs (kinerja/plans/demo.py): RHK by dinas, unit kind and jabatan, the IKIs
of an RHK, ekspektasi khusus, lampiran and the notes of a returned SKP.

Everything here is fictitious but worded like the SKPs of a real Pemerintah Kabupaten.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .demo_people import DemoPegawai
from .models import Aspek, JenisLampiran, Perspektif

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


def head_rhk(p: DemoPegawai) -> tuple[str, str]:
    """The two RHK Utama of a unit head, worded for the dinas or the kind of unit."""
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


def staff_rhk(jabatan: str) -> tuple[str, str]:
    """The two RHK Utama of a staff member, by a word of the jabatan name."""
    for word, texts in STAFF_RHK:
        if word in jabatan:
            return texts
    return (STAFF_DEFAULT[0].format(jabatan=jabatan), STAFF_DEFAULT[1].format(jabatan=jabatan))


def iki_rows(p: DemoPegawai, number: int, text: str, full: bool) -> Iterator[tuple[Any, ...]]:
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
