"""Fictitious pegawai for the demo plan: names, valid NIPs, gelar, pangkat, placements.

Names come from Faker's id_ID word lists sampled with the plan's seeded `random.Random` (one
Faker call per person would be ~20x slower at 100,000 people).
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from faker.providers.person.id_ID import Provider as FakerNames

from . import demo_vocab as vocab
from .rules import normalise_search, parse_nip

if TYPE_CHECKING:
    from .demo_plan import JabatanPlan

EMAIL_DOMAIN = "sukamajukab.example"  # a reserved top-level domain: no mail leaves by accident
_HEAD_AGES = {"JPT": (48, 57), "ADMINISTRATOR": (42, 56), "PENGAWAS": (34, 55)}
_HEAD_PANGKAT = {"JPT": (10, 11), "ADMINISTRATOR": (8, 9), "PENGAWAS": (6, 8)}
# Pangkat steps (index into vocab.PANGKAT) allowed for a jenjang jabatan fungsional.
_JENJANG = (("Ahli Pertama", 4, 5), ("Ahli Muda", 6, 7), ("Ahli Madya", 8, 9), ("Terampil", 2, 3))
_NOT_LETTER = re.compile(r"[^a-z]")
_NAMES = {
    "L": (FakerNames.first_names_male, FakerNames.last_names_male),
    "P": (FakerNames.first_names_female, FakerNames.last_names_female),
}


@dataclass(slots=True, eq=False)
class PersonPlan:
    id: int
    user_id: int
    instansi_id: int
    jenis_asn: str
    nip: str
    name: str
    front_title: str
    back_title: str
    pangkat_golongan: str
    gender: str
    birth_date: date
    email: str
    phone: str
    search_text: str
    jabatan: JabatanPlan
    start_date: date
    reference: str
    previous: tuple[int, date, date] | None = None  # an ended placement: jabatan id, start, end


class PersonFactory:
    def __init__(
        self,
        rng: random.Random,
        first_id: int,
        first_user_id: int,
        used: frozenset[str],
        today: date,
    ) -> None:
        self.rng = rng
        self.ids = itertools.count(first_id)
        self.user_offset = first_user_id - first_id
        self.used = set(used)
        self.today = today
        self.people: list[PersonPlan] = []
        self.sk_numbers = itertools.count(1)
        self._staff_gelar: dict[str, tuple[str, tuple[str, ...]]] = {}

    def make(
        self,
        jabatan: JabatanPlan,
        fixed: tuple[str, str] | None,
        staff_pool: dict[int, list[JabatanPlan]],
    ) -> PersonPlan:
        rng, head = self.rng, jabatan.is_unit_head
        if fixed is not None:
            nip, jenis_asn = fixed
            parts = parse_nip(nip)
            birth, gender = parts.birth_date, parts.gender
            tmt = date(parts.tmt_year, parts.tmt_month, 1)
        else:
            jenis_asn = "PPPK" if not head and rng.random() < 0.11 else "PNS"
            female = "Bidan" in jabatan.name or rng.random() < 0.5
            gender = "P" if female else "L"
            low, high = _HEAD_AGES[jabatan.jenis] if head else (23, 57)
            if jenis_asn == "PPPK":
                low, high = 24, 50
            birth = date(self.today.year - rng.randint(low, high), 1, 1)
            birth += timedelta(days=rng.randrange(365))
            if jenis_asn == "PPPK":
                tmt_year = max(rng.randint(2019, self.today.year - 1), birth.year + 21)
            else:
                tmt_year = min(birth.year + rng.randint(22, 30), self.today.year - 1)
            tmt = date(tmt_year, rng.randint(1, 12), 1)
            nip = self._nip(birth, tmt, gender)
        name = self._name(gender)
        front, back = self._gelar(jabatan)
        start = self._start(tmt)
        person = PersonPlan(
            id=next(self.ids),
            user_id=0,
            instansi_id=jabatan.instansi_id,
            jenis_asn=jenis_asn,
            nip=nip,
            name=name,
            front_title=front,
            back_title=back,
            pangkat_golongan=self._pangkat(jabatan, jenis_asn, front, back, tmt),
            gender=gender,
            birth_date=birth,
            email=self._email(name, nip),
            phone=f"08{rng.choice(vocab.PHONE_PREFIXES)}{rng.randrange(10**7, 10**8)}",
            search_text=normalise_search(f"{name} {nip}")[:220],
            jabatan=jabatan,
            start_date=start,
            reference=f"821.2/{next(self.sk_numbers):05d}/BKPSDM/{start.year}",
        )
        person.user_id = person.id + self.user_offset
        served = (start - tmt).days
        chance = 1.0 if fixed is not None and head else (0.4 if head else 0.12)
        if served > 540 and rng.random() < chance:
            earlier = rng.choice(staff_pool[jabatan.instansi_id])
            if earlier is not jabatan:
                began = tmt + timedelta(days=rng.randrange(served - 365))
                person.previous = (earlier.id, began, start - timedelta(days=1))
        self.people.append(person)
        return person

    def _nip(self, birth: date, tmt: date, gender: str) -> str:
        """An unused NIP: birth date, TMT CPNS, gender digit, sequence 001–999."""
        while True:
            prefix = f"{birth:%Y%m%d}{tmt:%Y%m}{'1' if gender == 'L' else '2'}"
            sequence = self.rng.randint(1, 999)
            for _ in range(999):
                nip = f"{prefix}{sequence:03d}"
                if nip not in self.used:
                    self.used.add(nip)
                    return nip
                sequence = sequence % 999 + 1
            birth -= timedelta(days=1)  # all 999 taken (never in practice): another birthday

    def _name(self, gender: str) -> str:
        firsts, lasts = _NAMES[gender]
        rng, first = self.rng, self.rng.choice(firsts)
        roll = rng.random()
        if roll < 0.12:
            return first  # a single name, common in Java
        if roll < 0.27:
            middle = rng.choice(firsts)
            if middle != first:
                return f"{first} {middle} {rng.choice(lasts)}"
        return f"{first} {rng.choice(lasts)}"

    def _email(self, name: str, nip: str) -> str:
        words = [_NOT_LETTER.sub("", w) for w in name.lower().split()[:2]]
        return f"{'.'.join(w for w in words if w)}.{nip[-4:]}@{EMAIL_DOMAIN}"

    def _gelar(self, jabatan: JabatanPlan) -> tuple[str, str]:
        rng, unit = self.rng, jabatan.unit
        if not jabatan.is_unit_head:
            found = self._staff_gelar.get(jabatan.name)
            if found is None:
                found = next((f, b) for k, f, b in vocab.GELAR_STAFF if k in jabatan.name)
                self._staff_gelar[jabatan.name] = found
            return found[0], rng.choice(found[1])
        if unit.code == "DINKES":
            return "dr.", "M.Kes."
        if unit.kind == "PUSKESMAS":
            return rng.choice((("dr.", ""), ("", "S.KM."), ("", "S.Kep., Ners"), ("dr.", "M.Kes.")))
        if unit.code.startswith("SEK-"):
            return "", rng.choice(("S.Pd.", "S.Pd., M.Pd.", "S.Pd.SD."))
        if jabatan.jenis == "PENGAWAS":
            return "", rng.choice(vocab.GELAR_PENGAWAS)
        doctor = jabatan.jenis == "JPT" and rng.random() < 0.15
        return ("Dr." if doctor else ""), rng.choice(vocab.GELAR_PIMPINAN)

    def _pangkat(
        self, jabatan: JabatanPlan, jenis_asn: str, front: str, back: str, tmt: date
    ) -> str:
        graduate = bool(front) or back.startswith("S.")
        if jenis_asn == "PPPK":
            golongan = "IX" if graduate else ("VII" if back.startswith("A.Md") else "V")
            return f"Golongan {golongan}"
        if jabatan.is_unit_head:
            step = self.rng.randint(*_HEAD_PANGKAT[jabatan.jenis])
        else:
            low = 4 if graduate else (2 if back.startswith("A.Md") else 0)
            jenjang = next(((lo, hi) for k, lo, hi in _JENJANG if k in jabatan.name), None)
            low, high = jenjang or (low, 8)
            step = max(low, min(low + (self.today.year - tmt.year) // 4, high))
        pangkat, ruang = vocab.PANGKAT[step]
        return f"{pangkat} ({ruang})"

    def _start(self, tmt: date) -> date:
        """TMT of the current jabatan: after the TMT CPNS, within the last ten years."""
        latest = self.today - timedelta(days=1)
        earliest = max(tmt + timedelta(days=180), self.today - timedelta(days=3650))
        if earliest > latest:
            earliest = min(tmt, latest)
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))
