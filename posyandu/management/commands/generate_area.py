"""Generate a whole demo/benchmark area: ``manage.py generate_area --puskesmas 40 ...``."""

import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from posyandu.demo.generator import generate_area
from posyandu.models import Kabupaten


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"tanggal {value!r} tidak dikenal; tulis TTTT-BB-HH, misalnya 2026-01-01"
        ) from None


class Command(BaseCommand):
    help = (
        "Membuat satu kabupaten contoh lengkap (Puskesmas, desa, posyandu, pengguna, keluarga, "
        "sasaran dan riwayat penimbangan) dari seed tetap. Untuk demo dan uji beban."
    )

    def add_arguments(self, parser):
        parser.add_argument("--puskesmas", type=int, default=1, help="jumlah Puskesmas")
        parser.add_argument(
            "--posyandu-per-puskesmas", type=int, default=3, help="jumlah posyandu per Puskesmas"
        )
        parser.add_argument("--people", type=int, default=120, help="jumlah sasaran per posyandu")
        parser.add_argument("--months", type=int, default=12, help="lama riwayat (bulan)")
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument(
            "--end", type=_iso_date, default=None,
            help="tanggal 'hari ini' data (TTTT-BB-HH); bawaan: tanggal 1 bulan ini (WIB)",
        )
        parser.add_argument("--kabupaten", default="35.09", help="kode kabupaten, mis. 35.09")
        parser.add_argument("--password", default="posyandu123", help="kata sandi semua pengguna")

    def handle(self, *args, **opts):
        if Kabupaten.objects.filter(kode=opts["kabupaten"]).exists():
            raise CommandError(
                f"Kabupaten dengan kode {opts['kabupaten']} sudah ada. "
                "Pakai --kabupaten dengan kode lain, misalnya 35.10."
            )
        try:
            summary = generate_area(
                puskesmas=opts["puskesmas"],
                posyandu_per_puskesmas=opts["posyandu_per_puskesmas"],
                people_per_posyandu=opts["people"],
                months=opts["months"],
                seed=opts["seed"],
                end=opts["end"],
                kabupaten_kode=opts["kabupaten"],
                password=opts["password"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Wilayah {summary.kabupaten} dibuat dalam {summary.seconds:.1f} detik "
            f"(riwayat {summary.start:%d-%m-%Y} s.d. {summary.end:%d-%m-%Y})."
        ))
        for line in summary.count_lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Contoh login (kata sandi: {opts['password']}):")
        for login in summary.logins:
            self.stdout.write(f"  {login.username} ({login.role}, {login.scope})")
        self.stdout.write(
            "Catatan: nilai turunan pengukuran (z-score, status gizi, N/T) belum dihitung."
        )
