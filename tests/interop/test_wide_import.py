"""The kader's wide monthly recap in (interop.wide_import)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from ilp.models import Measurement, Person, ServiceDay, Visit
from interop.wide_import import Status, import_wide, parse_upload, template_xlsx
from tests.factories import make_person
from tests.interop.conftest import nik_for

pytestmark = pytest.mark.django_db


def months_back(n):
    """A weekday date n months before this month, on the 10th."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 10)


MONTHS = ["", "JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
          "SEPTEMBER", "OKTOBER", "NOVEMBER", "DESEMBER"]


@pytest.fixture
def kids(world):
    birth = months_back(14)
    return {
        "budi": make_person(world.a1, name="Budi Santoso", sex="L", birth_date=birth,
                            nik=nik_for(birth, "L")),
        "ani": make_person(world.a1, name="Ani Lestari", sex="P", birth_date=birth,
                           mother_name="Siti"),
    }


def csv_upload(kids, d1, d2, *, ani_d2_weight="9,1", extra=""):
    m1, m2 = MONTHS[d1.month], MONTHS[d2.month]
    head = ["NO", "NIK", "NAMA", "TGL LAHIR", "JK", "NAMA IBU"]
    for m in (m1, m2):
        head += [f"{m}_TGL UKUR", f"{m}_UMUR", f"{m}_BERAT", f"{m}_TINGGI", f"{m}_CARA UKUR"]
    budi, ani = kids["budi"], kids["ani"]
    lines = [";".join(head),
             f"1;{budi.nik};Budi Santoso;{budi.birth_date:%d-%m-%Y};L;;"
             f"{d1:%d-%m-%Y};12;9,5;75;telentang;{d2:%d-%m-%Y};13;9,8;76;telentang",
             f"2;;Ani Lestari;{ani.birth_date:%d-%m-%Y};P;Siti;"
             f"{d1:%d-%m-%Y};12;8,9;73;;{d2:%d-%m-%Y};13;{ani_d2_weight};74;"]
    if extra:
        lines.append(extra)
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
    return SimpleUploadedFile("rekap.csv", data, "text/csv")


def run(world, upload, dry_run=False, **kw):
    layout, rows = parse_upload(upload)
    return import_wide(user=world.kader_a1, posyandu=world.a1, layout=layout, rows=rows,
                       dry_run=dry_run, **kw)


def test_dry_run_checks_everything_and_saves_nothing(world, kids):
    d1, d2 = months_back(2), months_back(1)
    report = run(world, csv_upload(kids, d1, d2), dry_run=True)
    assert report.error_count == 0 and report.saved_count == 4
    assert {r.status for r in report.results} == {Status.READY}
    assert Measurement.objects.count() == 0 and ServiceDay.objects.count() == 0
    assert report.months == [d1.month, d2.month]


def test_import_saves_each_child_month_through_the_services(world, kids):
    d1, d2 = months_back(2), months_back(1)
    report = run(world, csv_upload(kids, d1, d2))
    assert report.saved_count == 4 and report.error_count == 0
    budi = Measurement.objects.get(person=kids["budi"], measured_on=d2)
    assert budi.weight_kg == Decimal("9.80") and budi.length_method == "lying"
    assert budi.bbu_z is not None and budi.final_trend  # derived like a form entry
    ani = Measurement.objects.get(person=kids["ani"], measured_on=d1)
    assert ani.length_method == "lying"  # blank CARA UKUR: lying under 2 years
    days = ServiceDay.objects.filter(posyandu=world.a1).order_by("date")
    assert [d.date for d in days] == [d1, d2]
    assert {d.status for d in days} == {ServiceDay.Status.CLOSED}


def test_reimport_saves_nothing_twice(world, kids):
    d1, d2 = months_back(2), months_back(1)
    run(world, csv_upload(kids, d1, d2))
    counts = (Measurement.objects.count(), Visit.objects.count(), Person.objects.count())
    again = run(world, csv_upload(kids, d1, d2))
    assert again.unchanged_count == 4 and again.saved_count == 0 and again.error_count == 0
    assert (Measurement.objects.count(), Visit.objects.count(), Person.objects.count()) == counts


def test_a_failing_month_is_refused_alone_with_row_and_month(world, kids):
    d1, d2 = months_back(2), months_back(1)
    report = run(world, csv_upload(kids, d1, d2, ani_d2_weight="9100"))  # grams typed as kg
    assert report.saved_count == 3
    [(row, child, messages)] = report.errors_by_row()
    assert row == 3 and child.startswith("Ani")
    assert messages[0].startswith(f"{MONTHS[d2.month].capitalize()}: BERAT:")
    assert Measurement.objects.filter(person=kids["ani"]).count() == 1
    assert not Measurement.objects.filter(person=kids["ani"], measured_on=d2).exists()


def test_cell_checks(world, kids):
    d1, d2 = months_back(2), months_back(1)
    budi = kids["budi"]
    wrong_month = d1  # a date of the first month in the second month's column
    extra = (f"3;{budi.nik};Budi Santoso;{budi.birth_date:%d-%m-%Y};L;;"
             f"32-13-2025;12;9,5;75;;{wrong_month:%d-%m-%Y};13;9,8;76;miring")
    upload = csv_upload(kids, d1, d2, extra=extra)
    report = run(world, upload, dry_run=True)
    errors = dict((r, m) for r, _, m in report.errors_by_row())
    assert any("TGL UKUR" in m and "tidak terbaca" in m for m in errors[4])
    assert any("bukan bulan" in m for m in errors[4])


def test_unknown_child_is_refused_unless_registration_is_asked(world, kids):
    d1, d2 = months_back(2), months_back(1)
    extra = f"3;;Cici Baru;{months_back(10):%d-%m-%Y};P;Rina;{d1:%d-%m-%Y};12;7,5;68;;;;;;"
    report = run(world, csv_upload(kids, d1, d2, extra=extra), dry_run=True)
    [(row, _, messages)] = report.errors_by_row()
    assert row == 4 and "tidak ditemukan" in messages[0]
    report = run(world, csv_upload(kids, d1, d2, extra=extra), register_new=True)
    assert report.error_count == 0 and Person.objects.filter(name="Cici Baru").exists()


def test_two_header_rows_with_merged_month_cells(world, kids):
    d1 = months_back(1)
    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", "NAMA", "TGL LAHIR", "JK", "NAMA IBU", MONTHS[d1.month], None, None, None])
    ws.append([None, None, None, None, None, "TGL UKUR", "BERAT", "TINGGI", "CARA UKUR"])
    ws.merge_cells(start_row=1, start_column=6, end_row=1, end_column=9)
    budi = kids["budi"]
    ws.append([budi.nik, "Budi Santoso", budi.birth_date, "L", "", d1, 9.6, 75.5, "berdiri"])
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("rekap.xlsx", out.getvalue())
    report = run(world, upload)
    assert report.saved_count == 1, report.errors_by_row()
    m = Measurement.objects.get(person=budi)
    assert m.measured_on == d1 and m.length_method == "standing"


def test_a_closed_day_is_not_reopened(world, kids):
    d1, d2 = months_back(2), months_back(1)
    ServiceDay.objects.create(posyandu=world.a1, date=d2, status=ServiceDay.Status.CLOSED)
    report = run(world, csv_upload(kids, d1, d2))
    assert report.saved_count == 2
    closed = [r for r in report.results if r.on == d2]
    assert all(r.status == Status.ERROR and "sudah ditutup" in r.errors[0] for r in closed)


def test_another_posyandus_kader_cannot_import(world, kids):
    from django.core.exceptions import PermissionDenied

    layout, rows = parse_upload(csv_upload(kids, months_back(2), months_back(1)))
    with pytest.raises(PermissionDenied):
        import_wide(user=world.kader_a2, posyandu=world.a1, layout=layout, rows=rows,
                    dry_run=True)


def test_template_reads_back_as_a_layout():
    layout, rows = parse_upload(SimpleUploadedFile("t.xlsx", template_xlsx(2026)))
    assert rows == [] and len(layout.months) == 48
    assert set(layout.identity.values()) == {"nik", "nama", "tanggal_lahir", "jenis_kelamin",
                                             "nama_ibu"}
