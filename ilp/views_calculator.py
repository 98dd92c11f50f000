"""Public growth calculator page (kalkulator status gizi).

No login: it reads no stored data and stores nothing. GET shows the form; a
POST, or a GET with the form's fields in the query string (a link a bidan can
share), shows the result: z-scores, Permenkes 2/2020 categories, implausible
warnings, the length used after the 0.7 cm correction, and the BB/U chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ilp.forms_calculator import SEX_CHOICES, GrowthCalculatorForm
from ilp.growth import GrowthResult, assess
from ilp.growth.age import DAYS_PER_MONTH
from ilp.growth.assessment import ADULT_FROM_MONTHS, WHO2006_LAST_DAY
from ilp.growth.chart import kms_chart_svg

# Display order and names; PB/TB variants are picked from the length basis.
INDEX_NAMES = {
    "bbu": ("BB/U", "Berat badan menurut umur"),
    "tbu": ("{basis}/U", "{length} menurut umur"),
    "bbtb": ("BB/{basis}", "Berat badan menurut {length_lower}"),
    "imtu": ("IMT/U", "Indeks massa tubuh menurut umur"),
    "lku": ("LK/U", "Lingkar kepala menurut umur"),
    "lilau": ("LiLA/U", "Lingkar lengan atas menurut umur"),
}
GOOD = {"normal", "gizi_baik"}
BAD = {"sangat_kurang", "sangat_pendek", "gizi_buruk", "obesitas"}
LENGTH_WORDS = {"PB": "Panjang badan", "TB": "Tinggi badan"}


@dataclass(frozen=True)
class Row:
    short: str
    name: str
    z: str
    label: str
    tag: str  # css class of the category tag: "" (green), "warn", "bad"; "none": no category
    implausible: bool


def id_number(value: float, places: int) -> str:
    """-0.04 -> "−0,04" (Indonesian decimal comma, a real minus sign)."""
    text = f"{abs(value):.{places}f}".replace(".", ",")
    if round(value, places) < 0:
        return "−" + text
    return text


def z_text(z: float) -> str:
    return "+" + id_number(z, 2) if z > 0 else id_number(z, 2)


def _rows(result: GrowthResult) -> list[Row]:
    basis = result.length_basis or "PB"
    words = {"basis": basis, "length": LENGTH_WORDS[basis],
             "length_lower": LENGTH_WORDS[basis].lower()}
    rows = []
    for code, (short, name) in INDEX_NAMES.items():
        index = result.indices.get(code)
        if index is None:
            continue
        if index.implausible:
            tag, label = "bad", "Tidak masuk akal — ukur ulang"
        elif index.category is None:
            tag, label = "none", "Tanpa kategori Permenkes"
        else:
            tag = "" if index.category in GOOD else "bad" if index.category in BAD else "warn"
            label = index.label
        rows.append(Row(short.format(**words), name.format(**words), z_text(index.z), label,
                        tag, index.implausible))
    return rows


def _expected(data: dict, days: int) -> list[str]:
    """Indices the entered measurements ask for."""
    weight, length = data["weight_kg"] is not None, data["length_cm"] is not None
    wanted = {"bbu": weight, "tbu": length, "imtu": weight and length,
              "bbtb": weight and length and days <= WHO2006_LAST_DAY,
              "lku": data["head_cm"] is not None, "lilau": data["muac_cm"] is not None}
    return [code for code, asked in wanted.items() if asked]


def _length_note(data: dict, result: GrowthResult) -> str:
    """How the measured length became the one used: the 0.7 cm correction, if any."""
    if result.length_used_cm is None:
        return ""
    measured = id_number(float(data["length_cm"]), 1)
    if result.length_basis == "PB" and data["method"] == "standing":
        return f"Diukur berdiri {measured} cm + 0,7 cm (di bawah 2 tahun dipakai panjang badan)."
    if result.length_basis == "TB" and data["method"] == "lying":
        return f"Diukur telentang {measured} cm − 0,7 cm (dari 2 tahun dipakai tinggi badan)."
    how = "telentang" if data["method"] == "lying" else "berdiri"
    return f"Diukur {how}, tanpa koreksi."


def _age_text(age_months: int) -> str:
    """26 -> "26 bulan (2 tahun 2 bulan)"; the KMS counts in months."""
    years, months = divmod(age_months, 12)
    if not years:
        return f"{age_months} bulan"
    rest = f" {months} bulan" if months else ""
    return f"{age_months} bulan ({years} tahun{rest})"


def _result_context(data: dict) -> dict:
    result = assess(
        sex=data["sex"], birth_date=data["birth_date"], measured_on=data["measured_on"],
        weight_kg=data["weight_kg"], length_cm=data["length_cm"],
        method=data["method"] or None, head_cm=data["head_cm"], muac_cm=data["muac_cm"],
    )
    rows = _rows(result)
    missing = [INDEX_NAMES[code][0].format(basis=result.length_basis or "PB")
               for code in _expected(data, result.age_days) if code not in result.indices]
    chart = ""
    if data["weight_kg"] is not None and result.age_days <= WHO2006_LAST_DAY:
        sex_word = dict(SEX_CHOICES)[data["sex"]].lower()
        chart = kms_chart_svg(
            sex=data["sex"], index="bbu", width=320, height=250,
            points=[(result.age_days / DAYS_PER_MONTH, float(data["weight_kg"]))],
            title=f"Grafik BB/U anak {sex_word}: {id_number(float(data['weight_kg']), 1)} kg "
            f"pada umur {result.age_months} bulan",
        )
    return {
        "result": result,
        "rows": rows,
        "implausible": [row.short for row in rows if row.implausible],
        "missing": missing,
        "adult": result.age_months >= ADULT_FROM_MONTHS,
        "age_text": _age_text(result.age_months),
        "sex_text": dict(SEX_CHOICES)[data["sex"]],
        "length_used": (id_number(result.length_used_cm, 1)
                        if result.length_used_cm is not None else ""),
        "length_note": _length_note(data, result),
        "chart": chart,
    }


@require_http_methods(["GET", "POST"])
def growth_calculator(request):
    if request.method == "POST":
        form = GrowthCalculatorForm(request.POST)
    elif any(name in request.GET for name in GrowthCalculatorForm.base_fields):
        form = GrowthCalculatorForm(request.GET)
    else:
        form = GrowthCalculatorForm()
    context = {"form": form}
    status = 200
    if form.is_bound:
        if form.is_valid():
            context.update(_result_context(form.cleaned_data))
        else:
            status = 422
    return render(request, "ilp/growth_calculator.html", context, status=status)
