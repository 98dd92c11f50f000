"""Scoping cases of the import feature (ilp/urls_import.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.posyandu.scoping_support import SECRET_NIK, Route


def _upload(o):
    """A small CSV for a1's day: a1's people (by NIK and by name) and a new
    registration. Posted by outsiders it must change nothing."""
    lines = [
        "nik;nama;tanggal_lahir;nama_ibu;daftar_baru;jenis_kelamin;berat_kg;panjang_tinggi_cm;cara_ukur",
        f"{SECRET_NIK};;;;;;17,5;105;berdiri",
        f";{o.mother.name};{o.mother.birth_date:%d-%m-%Y};;;;55;155;",
        f";Anak Titipan Luar;01-02-2024;{o.mother.name};ya;L;10,5;80;berdiri",
    ]
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    return {"berkas": SimpleUploadedFile("impor.csv", data, "text/csv"), "action": "simpan"}


ROUTES = {
    "ilp:day-import": Route(
        lambda o: {"uuid": o.day.uuid}, ("GET", "POST"), _upload,
        lambda o: [o.day, o.person, o.mother, o.visit],
    ),
}

# The template downloads carry no personal data, but need a login.
LIST_ROUTES = {
    "ilp:import-template-csv": {},
    "ilp:import-template-xlsx": {},
}
