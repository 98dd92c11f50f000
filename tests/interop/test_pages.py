"""The pages as a new user would use them: Puskesmas staff configure the
sandbox settings against a local stub, send last month, see the statuses,
break the stub, see a clear failure and retry; downloads; the recap import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from interop.models import SatusehatSettings, Submission
from interop.stub import StubSatusehat

pytestmark = pytest.mark.django_db
SECRET = "rahasia-halaman"


@pytest.fixture
def stub():
    server = StubSatusehat(client_id="client-a", client_secret=SECRET).start()
    yield server
    server.stop()


def test_staff_configure_send_see_statuses_break_and_retry(
        world, full, stub, client, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("interop.client.time.sleep", lambda s: None)
    monkeypatch.setenv("SATUSEHAT_SECRET_KENCONG", SECRET)
    # Puskesmas staff fill in the sandbox settings on the page, pointing at the stub
    client.force_login(world.staff_a)
    url = reverse("interop:puskesmas", args=[world.pkm_a.pk])
    assert "belum diisi" in client.get(url).content.decode()
    response = client.post(url, {
        "action": "pengaturan", "enabled": "on", "environment": "custom",
        "custom_auth_url": stub.auth_url, "custom_fhir_url": stub.fhir_url,
        "organization_id": "10000004", "client_id": "client-a",
        "client_secret_env": "SATUSEHAT_SECRET_KENCONG", "client_secret": "",
    })
    assert response.status_code == 302
    conf = SatusehatSettings.objects.get(puskesmas=world.pkm_a)
    assert conf.client_secret == ""  # the secret stays in the environment
    page = client.post(url, {"action": "tes"}, follow=True).content.decode()
    assert "Koneksi berhasil" in page and SECRET not in page
    # the page is found from "Kirim data"
    home = client.get(reverse("interop:home"))
    assert reverse("interop:puskesmas", args=[world.pkm_a.pk]).encode() in home.content
    month = f"{full.visit.date:%Y-%m}"
    page = client.get(url, {"bulan": month})
    assert b"belum dikirim 1" in page.content and SECRET.encode() not in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"bulan": month})
    assert response.status_code == 302
    page = client.get(url, {"bulan": month}).content.decode()
    assert "terkirim 1" in page and "Tidak ada kiriman yang gagal" in page
    assert "Encounter/" in page
    # a second visit, and the stub breaks
    from ilp.models import Measurement, Visit
    from tests.factories import make_person
    other = make_person(world.a1, name="Citra Dewi", sex="P", birth_date=full.child.birth_date)
    visit = Visit.objects.create(posyandu=world.a1, person=other, service_day=full.day,
                                 date=full.day.date)
    Measurement.objects.create(visit=visit, posyandu=world.a1, person=other,
                               measured_on=visit.date, weight_kg="9.1")
    stub.down = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"bulan": month})
    page = client.get(url, {"bulan": month}).content.decode()
    assert "gagal 1" in page and "Citra Dewi" in page and "HTTP 503" in page
    assert "Kirim ulang" in page
    sub = Submission.objects.get(visit=visit)
    stub.down = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("interop:resend", args=[sub.uuid]))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SENT
    page = client.get(url, {"bulan": month}).content.decode()
    assert "terkirim 2" in page and "gagal 0" in page
    assert stub.count("Patient") == 2


def test_sending_without_settings_says_what_to_do(world, full, client):
    client.force_login(world.staff_a)
    url = reverse("interop:puskesmas", args=[world.pkm_a.pk])
    assert "belum diisi" in client.get(url).content.decode()
    response = client.post(url, {"bulan": f"{full.visit.date:%Y-%m}"}, follow=True)
    assert "belum diisi atau belum aktif" in response.content.decode()
    assert not Submission.objects.exists()


def test_kader_and_other_puskesmas_cannot_open_the_sending_page(world, client):
    url = reverse("interop:puskesmas", args=[world.pkm_a.pk])
    for user in (world.kader_a1, world.staff_b, world.dinkes_1):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_downloads(world, full, client):
    client.force_login(world.kader_a1)
    month = f"{full.visit.date:%Y-%m}"
    response = client.get(reverse("interop:export", args=[world.a1.pk, month, "eppgbm", "xlsx"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Data Dasar", "Pemantauan"]
    assert any(full.child.nik == c.value for r in wb["Data Dasar"].iter_rows() for c in r)
    response = client.get(reverse("interop:export",
                                  args=[world.a1.pk, month, "asik-imunisasi", "csv"]))
    assert response.status_code == 200 and "Campak-Rubela 1" in response.content.decode()
    bad = reverse("interop:export", args=[world.a1.pk, month, "eppgbm", "csv"])
    assert client.get(bad).status_code == 404  # two sheets do not fit one CSV
    assert client.get(reverse("interop:export",
                              args=[world.b1.pk, month, "eppgbm", "xlsx"])).status_code == 404


def test_wide_import_page_dry_run_then_save(world, full, client):
    client.force_login(world.kader_a1)
    url = reverse("interop:wide-import", args=[world.a1.pk])
    assert client.get(url).status_code == 200
    from datetime import date
    d = full.day.date
    prev = date(d.year - (d.month == 1), (d.month - 2) % 12 + 1, 10)
    months = ["", "JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
              "SEPTEMBER", "OKTOBER", "NOVEMBER", "DESEMBER"]
    m = months[prev.month]
    lines = [f"NIK;NAMA;TGL LAHIR;JK;NAMA IBU;{m}_TGL UKUR;{m}_BERAT;{m}_TINGGI",
             f"{full.child.nik};Budi Santoso;;L;;{prev:%d-%m-%Y};8,9;72"]

    def upload():
        return SimpleUploadedFile("r.csv", ("\r\n".join(lines) + "\r\n").encode(), "text/csv")

    page = client.post(url, {"berkas": upload(), "action": "periksa"}).content.decode()
    assert "Belum ada yang disimpan" in page and "Siap disimpan" in page
    page = client.post(url, {"berkas": upload(), "action": "simpan"}).content.decode()
    assert "1 bulan-anak tersimpan" in page
    page = client.post(url, {"berkas": upload(), "action": "simpan"}).content.decode()
    assert "1 sudah tersimpan sebelumnya" in page
    response = client.get(reverse("interop:wide-template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_settings_form_keeps_the_secret_and_only_staff_configure(world, client, stub):
    client.force_login(world.staff_a)
    url = reverse("interop:puskesmas", args=[world.pkm_a.pk])
    data = {"action": "pengaturan", "enabled": "on", "environment": "custom",
            "custom_auth_url": stub.auth_url, "custom_fhir_url": stub.fhir_url,
            "organization_id": "10000004", "client_id": "client-a",
            "client_secret_env": "", "client_secret": SECRET}
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert SECRET not in page and "Ubah pengaturan" in page
    data["client_secret"], data["organization_id"] = "", "10000005"
    assert client.post(url, data).status_code == 302
    conf = SatusehatSettings.objects.get(puskesmas=world.pkm_a)
    assert conf.client_secret == SECRET and conf.organization_id == "10000005"
    data["client_secret"] = "salah"
    client.post(url, data)
    page = client.post(url, {"action": "tes"}, follow=True).content.decode()
    assert "Koneksi gagal" in page and "salah" not in page.split("Koneksi gagal")[1][:300]
    bad = dict(data, custom_fhir_url="")
    response = client.post(url, bad)
    assert response.status_code == 422 and "Isi kedua alamat" in response.content.decode()
    elsewhere = dict(data, custom_fhir_url="http://10.0.0.5/fhir-r4/v1")
    response = client.post(url, elsewhere)
    assert response.status_code == 422 and "hanya untuk server uji" in response.content.decode()
    # a bidan covering every posyandu may send but not configure
    client.force_login(world.bidan_a)
    assert "Ubah pengaturan" not in client.get(url).content.decode()
    assert client.post(url, dict(data, organization_id="X")).status_code == 403
    assert SatusehatSettings.objects.get(puskesmas=world.pkm_a).organization_id == "10000005"


def test_the_admin_form_never_shows_the_secret(world, client):
    conf = SatusehatSettings.objects.create(puskesmas=world.pkm_a, organization_id="1",
                                            client_id="c", client_secret=SECRET)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    page = client.get(reverse("admin:interop_satusehatsettings_change", args=[conf.pk]))
    assert page.status_code == 200 and SECRET not in page.content.decode()
