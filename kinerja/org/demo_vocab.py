"""Words for the demo kabupaten (kinerja/org/demo.py): unit names, jabatan titles, gelar, pangkat.

Everything here is fictitious but shaped like a real Pemerintah Kabupaten (Perpres/Permendagri
nomenclature for perangkat daerah, Permenpan jabatan fungsional names).
"""

from __future__ import annotations

from typing import NamedTuple

KABUPATEN = "Sukamaju"


class Dinas(NamedTuple):
    code: str
    name: str
    # (bidang, its seksi names; empty = generic seksi names)
    bidang: tuple[tuple[str, tuple[str, ...]], ...]
    fungsional: tuple[str, ...]
    upt: str  # topic of the dinas' own UPTD (for large kabupaten)


GENERIC_SEKSI = (
    "Perencanaan dan Pengembangan {}",
    "Pelaksanaan {}",
    "Pengendalian dan Evaluasi {}",
)

# Kesehatan and Pendidikan come first: the smallest demo has those two.
DINAS: tuple[Dinas, ...] = (
    Dinas(
        "DINKES",
        "Dinas Kesehatan",
        (
            (
                "Pelayanan Kesehatan",
                (
                    "Pelayanan Kesehatan Primer",
                    "Pelayanan Kesehatan Rujukan",
                    "Pelayanan Kesehatan Tradisional",
                ),
            ),
            (
                "Kesehatan Masyarakat",
                (
                    "Kesehatan Keluarga dan Gizi",
                    "Promosi dan Pemberdayaan Masyarakat",
                    "Kesehatan Lingkungan dan Kesehatan Kerja",
                ),
            ),
            (
                "Pencegahan dan Pengendalian Penyakit",
                (
                    "Surveilans dan Imunisasi",
                    "Pengendalian Penyakit Menular",
                    "Pengendalian Penyakit Tidak Menular dan Kesehatan Jiwa",
                ),
            ),
            (
                "Sumber Daya Kesehatan",
                ("Kefarmasian", "Alat Kesehatan", "Sumber Daya Manusia Kesehatan"),
            ),
        ),
        (
            "Epidemiolog Kesehatan Ahli Pertama",
            "Administrator Kesehatan Ahli Muda",
            "Penyuluh Kesehatan Masyarakat Ahli Pertama",
        ),
        "Laboratorium Kesehatan Daerah",
    ),
    Dinas(
        "DISDIK",
        "Dinas Pendidikan",
        (
            (
                "Pembinaan Sekolah Dasar",
                ("Kurikulum SD", "Peserta Didik SD", "Sarana Prasarana SD"),
            ),
            (
                "Pembinaan Sekolah Menengah Pertama",
                ("Kurikulum SMP", "Peserta Didik SMP", "Sarana Prasarana SMP"),
            ),
            ("Pendidikan Anak Usia Dini dan Nonformal", ()),
            ("Guru dan Tenaga Kependidikan", ()),
        ),
        ("Pengembang Teknologi Pembelajaran Ahli Pertama", "Analis Kebijakan Ahli Pertama"),
        "Sanggar Kegiatan Belajar",
    ),
    Dinas(
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        (
            ("Pelayanan Pendaftaran Penduduk", ("Identitas Penduduk", "Pindah Datang Penduduk")),
            ("Pelayanan Pencatatan Sipil", ("Kelahiran dan Kematian", "Perkawinan dan Perceraian")),
            ("Pengelolaan Informasi Administrasi Kependudukan", ()),
            ("Pemanfaatan Data dan Inovasi Pelayanan", ()),
        ),
        ("Administrator Database Kependudukan Ahli Pertama", "Pranata Komputer Ahli Pertama"),
        "Pelayanan Administrasi Kependudukan",
    ),
    Dinas(
        "DPUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        (("Bina Marga", ()), ("Sumber Daya Air", ()), ("Cipta Karya", ()), ("Penataan Ruang", ())),
        ("Teknik Jalan dan Jembatan Ahli Pertama", "Teknik Pengairan Ahli Pertama"),
        "Pengelolaan Jalan dan Jembatan",
    ),
    Dinas(
        "DINSOS",
        "Dinas Sosial",
        (
            ("Rehabilitasi Sosial", ()),
            ("Perlindungan dan Jaminan Sosial", ()),
            ("Pemberdayaan Sosial", ()),
        ),
        ("Pekerja Sosial Ahli Pertama", "Penyuluh Sosial Ahli Pertama"),
        "Rumah Perlindungan Sosial",
    ),
    Dinas(
        "DISHUB",
        "Dinas Perhubungan",
        (("Lalu Lintas dan Angkutan", ()), ("Sarana dan Prasarana", ()), ("Keselamatan", ())),
        ("Penguji Kendaraan Bermotor Terampil", "Analis Kebijakan Ahli Pertama"),
        "Pengujian Kendaraan Bermotor",
    ),
    Dinas(
        "DLH",
        "Dinas Lingkungan Hidup",
        (
            ("Tata Lingkungan", ()),
            ("Pengendalian Pencemaran", ()),
            ("Pengelolaan Sampah", ()),
        ),
        ("Pengendali Dampak Lingkungan Ahli Pertama",),
        "Pengelolaan Sampah",
    ),
    Dinas(
        "DISTAN",
        "Dinas Pertanian",
        (("Tanaman Pangan", ()), ("Hortikultura", ()), ("Peternakan", ()), ("Penyuluhan", ())),
        ("Penyuluh Pertanian Ahli Pertama", "Medik Veteriner Ahli Pertama"),
        "Balai Penyuluhan Pertanian",
    ),
    Dinas(
        "DISKOMINFO",
        "Dinas Komunikasi dan Informatika",
        (
            ("Informasi dan Komunikasi Publik", ()),
            ("Aplikasi Informatika", ()),
            ("Persandian dan Statistik", ()),
        ),
        ("Pranata Komputer Ahli Pertama", "Pranata Hubungan Masyarakat Ahli Pertama"),
        "Pusat Data",
    ),
    Dinas(
        "DISPERINDAG",
        "Dinas Perdagangan dan Perindustrian",
        (("Perdagangan", ()), ("Perindustrian", ()), ("Metrologi Legal", ())),
        ("Penera Terampil", "Pengawas Perdagangan Ahli Pertama"),
        "Pengelolaan Pasar",
    ),
    Dinas(
        "DISPARBUD",
        "Dinas Pariwisata dan Kebudayaan",
        (("Destinasi Pariwisata", ()), ("Pemasaran Pariwisata", ()), ("Kebudayaan", ())),
        ("Pamong Budaya Ahli Pertama",),
        "Pengelolaan Objek Wisata",
    ),
    Dinas(
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        (("Penanaman Modal", ()), ("Pelayanan Perizinan", ()), ("Pengaduan dan Informasi", ())),
        ("Analis Kebijakan Ahli Pertama",),
        "Mal Pelayanan Publik",
    ),
    Dinas(
        "DISNAKER",
        "Dinas Tenaga Kerja",
        (("Penempatan Tenaga Kerja", ()), ("Hubungan Industrial", ()), ("Pelatihan Kerja", ())),
        ("Mediator Hubungan Industrial Ahli Pertama", "Pengantar Kerja Ahli Pertama"),
        "Balai Latihan Kerja",
    ),
    Dinas(
        "DP3A",
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        (
            ("Pemberdayaan Perempuan", ()),
            ("Perlindungan Anak", ()),
            ("Data dan Informasi Gender", ()),
        ),
        ("Analis Kebijakan Ahli Pertama",),
        "Perlindungan Perempuan dan Anak",
    ),
)

BAGIAN_SETDA = (
    "Umum",
    "Hukum",
    "Organisasi",
    "Tata Pemerintahan",
    "Kesejahteraan Rakyat",
    "Perekonomian dan Sumber Daya Alam",
    "Administrasi Pembangunan",
    "Pengadaan Barang dan Jasa",
    "Protokol dan Komunikasi Pimpinan",
)
SUBBAGIAN_DINAS = ("Umum dan Kepegawaian", "Keuangan dan Aset", "Perencanaan dan Pelaporan")

# Place names (kecamatan, kelurahan, puskesmas) are compounds of these, Sundanese/Javanese style.
PLACE_HEADS = (
    "Suka", "Ci", "Mekar", "Jaya", "Sindang", "Karang", "Pasir", "Tanjung", "Sumber", "Wana",
    "Giri", "Bojong", "Sri", "Rawa", "Pondok", "Bumi", "Taman", "Cinta", "Marga", "Sido",
)  # fmt: skip
PLACE_TAILS = (
    "maju", "jaya", "mulya", "asih", "sari", "rahayu", "wangi", "harja", "makmur", "indah",
    "laksana", "galih", "mekar", "raharja", "tani", "luhur", "agung", "rejo", "senang", "damai",
)  # fmt: skip
PLACE_VARIANTS = ("", " Baru", " Kulon", " Wetan", " Lor", " Kidul", " Tengah", " Hilir", " Hulu")

# Staff jabatan: (name, jenis, weight within the unit).
Title = tuple[str, str, int]
OFFICE_PELAKSANA: tuple[Title, ...] = (
    ("Pengadministrasi Perkantoran", "PELAKSANA", 3),
    ("Penata Layanan Operasional", "PELAKSANA", 3),
    ("Pengolah Data dan Informasi", "PELAKSANA", 2),
    ("Pengelola Layanan Operasional", "PELAKSANA", 2),
    ("Operator Layanan Operasional", "PELAKSANA", 2),
)
OFFICE_FUNGSIONAL: tuple[str, ...] = (
    "Analis Kebijakan Ahli Pertama",
    "Perencana Ahli Pertama",
    "Pranata Komputer Ahli Pertama",
    "Arsiparis Terampil",
    "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
    "Analis Keuangan Pusat dan Daerah Ahli Pertama",
)
PUSKESMAS_STAFF: tuple[Title, ...] = (
    ("Dokter Ahli Pertama", "FUNGSIONAL", 2),
    ("Dokter Gigi Ahli Pertama", "FUNGSIONAL", 1),
    ("Perawat Ahli Pertama", "FUNGSIONAL", 4),
    ("Perawat Terampil", "FUNGSIONAL", 5),
    ("Bidan Terampil", "FUNGSIONAL", 5),
    ("Bidan Ahli Pertama", "FUNGSIONAL", 2),
    ("Apoteker Ahli Pertama", "FUNGSIONAL", 1),
    ("Pranata Laboratorium Kesehatan Terampil", "FUNGSIONAL", 1),
    ("Nutrisionis Terampil", "FUNGSIONAL", 1),
    ("Sanitarian Terampil", "FUNGSIONAL", 1),
    ("Pengadministrasi Perkantoran", "PELAKSANA", 2),
)
SEKOLAH_STAFF: tuple[Title, ...] = (
    ("Guru Ahli Pertama", "FUNGSIONAL", 6),
    ("Guru Ahli Muda", "FUNGSIONAL", 5),
    ("Guru Ahli Madya", "FUNGSIONAL", 3),
    ("Pengelola Layanan Operasional", "PELAKSANA", 1),
    ("Pengadministrasi Perkantoran", "PELAKSANA", 1),
)
WILAYAH_STAFF: tuple[Title, ...] = (
    ("Pengadministrasi Perkantoran", "PELAKSANA", 3),
    ("Penata Layanan Operasional", "PELAKSANA", 2),
    ("Pengelola Layanan Operasional", "PELAKSANA", 2),
    ("Analis Kebijakan Ahli Pertama", "FUNGSIONAL", 1),
)

# Gelar by a keyword of the jabatan name: (keyword, gelar depan, gelar belakang choices).
GELAR_STAFF: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Dokter Gigi", "drg.", ("", "")),
    ("Dokter", "dr.", ("", "", "M.Kes.")),
    ("Perawat Ahli", "", ("S.Kep., Ners",)),
    ("Perawat", "", ("A.Md.Kep.",)),
    ("Bidan Ahli", "", ("S.Tr.Keb.",)),
    ("Bidan", "", ("A.Md.Keb.",)),
    ("Apoteker", "apt.", ("S.Farm.",)),
    ("Laboratorium", "", ("A.Md.A.K.",)),
    ("Nutrisionis", "", ("A.Md.Gz.",)),
    ("Sanitarian", "", ("A.Md.K.L.",)),
    ("Epidemiolog", "", ("S.KM.", "S.KM., M.Epid.")),
    ("Kesehatan", "", ("S.KM.", "S.KM., M.Kes.")),
    ("Guru", "", ("S.Pd.", "S.Pd.", "S.Pd., M.Pd.", "S.Pd.SD.", "S.Si.")),
    ("Pranata Komputer", "", ("S.Kom.", "S.Kom.", "A.Md.Kom.")),
    ("Teknik", "", ("S.T.", "S.T.", "S.T., M.T.")),
    ("Pertanian", "", ("S.P.",)),
    ("Veteriner", "drh.", ("",)),
    ("Ahli", "", ("S.E.", "S.Sos.", "S.H.", "S.IP.", "S.AP.", "S.Kom.", "S.Psi.", "S.Ak.")),
    ("Terampil", "", ("A.Md.", "A.Md.", "")),
    ("", "", ("", "", "", "A.Md.", "S.E.", "S.Sos.", "S.Kom.", "S.H.")),
)
GELAR_PIMPINAN = (
    "S.Sos., M.Si.",
    "S.E., M.M.",
    "S.H., M.H.",
    "S.T., M.T.",
    "S.IP., M.Si.",
    "S.STP., M.Si.",
    "S.Pd., M.Pd.",
    "S.E., M.Ak.",
)
GELAR_PENGAWAS = ("S.Sos.", "S.E.", "S.H.", "S.Kom.", "S.IP.", "S.STP.", "S.AP.", "S.E., M.M.")

# Pangkat/golongan ruang PNS, lowest first (PP 99/2000).
PANGKAT = (
    ("Pengatur Muda", "II/a"),
    ("Pengatur Muda Tingkat I", "II/b"),
    ("Pengatur", "II/c"),
    ("Pengatur Tingkat I", "II/d"),
    ("Penata Muda", "III/a"),
    ("Penata Muda Tingkat I", "III/b"),
    ("Penata", "III/c"),
    ("Penata Tingkat I", "III/d"),
    ("Pembina", "IV/a"),
    ("Pembina Tingkat I", "IV/b"),
    ("Pembina Utama Muda", "IV/c"),
    ("Pembina Utama Madya", "IV/d"),
)
PHONE_PREFIXES = (
    "11",
    "12",
    "13",
    "21",
    "22",
    "52",
    "53",
    "57",
    "58",
    "77",
    "78",
    "81",
    "82",
    "85",
)
