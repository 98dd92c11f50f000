"""Dashboard pages: who sees which area, and the figures against the
hand-computed data of tests/reports/dashboard_data.py."""

import re

import pytest
from django.urls import reverse

from posyandu.reference import sync_shipped_tables
from tests.reports.dashboard_data import MONTH, build_area_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_tables(db):
    sync_shipped_tables()


@pytest.fixture
def data(world):
    return build_area_data(world)


def dash(client, **params):
    return client.get(reverse("reports:dashboard"), {"month": MONTH, **params})


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _options(response) -> list[str]:
    select = re.search(r'<select name="area".*?</select>', response.content.decode(), re.S).group(0)
    return re.findall(r">([^<]+)</option>", select)


def _headline(response) -> dict[str, str]:
    return dict(
        (label, value) for value, label in re.findall(
            r'<span class="kpi-value">([^<]+)</span><span class="kpi-label">([^<]+)</span>',
            response.content.decode(),
        )
    )


def _ranking(response) -> list[tuple[str, str]]:
    """(name, D/S) per ranking row, in order."""
    return re.findall(
        r'<span class="rank-name">\d+\. ([^<]+)</span>.*?<td class="num nowrap"><b>([^<]+)</b>',
        response.content.decode(), re.S,
    )


def test_kader_sees_their_posyandu_only(world, data, client_as):
    client = client_as(world.kader_a1)
    response = dash(client)
    assert response.status_code == 200
    assert _options(response) == ["Posyandu Melati"]
    body = _text(response)
    assert "Posyandu Melati" in body and "Agustus 2026" in body
    # a1 in August: D 5 of S 6, N 3 of D 5
    assert _headline(response) == {"Partisipasi masyarakat (D/S)": "83,3 %", "Hasil penimbangan (N/D)": "60 %"}
    assert _ranking(response) == []  # a single posyandu has no ranking
    for other in (f"posyandu-{world.a2.pk}", f"puskesmas-{world.pkm_a.pk}", f"kabupaten-{world.kab1.pk}",
                  f"posyandu-{world.b1.pk}", "desa-1", "posyandu-x"):
        assert dash(client, area=other).status_code == 404, other


def test_staff_a_sees_puskesmas_a_ranked_but_not_b(world, data, client_as):
    client = client_as(world.staff_a)
    response = dash(client)
    assert response.status_code == 200
    assert _options(response) == ["Puskesmas Kencong", "Posyandu Mawar", "Posyandu Melati"]
    # Puskesmas Kencong: S 7, D 6, N 3
    assert _headline(response) == {"Partisipasi masyarakat (D/S)": "85,7 %", "Hasil penimbangan (N/D)": "50 %"}
    assert _ranking(response) == [("Mawar", "100 %"), ("Melati", "83,3 %")]
    assert "D 1 dari S 1" in _text(response) and "D 5 dari S 6" in _text(response)
    assert dash(client, area=f"puskesmas-{world.pkm_b.pk}").status_code == 404
    assert dash(client, area=f"posyandu-{world.b1.pk}").status_code == 404
    assert dash(client, area=f"kabupaten-{world.kab1.pk}").status_code == 404
    one = dash(client, area=f"posyandu-{world.a1.pk}")
    assert one.status_code == 200 and _ranking(one) == []


def test_dinkes_sees_the_kabupaten_ranked_by_puskesmas(world, data, client_as):
    client = client_as(world.dinkes_1)
    response = dash(client)
    assert response.status_code == 200
    assert "Kabupaten/Kota Jember" in _text(response)
    assert _headline(response) == {"Partisipasi masyarakat (D/S)": "77,8 %", "Hasil penimbangan (N/D)": "42,9 %"}
    assert _ranking(response) == [("Kencong", "85,7 %"), ("Cakru", "50 %")]
    assert dash(client, area=f"kabupaten-{world.kab2.pk}").status_code == 404
    assert dash(client, area=f"puskesmas-{world.pkm_c.pk}").status_code == 404
    assert dash(client, area=f"puskesmas-{world.pkm_b.pk}").status_code == 200


def test_trend_numbers_and_charts(world, data, client_as):
    response = dash(client_as(world.kader_a1))
    body = _text(response)
    # the monthly table, newest first: August, July, June
    rows = re.findall(r'<td class="nowrap">(\w+ \d{4})</td><td class="num">(\d+)</td><td class="num">(\d+)</td>'
                      r'<td class="num">(\d+)</td><td class="num nowrap">([^<]+)</td><td class="num nowrap">([^<]+)</td>', body)
    assert rows[:3] == [
        ("Agustus 2026", "6", "5", "3", "83,3 %", "60 %"),
        ("Juli 2026", "6", "7", "4", "116,7 %", "57,1 %"),  # D > S: Fajar moved after his weighing
        ("Juni 2026", "8", "6", "2", "75 %", "33,3 %"),
    ]
    # May: five first weighings (B), no N; April: nobody weighed, N/D has no base
    assert rows[3:5] == [("Mei 2026", "8", "5", "0", "62,5 %", "0 %"), ("April 2026", "8", "0", "0", "0 %", "–")]
    assert len(rows) == 12 and rows[-1][0] == "September 2025"
    assert body.count("<svg") == 2
    assert 'data-key="S" data-value="6"' in body and 'data-key="N" data-value="3"' in body
    assert 'data-series="D/S" data-month="2026-08" data-value="83.3"' in body


def test_bad_month_is_explained_and_current_month_shown(world, data, client_as):
    response = client_as(world.kader_a1).get(reverse("reports:dashboard"), {"month": "2026-13"})
    assert response.status_code == 200
    assert "Bulan 13 tidak ada" in _text(response)


def test_user_without_area_gets_an_explanation(world, client_as):
    response = client_as(world.outsider).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert "belum punya wilayah laporan" in _text(response)
    assert client_as(world.outsider).get(reverse("reports:dashboard-followup")).status_code == 404


def test_download_links_point_to_the_same_area_and_month(world, data, client_as):
    client = client_as(world.staff_a)
    body = dash(client).content.decode()
    url = reverse("reports:export", kwargs={"kind": "skdn", "level": "puskesmas", "area": world.pkm_a.pk,
                                            "month": MONTH, "fmt": "xlsx"})
    assert url in body
    assert client.get(url).status_code == 200


def _followup_counts(response) -> dict[str, int]:
    return {label: int(n) for label, n in re.findall(
        r'<li><span>([^<]+)</span><b class="[^"]*">(\d+)</b></li>', response.content.decode())}


def test_followup_counts_on_the_dashboard(world, data, client_as):
    # a1 in August: BGM Dewi; not weighed Hani (Eko is 60 months, Fajar moved away)
    august = {"2T": 0, "BGM": 1, "Gizi buruk": 0, "Gizi kurang": 0, "Sangat pendek": 0, "Pendek": 0,
              "Tidak ditimbang": 1}
    assert _followup_counts(dash(client_as(world.kader_a1))) == august
    # July: Citra is 2T (T in June and July)
    july = _followup_counts(dash(client_as(world.kader_a1), month="2026-07"))
    assert (july["2T"], july["BGM"], july["Tidak ditimbang"]) == (1, 1, 1)
    # the kabupaten adds Bunga in b1, never weighed
    assert _followup_counts(dash(client_as(world.dinkes_1)))["Tidak ditimbang"] == 2


def followup(client, **params):
    return client.get(reverse("reports:dashboard-followup"), {"month": MONTH, **params})


def _names(response) -> list[str]:
    body = response.content.decode()
    table = body[body.index("Balita yang perlu ditindaklanjuti</h2>"):] if \
        "Balita yang perlu ditindaklanjuti</h2>" in body else ""
    return re.findall(r'<tr><td>(?:<a href="[^"]*">)?([^<]+)(?:</a>)?</td><td>', table)


def test_followup_page_per_level(world, data, client_as):
    kader = followup(client_as(world.kader_a1))
    assert kader.status_code == 200
    assert _names(kader) == ["Dewi", "Hani"]  # BGM, and not weighed this month
    assert "BGM" in kader.content.decode() and "Tidak ditimbang" in kader.content.decode()
    dewi_url = reverse("ilp:person-detail", kwargs={"uuid": data.dewi.uuid})
    assert f'<a href="{dewi_url}">Dewi</a>' in kader.content.decode()

    staff = followup(client_as(world.staff_a))
    text = _text(staff)
    assert "Jumlah balita per posyandu" in text
    assert _names(staff) == ["Dewi"]  # a Puskesmas list keeps children with a finding only
    assert followup(client_as(world.staff_a), area=f"puskesmas-{world.pkm_b.pk}").status_code == 404
    assert followup(client_as(world.kader_a1), area=f"posyandu-{world.a2.pk}").status_code == 404

    dinkes = followup(client_as(world.dinkes_1))
    text = _text(dinkes)
    assert "Jumlah balita per puskesmas" in text
    rows = re.findall(r'<tr( class="total")?><td>([^<]+)</td>((?:<td class="num">\d+</td>)+)</tr>', text)
    counts = {label: [int(n) for n in re.findall(r">(\d+)<", cells)] for _, label, cells in rows}
    #                     2T BGM buruk kurang s.pendek pendek tidak ditimbang
    assert counts == {"Cakru": [0, 0, 0, 0, 0, 0, 1], "Kencong": [0, 1, 0, 0, 0, 0, 1],
                      "Jumlah": [0, 1, 0, 0, 0, 0, 2]}
    assert "Dewi" not in text and "Hani" not in text  # no names at kabupaten level


def test_dashboard_queries_do_not_grow_with_the_posyandu(world, data, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from posyandu.models import Posyandu

    client = client_as(world.staff_a)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = dash(client)
            assert response.status_code == 200
        return len(ctx.captured_queries), len(_ranking(response))

    before, ranked = queries()
    assert ranked == 2
    for i in range(4):
        Posyandu.objects.create(desa=world.a1.desa, nama=f"Tambahan {i}")
    assert queries() == (before, 6)
