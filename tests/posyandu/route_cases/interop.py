"""Scoping cases of 'Kirim data' (interop/urls.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.posyandu.scoping_support import SECRET_NIK, Route


def _pkm(o):
    return {"puskesmas_id": o.day.posyandu.desa.puskesmas_id}


def _submission(o):
    from interop.models import Submission

    sub, _ = Submission.objects.get_or_create(
        visit=o.visit, defaults={"posyandu": o.visit.posyandu, "status": "failed",
                                 "reason": "uji"})
    return sub


def _recap(o):
    lines = [
        "NIK;NAMA;TGL LAHIR;JK;NAMA IBU;JANUARI_TGL UKUR;JANUARI_BERAT;JANUARI_TINGGI",
        f"{SECRET_NIK};;;;;10-01-2026;17,5;105",
        ";Anak Titipan Luar;01-02-2024;L;Ibu Rahasia;10-01-2026;10,5;80",
    ]
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    return {"berkas": SimpleUploadedFile("rekap.csv", data, "text/csv"),
            "action": "simpan", "daftar_baru": "on"}


ROUTES = {
    "interop:puskesmas": Route(_pkm, ("GET", "POST"), lambda o: {"bulan": f"{o.day.date:%Y-%m}"},
                               lambda o: [o.visit, o.person]),
    "interop:resend": Route(lambda o: {"uuid": _submission(o).uuid}, ("POST",), lambda o: {},
                            lambda o: [_submission(o)]),
    "interop:export": Route(lambda o: {"posyandu_id": o.day.posyandu_id,
                                       "month": f"{o.day.date:%Y-%m}", "kind": "eppgbm",
                                       "fmt": "xlsx"}),
    "interop:wide-import": Route(lambda o: {"posyandu_id": o.day.posyandu_id}, ("GET", "POST"),
                                 _recap, lambda o: [o.day, o.person, o.mother, o.visit]),
}

LIST_ROUTES = {
    "interop:home": {"bulan": "2026-01"},
    "interop:wide-template": {},
}
