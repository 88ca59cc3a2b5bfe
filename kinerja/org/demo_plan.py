"""The demo kabupaten as plain Python objects: units, jabatan and people, decided before any write.

Pure and deterministic: the same size and seed give the same plan (structure, names, NIPs).
kinerja/org/demo.py writes a plan to the database. The structure grows with the head count so
that units keep realistic sizes (a seksi ~6 staff, a sekolah ~18, a puskesmas ~35).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import demo_vocab as vocab
from .demo_people import PersonFactory, PersonPlan

REFERENCE_DATE = date(2026, 1, 2)  # "today" of the demo data: every placement starts before it
MIN_PEGAWAI = 30
KOTA_PEGAWAI = 5

# Demo logins have fixed NIPs, whatever the size and seed (printed by seed_demo).
NIP_PIMPINAN = "197104121998031002"  # Kepala Dinas Kesehatan
NIP_PENILAI = "198208172006042003"  # Kepala Seksi Pelayanan Kesehatan Primer
NIP_PEGAWAI = "199305102019031004"  # staff of that seksi
NIP_PPPK = "199409232022062005"  # PPPK staff of that seksi
NIP_PELAPOR = "199607142020122001"  # staff of that seksi with an approved SKP: reports realisasi
DEMO_SEKSI, VACANT_SEKSI, PLT_UNIT = "DINKES-B1-S1", "DISDIK-B1-S1", "DISDIK-B1"
DELEGASI_UNIT, DELEGASI_RATER_UNIT = "PKM-001", "DINKES-SEK"
# (unit code, 0 = its head / i = its i-th staff member) -> (NIP, jenis ASN)
FIXED = {
    ("DINKES", 0): (NIP_PIMPINAN, "PNS"),
    (DEMO_SEKSI, 0): (NIP_PENILAI, "PNS"),
    (DEMO_SEKSI, 1): (NIP_PEGAWAI, "PNS"),
    (DEMO_SEKSI, 2): (NIP_PPPK, "PPPK"),
    (DEMO_SEKSI, 3): (NIP_PELAPOR, "PNS"),
}
FIXED_NIPS = frozenset(nip for nip, _ in FIXED.values())
JPT, ADMINISTRATOR, PENGAWAS = "JPT", "ADMINISTRATOR", "PENGAWAS"


@dataclass(slots=True, eq=False)
class UnitPlan:
    id: int
    instansi_id: int
    code: str
    name: str
    kind: str
    parent: UnitPlan | None
    path: str
    titles: tuple[vocab.Title, ...] = ()
    weight: int = 0  # typical number of staff, not counting the head
    head: JabatanPlan | None = None
    staff: list[JabatanPlan] = field(default_factory=list)
    staff_count: int = 0

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


@dataclass(slots=True, eq=False)
class JabatanPlan:
    id: int
    instansi_id: int
    unit: UnitPlan
    code: str
    name: str
    jenis: str
    parent_id: int | None
    is_unit_head: bool
    weight: int = 1


@dataclass(frozen=True)
class StartIds:
    """The first free primary key of each table the plan fills."""

    unit: int = 1
    jabatan: int = 1
    pegawai: int = 1
    user: int = 1


@dataclass
class DemoPlan:
    units: list[UnitPlan]
    jabatan: list[JabatanPlan]
    people: list[PersonPlan]
    plt: tuple[PersonPlan, JabatanPlan, date]
    delegasi: tuple[PersonPlan, PersonPlan, date, str]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _place_names(rng: random.Random) -> Iterator[str]:
    """Endless unique place names: 'Sukamulya', …, then 'Sukamulya Baru', …"""
    bases = [h + t for h, t in itertools.product(vocab.PLACE_HEADS, vocab.PLACE_TAILS)]
    bases.remove(vocab.KABUPATEN)
    rng.shuffle(bases)
    for variant in itertools.chain(vocab.PLACE_VARIANTS, (f" {i}" for i in itertools.count(2))):
        yield from (base + variant for base in bases)


class _Structure:
    """Builds the unit tree with one head jabatan per unit (except the root)."""

    def __init__(self, rng: random.Random, ids: StartIds) -> None:
        self.rng = rng
        self.unit_ids = itertools.count(ids.unit)
        self.jabatan_ids = itertools.count(ids.jabatan)
        self.units: list[UnitPlan] = []
        self.jabatan: list[JabatanPlan] = []
        self.instansi_id = 0

    def unit(
        self,
        parent: UnitPlan | None,
        code: str,
        name: str,
        kind: str,
        head: tuple[str, str] | None = None,
        titles: tuple[vocab.Title, ...] = (),
        weight: int = 0,
    ) -> UnitPlan:
        uid = next(self.unit_ids)
        path = f"{parent.path if parent else '/'}{uid}/"
        unit = UnitPlan(uid, self.instansi_id, code, name, kind, parent, path, titles, weight)
        self.units.append(unit)
        if head is not None:
            title, jenis = head
            # JPT heads are rated by the Bupati/Wali Kota (not a pegawai): no atasan jabatan.
            boss = None if jenis == JPT else self._nearest_head(parent)
            unit.head = self.jabatan_of(unit, f"{code}-KA", title, jenis, boss, True)
        return unit

    def _nearest_head(self, unit: UnitPlan | None) -> int | None:
        while unit is not None:
            if unit.head is not None:
                return unit.head.id
            unit = unit.parent
        return None

    def jabatan_of(
        self, unit: UnitPlan, code: str, name: str, jenis: str, parent: int | None, head: bool
    ) -> JabatanPlan:
        jabatan = JabatanPlan(
            next(self.jabatan_ids), unit.instansi_id, unit, code, name, jenis, parent, head
        )
        self.jabatan.append(jabatan)
        return jabatan

    def office(self, dinas: vocab.Dinas | None = None) -> tuple[vocab.Title, ...]:
        pelaksana = self.rng.sample(vocab.OFFICE_PELAKSANA, 3)
        pool = dinas.fungsional if dinas else vocab.OFFICE_FUNGSIONAL
        fungsional = self.rng.sample(pool, min(2, len(pool)))
        return (*pelaksana, *((name, "FUNGSIONAL", 2) for name in fungsional))

    def kabupaten(self, n: int) -> None:
        root = self.unit(None, "PEMDA", f"Pemerintah Kabupaten {vocab.KABUPATEN}", "PEMDA")
        setda = self.unit(
            root, "SETDA", "Sekretariat Daerah", "SEKRETARIAT", ("Sekretaris Daerah", JPT)
        )
        for i, name in enumerate(vocab.BAGIAN_SETDA[: _clamp(1 + n // 150, 1, 9)], 1):
            head = (f"Kepala Bagian {name}", ADMINISTRATOR)
            self.unit(setda, f"SETDA-B{i}", f"Bagian {name}", "BAGIAN", head, self.office(), 6)
        n_dinas = _clamp(2 + n // 100, 2, len(vocab.DINAS))
        n_bidang, n_seksi, n_sub = _clamp(n // 150, 1, 4), _clamp(n // 300, 1, 3), min(n // 300, 3)
        dinas_units = []
        for d in vocab.DINAS[:n_dinas]:
            dinas = self.unit(root, d.code, d.name, "DINAS", (f"Kepala {d.name}", JPT))
            dinas_units.append((d, dinas))
            head = (f"Sekretaris {d.name}", ADMINISTRATOR)
            code, name, weight = f"{d.code}-SEK", f"Sekretariat {d.name}", 2 if n_sub else 5
            sek = self.unit(dinas, code, name, "SEKRETARIAT", head, self.office(), weight)
            for i, name in enumerate(vocab.SUBBAGIAN_DINAS[:n_sub], 1):
                head = (f"Kepala Subbagian {name}", PENGAWAS)
                code = f"{d.code}-SUB{i}"
                self.unit(sek, code, f"Subbagian {name}", "SUBBAGIAN", head, self.office(), 5)
            for i, (bidang, seksi_names) in enumerate(d.bidang[:n_bidang], 1):
                head = (f"Kepala Bidang {bidang}", ADMINISTRATOR)
                bid = self.unit(dinas, f"{d.code}-B{i}", f"Bidang {bidang}", "BIDANG", head)
                names = seksi_names or tuple(s.format(bidang) for s in vocab.GENERIC_SEKSI)
                for j, seksi in enumerate(names[:n_seksi], 1):
                    head = (f"Kepala Seksi {seksi}", PENGAWAS)
                    code = f"{d.code}-B{i}-S{j}"
                    self.unit(bid, code, f"Seksi {seksi}", "SEKSI", head, self.office(d), 6)
        self._wilayah(n, root, dinas_units)

    def _wilayah(
        self, n: int, root: UnitPlan, dinas_units: list[tuple[vocab.Dinas, UnitPlan]]
    ) -> None:
        """Kecamatan and kelurahan, sekolah, puskesmas and UPTD: their number grows with `n`."""
        heads = sum(1 for u in self.units if u.head is not None)
        budget = n - heads - sum(u.weight for u in self.units)

        def count(share: float, typical: int) -> int:
            return max(1, round(share * budget / (typical + 1)))

        n_kelurahan, n_sekolah, n_puskesmas = count(0.13, 7), count(0.5, 18), count(0.15, 35)
        n_upt = count(0.1, 10) if len(dinas_units) > 2 else 0
        n_kecamatan = math.ceil(n_kelurahan / 9)
        places = _place_names(self.rng)
        dinkes, disdik = dinas_units[0][1], dinas_units[1][1]
        kecamatan, upt_pendidikan, town = [], [], []
        for k in range(1, n_kecamatan + 1):
            place = next(places)
            town.append(place)
            head = (f"Camat {place}", JPT)
            code, name = f"KEC-{k:03d}", f"Kecamatan {place}"
            kecamatan.append(self.unit(root, code, name, "KECAMATAN", head, vocab.WILAYAH_STAFF, 6))
            name = f"UPT Pendidikan Kecamatan {place}"
            head = (f"Kepala {name}", ADMINISTRATOR)
            upt = self.unit(disdik, f"UPTPEND-{k:03d}", name, "UPT", head, vocab.WILAYAH_STAFF, 3)
            upt_pendidikan.append(upt)
        for k in range(n_kelurahan):
            place, kec = next(places), kecamatan[k % n_kecamatan]
            head, code, name = (
                (f"Lurah {place}", PENGAWAS),
                f"KEL-{k + 1:04d}",
                f"Kelurahan {place}",
            )
            self.unit(kec, code, name, "KELURAHAN", head, vocab.WILAYAH_STAFF, 7)
        numbers: dict[str, int] = {}
        for k in range(n_sekolah):
            level, where = ("SMP" if k % 4 == 3 else "SD"), k % n_kecamatan
            numbers[f"{level}{where}"] = number = numbers.get(f"{level}{where}", 0) + 1
            name = f"{level} Negeri {number} {town[where]}"
            head = (f"Kepala {name}", PENGAWAS)
            upt = upt_pendidikan[where]
            self.unit(upt, f"SEK-{k + 1:05d}", name, "UPT", head, vocab.SEKOLAH_STAFF, 18)
        for k in range(n_puskesmas):
            place = town[k] if k < n_kecamatan else next(places)
            head, code = (f"Kepala Puskesmas {place}", PENGAWAS), f"PKM-{k + 1:03d}"
            name, titles = f"Puskesmas {place}", vocab.PUSKESMAS_STAFF
            self.unit(dinkes, code, name, "PUSKESMAS", head, titles, 35)
        others = dinas_units[2:]
        for k in range(n_upt):
            (d, dinas), number = others[k % len(others)], k // len(others) + 1
            name = f"UPTD {d.upt} Wilayah {number}"
            head = (f"Kepala {name}", PENGAWAS)
            code = f"{d.code}-UPTD{number:02d}"
            self.unit(dinas, code, name, "UPT", head, self.office(d), 10)

    def kota(self) -> None:
        root = self.unit(None, "PEMDA", "Pemerintah Kota Sukajaya", "PEMDA")
        titles = (("Pekerja Sosial Ahli Pertama", "FUNGSIONAL", 2), vocab.OFFICE_PELAKSANA[0])
        head = ("Kepala Dinas Sosial", JPT)
        dinsos = self.unit(root, "DINSOS", "Dinas Sosial", "DINAS", head, titles, 1)
        dinsos.staff_count = KOTA_PEGAWAI - 1

    def staff_jabatan(self) -> None:
        """The staff jabatan of every unit that has staff, under the nearest head."""
        for unit in self.units:
            if not (unit.weight and unit.titles):
                continue
            boss = self._nearest_head(unit)
            for k, (name, jenis, weight) in enumerate(unit.titles, 1):
                jabatan = self.jabatan_of(unit, f"{unit.code}-{k:02d}", name, jenis, boss, False)
                jabatan.weight = weight
                unit.staff.append(jabatan)

    def spread_staff(self, n_staff: int, instansi_id: int) -> None:
        """Reserve staff where the demo needs them, one for every unit, the rest by weight."""
        bearing = [u for u in self.units if u.instansi_id == instansi_id and u.staff]
        by_code = {u.code: u for u in bearing}
        remaining = n_staff
        for code, reserved in ((DEMO_SEKSI, 3), (VACANT_SEKSI, 1), (DELEGASI_UNIT, 1)):
            by_code[code].staff_count += reserved
            remaining -= reserved
        for unit in bearing:
            if remaining > 0 and unit.staff_count == 0:
                unit.staff_count, remaining = 1, remaining - 1
        if remaining > 0:
            cumulative = list(itertools.accumulate(u.weight for u in bearing))
            for unit in self.rng.choices(bearing, cum_weights=cumulative, k=remaining):
                unit.staff_count += 1


def plan_demo(
    n: int,
    seed: int,
    *,
    kabupaten_id: int = 1,
    kota_id: int = 2,
    ids: StartIds = StartIds(),
    used_nips: frozenset[str] = frozenset(),
) -> DemoPlan:
    """The whole demo: `n` pegawai in the kabupaten and KOTA_PEGAWAI in a second instansi."""
    if n < MIN_PEGAWAI:
        raise ValueError(f"Data demo membutuhkan paling sedikit {MIN_PEGAWAI} pegawai.")
    if used_nips & FIXED_NIPS:
        raise ValueError("NIP akun demo sudah dipakai pegawai lain di basis data ini.")
    rng = random.Random(seed)
    structure = _Structure(rng, ids)
    structure.instansi_id = kabupaten_id
    structure.kabupaten(n)
    structure.instansi_id = kota_id
    structure.kota()
    structure.staff_jabatan()
    heads = sum(1 for u in structure.units if u.head and u.instansi_id == kabupaten_id)
    structure.spread_staff(n - heads + 1, kabupaten_id)  # +1: one head jabatan stays vacant

    people = PersonFactory(rng, ids.pegawai, ids.user, used_nips | FIXED_NIPS, REFERENCE_DATE)
    staff_pool = {
        instansi: [j for j in structure.jabatan if not j.is_unit_head and j.instansi_id == instansi]
        for instansi in (kabupaten_id, kota_id)
    }
    head_of: dict[str, PersonPlan] = {}
    first_staff: dict[str, PersonPlan] = {}
    for unit in structure.units:
        fixed = unit.instansi_id == kabupaten_id
        if unit.head is not None and not (fixed and unit.code == VACANT_SEKSI):
            who = people.make(unit.head, FIXED.get((unit.code, 0)) if fixed else None, staff_pool)
            head_of.setdefault(unit.code, who)
        if unit.staff_count:
            weights = list(itertools.accumulate(j.weight for j in unit.staff))
            picks = rng.choices(unit.staff, cum_weights=weights, k=unit.staff_count)
            for i, jabatan in enumerate(picks, 1):
                who = people.make(jabatan, FIXED.get((unit.code, i)) if fixed else None, staff_pool)
                if i == 1:
                    first_staff.setdefault(unit.code, who)
    by_code = {u.code: u for u in structure.units if u.instansi_id == kabupaten_id}
    vacant = by_code[VACANT_SEKSI].head
    assert vacant is not None
    plt_start = REFERENCE_DATE - timedelta(days=45)
    delegasi = (
        first_staff[DELEGASI_UNIT],
        head_of[DELEGASI_RATER_UNIT],
        REFERENCE_DATE - timedelta(days=20),
        "Penugasan sementara pada Sekretariat Dinas Kesehatan "
        "(Nota Dinas Kepala Dinas Kesehatan Nomor 800/017/DINKES/2026)",
    )
    return DemoPlan(
        units=structure.units,
        jabatan=structure.jabatan,
        people=people.people,
        plt=(head_of[PLT_UNIT], vacant, plt_start),
        delegasi=delegasi,
    )
