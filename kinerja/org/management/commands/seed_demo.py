from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kinerja.org import demo


class Command(BaseCommand):
    help = (
        "Isi basis data dengan data demo: Pemerintah Kabupaten Sukamaju (fiktif), instansi kedua "
        "yang kecil, dan satu akun demo untuk setiap peran."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pegawai",
            type=int,
            default=demo.DEFAULT_PEGAWAI,
            help=f"jumlah pegawai kabupaten demo (bawaan {demo.DEFAULT_PEGAWAI})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="benih acak: benih yang sama menghasilkan data yang sama",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="jika data demo sudah ada, cukup tampilkan akun demo",
        )
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help=f"kata sandi semua akun demo (bawaan {demo.DEFAULT_PASSWORD})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password: str = options["password"]
        if not password:
            raise CommandError("Kata sandi demo tidak boleh kosong.")
        if demo.demo_exists():
            if not options["if_empty"]:
                raise CommandError(
                    f"Data demo sudah ada (instansi {demo.DEMO_CODE}). Pakai --if-empty, "
                    "atau mulai dari basis data kosong."
                )
            self.stdout.write("Data demo sudah ada; tidak ada yang diubah.")
        else:
            try:
                with transaction.atomic():
                    summary = demo.seed_demo(
                        pegawai=options["pegawai"], seed=options["seed"], password=password
                    )
                    planning = self._plans(options["seed"])
                    reporting = self._realisasi(options["seed"])
                    evaluating = self._evaluasi(options["seed"])
                    revising = self._perubahan()
                    surveys = self._skm(options["seed"])
                    developing = self._pengembangan()
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Data demo dibuat dalam {summary.seconds:.1f} detik: {demo.DEMO_NAME} dengan "
                f"{summary.pegawai} pegawai, {summary.units} unit kerja, {summary.jabatan} "
                f"jabatan, {summary.penempatan} penempatan; {demo.KOTA_NAME} sebagai instansi "
                "kedua."
            )
            if planning:
                self.stdout.write(planning)
            if reporting:
                self.stdout.write(reporting)
            if evaluating:
                self.stdout.write(evaluating)
            if revising:
                self.stdout.write(revising)
            if surveys:
                self.stdout.write(surveys)
            if developing:
                self.stdout.write(developing)
        self.stdout.write("\nAkun demo:\n" + demo.logins_table(demo.demo_logins(password)))
        self.stdout.write(
            "Setiap pegawai demo lain juga dapat masuk dengan NIP-nya dan kata sandi yang sama."
        )

    def _plans(self, seed: int) -> str:
        """SKPs of the current year for the demo kabupaten (kinerja.plans.demo), when installed."""
        if not apps.is_installed("kinerja.plans"):
            return ""
        from kinerja.org.models import Instansi
        from kinerja.plans import demo as plans_demo
        from kinerja.plans.models import StatusSkp

        kab = Instansi.objects.get(code=demo.DEMO_CODE)
        s = plans_demo.seed_skp(instansi=kab, seed=seed)
        counts = sorted(s.by_status.items())
        statuses = ", ".join(f"{n} {StatusSkp(k).label.lower()}" for k, n in counts)
        return (
            f"SKP tahun {s.year} dibuat dalam {s.seconds:.1f} detik: {s.skp} SKP ({statuses}; "
            f"{s.tanpa_skp} pegawai belum ber-SKP), {s.rhk} RHK, {s.iki} IKI."
        )

    def _realisasi(self, seed: int) -> str:
        """Realisasi of this period for the story bidang (kinerja.progress.demo), when installed."""
        if not apps.is_installed("kinerja.progress"):
            return ""
        from kinerja.org.models import Instansi
        from kinerja.progress import demo as progress_demo

        kab = Instansi.objects.get(code=demo.DEMO_CODE)
        s = progress_demo.seed_realisasi(instansi=kab, seed=seed)
        return f"Realisasi periode berjalan: {s.entries} entri, {s.feedback} umpan balik."

    def _perubahan(self) -> str:
        """One perubahan SKP in the running period (kinerja.progress.demo_versions), after the
        evaluations, so that its realisasi follow to version 2 and the evaluated period stays."""
        if not apps.is_installed("kinerja.progress"):
            return ""
        from kinerja.org.models import Instansi
        from kinerja.progress import demo_versions

        kab = Instansi.objects.get(code=demo.DEMO_CODE)
        s = demo_versions.seed_perubahan(instansi=kab)
        if s is None:
            return ""
        return (
            f"Perubahan SKP: {s.pegawai} (NIP {s.nip}) versi {s.version} disetujui; "
            f"{s.followed} realisasi periode berjalan ikut ke versi baru."
        )

    def _evaluasi(self, seed: int) -> str:
        """Evaluations of the last period that is over for the story bidang
        (kinerja.assessments.demo), or why there are none."""
        if not apps.is_installed("kinerja.assessments"):
            return ""
        from kinerja.assessments import demo as assessments_demo
        from kinerja.org.models import Instansi

        kab = Instansi.objects.get(code=demo.DEMO_CODE)
        s = assessments_demo.seed_evaluasi(instansi=kab, seed=seed)
        if isinstance(s, str):
            return f"Evaluasi demo dilewati: {s}"
        return (
            f"Evaluasi {s.period_label}: capaian organisasi {s.capaian} unit, {s.evaluasi} "
            f"evaluasi dinilai ({s.final} final) di bidang cerita demo."
        )

    def _pengembangan(self) -> str:
        """Training catalogue and early-warning cases of the story bidang (development.demo)."""
        if not apps.is_installed("kinerja.development"):
            return ""
        from kinerja.development import demo as development_demo
        from kinerja.org.models import Instansi

        kab = Instansi.objects.get(code=demo.DEMO_CODE)
        s = development_demo.seed_pengembangan(instansi=kab)
        if s is None:
            return ""
        return (
            f"Pengembangan: {s.catalogue} pelatihan di katalog, {s.cases} kasus peringatan dini, "
            f"{s.sessions} sesi bimbingan."
        )

    def _skm(self, seed: int) -> str:
        """Layanan, periods and answers of the SKM (kinerja.surveys.demo), when installed."""
        if not apps.is_installed("kinerja.surveys"):
            return ""
        from kinerja.org.models import Instansi
        from kinerja.surveys import demo as skm_demo

        kab = Instansi.objects.get(code=demo.DEMO_CODE)
        s = skm_demo.seed_skm(instansi=kab, seed=seed)
        return (
            f"SKM: {s.layanan} layanan, {s.responses} jawaban (semester lalu dan berjalan); "
            f"halaman publik /transparansi/{demo.DEMO_CODE}/."
        )
