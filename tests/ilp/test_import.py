"""Import of visits and measurements from a CSV/XLSX file (ilp.services.importer)."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from ilp.models import Measurement, Person, ServiceDay, Step, Visit
from ilp.services.importer import (
    COLUMN_NAMES,
    MAX_ROWS,
    Status,
    import_rows,
    parse_upload,
    template_csv,
    template_rows,
    template_xlsx,
)
from ilp.services.measurements import measurement_record
from posyandu.reference import sync_shipped_tables
from tests.factories import make_person

pytestmark = pytest.mark.django_db

HEADER = "nik;nama;tanggal_lahir;nama_ibu;daftar_baru;jenis_kelamin;berat_kg;panjang_tinggi_cm;cara_ukur"


@pytest.fixture(autouse=True)
def _reference_tables(db):
    sync_shipped_tables()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def day(world, today):
    return ServiceDay.objects.create(posyandu=world.a1, date=today, status=ServiceDay.Status.OPEN)


def nik_for(birth, sex, serial="0001"):
    dd = birth.day + (40 if sex == "P" else 0)
    return f"350901{dd:02d}{birth:%m%y}{serial}"


@pytest.fixture
def kids(world, today):
    """Three children of posyandu a1, about 20 months old."""
    birth = today - timedelta(days=600)
    mother = make_person(world.a1, name="Siti Aminah", sex="P", birth_date=today - timedelta(days=9000))
    return {
        "budi": make_person(world.a1, name="Budi Santoso", sex="L", birth_date=birth,
                            nik=nik_for(birth, "L")),
        "ani": make_person(world.a1, name="Ani Lestari", sex="P", birth_date=birth),
        "rina": make_person(world.a1, name="Rina Wati", sex="P", birth_date=birth, mother=mother),
        "birth": birth,
    }


def csv_file(lines, *, bom=True, name="impor.csv"):
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode("utf-8")
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + data, "text/csv")


def dmy(d):
    return d.strftime("%d-%m-%Y")


def good_lines(kids):
    b = dmy(kids["birth"])
    return [
        HEADER,
        f"{kids['budi'].nik};Budi Santoso;;;;;10,5;82;telentang",
        f";Ani Lestari;{b};;;;10500;80;telentang",  # grams
        f";Rina Wati;{b};Siti Aminah;;;9,8;;",
    ]


def counts():
    return (Person.objects.count(), Visit.objects.count(), Measurement.objects.count(),
            Measurement.history.count())


def test_csv_semicolon_bom_saves_good_rows_and_refuses_the_grams_row_whole(world, day, kids):
    rows = parse_upload(csv_file(good_lines(kids)))
    assert [r["_baris"] for r in rows] == [2, 3, 4]
    assert rows[0]["nik"] == kids["budi"].nik  # the BOM is not part of the first header

    report = import_rows(user=world.kader_a1, day=day, rows=rows)

    budi, ani, rina = report.rows
    assert (budi.status, ani.status, rina.status) == (Status.SAVED, Status.ERROR, Status.SAVED)
    m = Measurement.objects.get(person=kids["budi"])
    assert m.weight_kg == Decimal("10.5") and m.length_cm == Decimal("82.0")
    assert m.length_method == "lying"
    assert m.bbu_z is not None and m.tbu_z is not None and m.bbtb_z is not None
    assert m.visit.step == Step.RECORD and m.visit.service_day == day
    assert Measurement.objects.get(person=kids["rina"]).weight_kg == Decimal("9.8")

    assert ani.number == 3
    assert "gram" in " ".join(ani.errors["berat_kg"])
    assert not Visit.objects.filter(person=kids["ani"]).exists()
    assert not Measurement.objects.filter(person=kids["ani"]).exists()
    assert report.saved_count == 2 and report.error_count == 1


def test_reimporting_the_same_file_saves_nothing_twice(world, day, kids):
    import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(good_lines(kids))))
    before = counts()
    visits = set(Visit.objects.values_list("pk", "client_id"))

    again = import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(good_lines(kids))))

    assert counts() == before
    assert set(Visit.objects.values_list("pk", "client_id")) == visits
    assert [r.status for r in again.rows] == [Status.UNCHANGED, Status.ERROR, Status.UNCHANGED]


def test_dry_run_checks_every_row_and_saves_nothing(world, day, kids):
    lines = [*good_lines(kids), f";Bayi Baru;{dmy(kids['birth'])};Siti Aminah;ya;L;10;80;"]
    before = counts()

    report = import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(lines)),
                         dry_run=True)

    assert counts() == before
    assert [r.status for r in report.rows] == [
        Status.READY, Status.ERROR, Status.READY, Status.READY
    ]
    assert report.rows[3].notes == ["Sasaran baru akan didaftarkan."]


def test_comma_separated_csv_without_bom(world, day, kids):
    lines = [
        HEADER.replace(";", ","),
        f'{kids["budi"].nik},Budi Santoso,,,,,"10,5",82,telentang',
    ]
    report = import_rows(user=world.kader_a1, day=day,
                         rows=parse_upload(csv_file(lines, bom=False)))
    assert report.rows[0].status == Status.SAVED
    assert Measurement.objects.get(person=kids["budi"]).weight_kg == Decimal("10.5")


def test_xlsx_with_loose_headers_date_cells_and_numbers(world, day, kids):
    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", " Nama ", "Tanggal Lahir", "Nama Ibu", "Berat (kg)", "Panjang/Tinggi cm",
               "Cara Ukur", "Catatan"])
    ws.append([kids["budi"].nik, "Budi Santoso", None, None, 10.5, 82, "Telentang", "x"])
    ws.append([None, "Rina Wati", datetime.combine(kids["birth"], datetime.min.time()),
               "Siti Aminah", "9,8", None, None, None])
    ws.append([None] * 8)  # an empty row is left out
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("impor.xlsx", out.getvalue())

    rows = parse_upload(upload)
    assert [r["_baris"] for r in rows] == [2, 3]
    report = import_rows(user=world.kader_a1, day=day, rows=rows)

    assert [r.status for r in report.rows] == [Status.SAVED, Status.SAVED]
    assert report.ignored_columns == ["catatan"]
    assert Measurement.objects.get(person=kids["budi"]).weight_kg == Decimal("10.5")
    assert Measurement.objects.get(person=kids["rina"]).weight_kg == Decimal("9.8")


def test_a_person_of_another_posyandu_is_not_found(world, day, today):
    birth = today - timedelta(days=600)
    other = make_person(world.b1, name="Dewi Anggrek", sex="P", birth_date=birth,
                        nik=nik_for(birth, "P", "0007"))
    lines = [HEADER, f"{other.nik};;;;;;10;80;telentang", f";Dewi Anggrek;{dmy(birth)};;;;10;80;"]
    before = counts()

    # the bidan covering a1 and a2 does not reach b1 either way
    for user in (world.kader_a1, world.bidan_a):
        report = import_rows(user=user, day=day, rows=parse_upload(csv_file(lines)))
        assert [r.status for r in report.rows] == [Status.ERROR, Status.ERROR]
        assert "tidak ditemukan" in report.rows[0].errors[""][0]
        assert "tidak ditemukan" in report.rows[1].errors[""][0]
    assert counts() == before


def test_unusual_values_need_the_confirmation_column(world, day, today):
    baby = make_person(world.a1, name="Bayu Kecil", sex="L", birth_date=today - timedelta(days=249))
    header = "nama;tanggal_lahir;berat_kg;konfirmasi_tidak_biasa"
    row = f"Bayu Kecil;{dmy(baby.birth_date)};2,0"

    report = import_rows(user=world.kader_a1, day=day,
                         rows=parse_upload(csv_file([header, row + ";"])))
    [result] = report.rows
    assert result.status == Status.ERROR
    assert "BB/U z" in result.errors["berat_kg"][0]
    assert "konfirmasi_tidak_biasa" in result.errors["konfirmasi_tidak_biasa"][0]
    assert not Visit.objects.filter(person=baby).exists()

    report = import_rows(user=world.kader_a1, day=day,
                         rows=parse_upload(csv_file([header, row + ";ya"])))
    assert report.rows[0].status == Status.SAVED
    assert Measurement.objects.get(person=baby).weight_kg == Decimal("2.0")


def test_daftar_baru_registers_once(world, day, kids):
    lines = [HEADER, f";Bayi Baru;{dmy(kids['birth'])};Siti Aminah;ya;L;10,1;80;telentang"]
    report = import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(lines)))
    assert report.rows[0].status == Status.SAVED
    assert report.rows[0].notes == ["Sasaran baru didaftarkan."]
    baby = Person.objects.get(name="Bayi Baru")
    assert baby.posyandu == world.a1 and baby.sex == "L" and baby.mother_name == "Siti Aminah"
    assert Measurement.objects.get(person=baby).weight_kg == Decimal("10.1")

    before = counts()
    again = import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(lines)))
    assert again.rows[0].status == Status.UNCHANGED
    assert counts() == before


def test_row_problems_are_keyed_by_column(world, day, kids):
    b = dmy(kids["birth"])
    lines = [
        HEADER,
        f"{kids['budi'].nik};Joko Lain;;;;;10;80;telentang",  # NIK of someone else
        "1234;;;;;;10;;",  # NIK too short, no name
        ";Ani Lestari;31-02-2024;;;;10;;",  # impossible date
        f";Ani Lestari;{b};;;;10;80;miring",  # unknown method
        f";Ani Lestari;{b};;;;;;",  # nothing measured
        f";Tidak Ada;{b};;;;10;;",  # not registered, daftar_baru empty
        f";Baru Tanpa Jk;{b};;ya;;10;;",  # new person without sex
    ]
    before = counts()
    report = import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(lines)))
    assert counts() == before
    errors = [r.errors for r in report.rows]
    assert "Budi Santoso" in errors[0]["nik"][0]
    assert "16 angka" in errors[1]["nik"][0]
    assert "tanggal_lahir" in errors[2]
    assert "cara_ukur" in errors[3]
    assert "Isi paling sedikit satu ukuran." in errors[4][""]
    assert "daftar_baru" in errors[5][""][0]
    assert "jenis_kelamin" in errors[6]


def test_a_visit_measured_on_the_page_is_not_overwritten(world, day, kids):
    visit = Visit.objects.create(posyandu=world.a1, person=kids["budi"], service_day=day,
                                 date=day.date, step=Step.MEASURE)
    measurement_record(user=world.kader_a1, visit=visit,
                       data={"weight_kg": "11", "length_cm": "83", "length_method": "lying"})
    lines = [HEADER, f"{kids['budi'].nik};;;;;;10,5;82;telentang"]
    report = import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(lines)))
    assert report.rows[0].status == Status.ERROR
    assert "halaman kunjungan" in report.rows[0].errors[""][0]
    assert Measurement.objects.get(visit=visit).weight_kg == Decimal("11.00")


def test_the_same_person_twice_in_one_file(world, day, kids):
    b = dmy(kids["birth"])
    lines = [HEADER, f";Rina Wati;{b};;;;9,8;;", f";Rina Wati;{b};Siti Aminah;;;9,9;;"]
    report = import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(lines)))
    assert report.rows[0].status == Status.SAVED
    assert "baris 2" in report.rows[1].errors[""][0]
    assert Measurement.objects.get(person=kids["rina"]).weight_kg == Decimal("9.8")


def test_too_many_rows_or_bytes_are_refused(world, day, kids):
    lines = [HEADER] + [f";Anak {i};01-01-2024;;;;10;;" for i in range(MAX_ROWS + 1)]
    with pytest.raises(ValidationError, match=str(MAX_ROWS)):
        parse_upload(csv_file(lines))
    with pytest.raises(ValidationError, match=str(MAX_ROWS)):
        import_rows(user=world.kader_a1, day=day, rows=[{"nama": "x"}] * (MAX_ROWS + 1))
    big = SimpleUploadedFile("besar.csv", b"nama;berat_kg\r\n" + b"x" * (2 * 1024 * 1024))
    with pytest.raises(ValidationError, match="MB"):
        parse_upload(big)
    assert not Visit.objects.exists()


def test_unreadable_files_are_refused(world):
    with pytest.raises(ValidationError, match="judul kolom"):
        parse_upload(csv_file(["a;b;c", "1;2;3"]))
    with pytest.raises(ValidationError, match="xlsx"):
        parse_upload(SimpleUploadedFile("rusak.xlsx", b"PK\x03\x04 bukan zip"))
    with pytest.raises(ValidationError, match="kosong"):
        parse_upload(SimpleUploadedFile("kosong.csv", b"\xef\xbb\xbf\r\n"))


def test_a_closed_day_refuses_the_import(world, day, kids):
    day.status = ServiceDay.Status.CLOSED
    day.save()
    with pytest.raises(ValidationError, match="ditutup"):
        import_rows(user=world.kader_a1, day=day, rows=parse_upload(csv_file(good_lines(kids))))
    assert not Visit.objects.exists()


def test_the_template_reads_back_and_its_examples_are_skipped(world, day):
    header, *examples = template_rows()
    assert header == COLUMN_NAMES and len(examples) == 2
    for upload in (SimpleUploadedFile("t.csv", template_csv()),
                   SimpleUploadedFile("t.xlsx", template_xlsx())):
        rows = parse_upload(upload)
        assert len(rows) == 2 and set(rows[0]) == {"_baris", *COLUMN_NAMES}
        report = import_rows(user=world.kader_a1, day=day, rows=rows)
        assert [r.status for r in report.rows] == [Status.SKIPPED, Status.SKIPPED]
    assert load_workbook(io.BytesIO(template_xlsx())).sheetnames == ["Data", "Petunjuk"]
    assert not Visit.objects.exists() and not Person.objects.filter(name__startswith="Contoh").exists()


# --- pages ---------------------------------------------------------------------------------


def test_page_check_first_then_save(client, world, day, kids):
    client.force_login(world.kader_a1)
    url = reverse("ilp:day-import", kwargs={"uuid": day.uuid})
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("ilp:import-template-xlsx").encode() in page.content
    assert b"Periksa dulu" in page.content

    checked = client.post(url, {"berkas": csv_file(good_lines(kids)), "action": "periksa"})
    assert checked.status_code == 200
    assert b"Belum ada yang disimpan" in checked.content and b"gram" in checked.content
    assert not Visit.objects.exists()

    saved = client.post(url, {"berkas": csv_file(good_lines(kids)), "action": "simpan"})
    assert saved.status_code == 200
    assert b"2 baris tersimpan" in saved.content
    assert Visit.objects.count() == 2


def test_page_says_a_closed_day_cannot_take_an_import(client, world, day, kids):
    day.status = ServiceDay.Status.CLOSED
    day.save()
    client.force_login(world.kader_a1)
    url = reverse("ilp:day-import", kwargs={"uuid": day.uuid})
    page = client.get(url)
    assert b"sudah ditutup" in page.content and b'type="file"' not in page.content
    posted = client.post(url, {"berkas": csv_file(good_lines(kids)), "action": "simpan"})
    assert posted.status_code == 422 and b"sudah ditutup" in posted.content
    assert not Visit.objects.exists()


def test_page_refuses_a_bad_file_and_users_without_the_kader_permission(client, world, day):
    url = reverse("ilp:day-import", kwargs={"uuid": day.uuid})
    client.force_login(world.kader_a1)
    bad = client.post(url, {"berkas": csv_file(["a;b", "1;2"]), "action": "simpan"})
    assert bad.status_code == 422 and b"judul kolom" in bad.content
    for user in (world.staff_a, world.dinkes_1, world.kader_b1):  # view-only or other posyandu
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_template_downloads(client, world):
    client.force_login(world.kader_b1)
    response = client.get(reverse("ilp:import-template-csv"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbfnik;nama;tanggal_lahir")
    response = client.get(reverse("ilp:import-template-xlsx"))
    assert response.status_code == 200 and response.content[:4] == b"PK\x03\x04"


def test_the_scoping_case_upload_works_for_the_owner(client, world):
    """The upload the route walker sends as outsiders does save for a1's kader,
    so its 'changes nothing' is scoping, not a broken upload."""
    from tests.posyandu.route_cases.importer import ROUTES
    from tests.posyandu.scoping_support import make_objects

    objs = make_objects(world)
    route = ROUTES["ilp:day-import"]
    client.force_login(world.kader_a1)
    before = Visit.objects.count()
    response = client.post(reverse("ilp:day-import", kwargs=route.kwargs(objs)),
                           route.post_data(objs))
    assert response.status_code == 200
    assert Visit.objects.count() > before
