"""Map a visit to a SATUSEHAT FHIR R4 transaction Bundle.

One visit -> one Bundle: the Patient, the posyandu Location (unless its
SATUSEHAT id is known), the Encounter, one Observation per measured value
(plus the WHO z-scores with their Permenkes 2/2020 category), one
Immunization per dose given at the visit and one ServiceRequest per referral.

Every resource carries our own identifier
(``http://sys-ids.kemkes.go.id/<resource>/<organization id>|<our uuid>``; the
NIK for a Patient) and is created with ``ifNoneExist`` on it, so sending the
same Bundle again never makes a second resource. fullUrls are deterministic
``urn:uuid:`` values, so the same visit always gives the same Bundle.

Pure of HTTP; reads the database only through the rows it is given. Codes come
from the versioned reference tables ``satusehat_codes`` and ``vaccine_codes``.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.utils import timezone

from interop.deps import load_categories
from posyandu.reference import table

_NS = uuidlib.uuid5(uuidlib.NAMESPACE_URL, "posyandu-ilp:satusehat")
GENDER = {"L": "male", "P": "female"}
INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
LEVEL_INTERPRETATION = {"rendah": ("L", "Low"), "normal": ("N", "Normal"), "tinggi": ("H", "High")}
REFERRAL_STATUS = {
    "dirujuk": "active", "diterima": "active", "ditindaklanjuti": "completed", "batal": "revoked",
}
ZSCORE_FIELDS = ("bbu", "tbu", "bbtb", "imtu", "lku")
CATEGORY_DISPLAY = {"vital-signs": "Vital Signs", "exam": "Exam", "laboratory": "Laboratory"}


@dataclass
class Context:
    """What a Bundle needs beyond the visit: the Puskesmas's Organization id,
    the code tables valid on the visit date, and the SATUSEHAT ids we hold."""

    organization_id: str
    location_ids: dict[int, str] = field(default_factory=dict)  # posyandu id -> Location id
    practitioner_ids: dict[int, str] = field(default_factory=dict)  # user id -> IHS number
    patient_info: dict[int, object] = field(default_factory=dict)  # person id -> PatientInfo

    def codes(self, on: date) -> dict:
        return table("satusehat_codes", on)

    def vaccines(self, on: date) -> dict:
        return table("vaccine_codes", on)["vaccines"]


@dataclass
class BuiltBundle:
    bundle: dict
    keys: list[str]  # per entry: our key, e.g. "Observation/weight_kg"


def urn(*parts) -> str:
    return f"urn:uuid:{uuidlib.uuid5(_NS, '|'.join(str(p) for p in parts))}"


def _local_system(codes: dict, resource: str, org: str) -> str:
    return f"{codes['systems']['local_base']}/{resource}/{org}"


def _num(value) -> float | int:
    if isinstance(value, Decimal):
        value = float(value)
    return int(value) if float(value).is_integer() else round(float(value), 2)


def _when(day: date, moment: datetime | None, tz: str) -> str:
    """The dateTime of something done on ``day``: the recorded moment (with its
    offset) when it was recorded that same local day, else the date alone."""
    if moment is not None:
        local = timezone.localtime(moment, ZoneInfo(tz or "Asia/Jakarta"))
        if local.date() == day:
            return local.replace(microsecond=0).isoformat()
    return day.isoformat()


@cache
def _category_labels() -> dict[str, dict[str, str]]:
    """index ("bbu", "imtu", ...) -> category code -> Permenkes label."""
    tables = load_categories()
    out: dict[str, dict[str, str]] = {}
    for scale, bands in tables.scales.items():
        index = scale.split("_")[0]
        for band in bands:
            out.setdefault(index, {}).setdefault(band.code, band.label)
    return out


def _ref(resource: str, ident: str) -> dict:
    return {"reference": f"{resource}/{ident}"}


def _entry(full_url: str, resource: dict, system: str, value: str) -> dict:
    return {
        "fullUrl": full_url,
        "resource": resource,
        "request": {
            "method": "POST",
            "url": resource["resourceType"],
            "ifNoneExist": f"identifier={system}|{value}",
        },
    }


def _address(codes: dict, person, desa) -> list[dict]:
    household = person.household
    text = person.address or (household.alamat if household else "")
    rt = person.rt or (household.rt if household else "")
    rw = person.rw or (household.rw if household else "")
    digits = desa.kode.split(".")  # PP.KK.CC.DDDD
    parts = [
        ("province", digits[0]),
        ("city", "".join(digits[:2])),
        ("district", "".join(digits[:3])),
        ("village", "".join(digits)),
    ]
    if rt:
        parts.append(("rt", rt.lstrip("0") or "0"))
    if rw:
        parts.append(("rw", rw.lstrip("0") or "0"))
    address = {
        "use": "home",
        "country": "ID",
        "city": desa.kecamatan.kabupaten.nama,
        "extension": [{
            "url": codes["systems"]["administrative_code_extension"],
            "extension": [{"url": k, "valueCode": v} for k, v in parts],
        }],
    }
    if text:
        address["line"] = [text]
    return [address]


def patient_resource(person, codes: dict, org: str, info=None) -> tuple[dict, str, str]:
    """The Patient and the identifier (system, value) it is created on."""
    systems = codes["systems"]
    identifiers = []
    if person.nik:
        identifiers.append({"use": "official", "system": systems["nik"], "value": person.nik})
    elif person.mother_nik:
        identifiers.append({"use": "official", "system": systems["nik_ibu"],
                            "value": person.mother_nik})
    household = person.household
    if household and household.no_kk:
        identifiers.append({"use": "secondary", "system": systems["kk"], "value": household.no_kk})
    local = _local_system(codes, "patient", org)
    identifiers.append({"use": "usual", "system": local, "value": str(person.uuid)})
    resource = {
        "resourceType": "Patient",
        "identifier": identifiers,
        "active": person.merged_into_id is None,
        "name": [{"use": "official", "text": person.name}],
        "gender": GENDER[person.sex],
        "birthDate": person.birth_date.isoformat(),
        "multipleBirthInteger": getattr(info, "multiple_birth_order", 0) or 0,
        "address": _address(codes, person, person.posyandu.desa),
    }
    if person.died_on:
        resource["deceasedDateTime"] = person.died_on.isoformat()
    if person.phone:
        resource["telecom"] = [{"system": "phone", "value": person.phone, "use": "mobile"}]
    if person.nik:
        return resource, systems["nik"], person.nik
    return resource, local, str(person.uuid)


def location_resource(posyandu, codes: dict, org: str) -> tuple[dict, str, str]:
    system = _local_system(codes, "location", org)
    resource = {
        "resourceType": "Location",
        "identifier": [{"system": system, "value": str(posyandu.uuid)}],
        "status": "active" if posyandu.is_active else "inactive",
        "name": f"Posyandu {posyandu.nama}",
        "description": f"Posyandu {posyandu.nama}, {posyandu.desa}",
        "mode": "instance",
        "type": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
            "code": "COMM", "display": "Community Location",
        }]}],
        "physicalType": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/location-physical-type",
            "code": "si", "display": "Site",
        }]},
        "managingOrganization": _ref("Organization", org),
    }
    return resource, system, str(posyandu.uuid)


class _Builder:
    def __init__(self, visit, ctx: Context):
        self.visit, self.ctx = visit, ctx
        self.codes = ctx.codes(visit.date)
        self.org = ctx.organization_id
        self.tz = visit.posyandu.timezone
        self.entries: list[dict] = []
        self.keys: list[str] = []

    def add(self, key: str, resource: dict, system: str, value: str) -> str:
        full_url = urn(self.org, key, value)
        self.entries.append(_entry(full_url, resource, system, value))
        self.keys.append(key)
        return full_url

    def ident(self, resource: str, value: str) -> tuple[dict, str]:
        system = _local_system(self.codes, resource, self.org)
        return {"system": system, "value": value}, system

    # --- the parts ------------------------------------------------------------------------

    def patient(self) -> dict:
        person = self.visit.person
        info = self.ctx.patient_info.get(person.pk)
        if info is not None and info.ihs_number:
            return _ref("Patient", info.ihs_number)
        resource, system, value = patient_resource(person, self.codes, self.org, info)
        return {"reference": self.add("Patient", resource, system, value),
                "display": person.name}

    def location(self) -> dict:
        posyandu = self.visit.posyandu
        if known := self.ctx.location_ids.get(posyandu.pk):
            return {"reference": f"Location/{known}", "display": f"Posyandu {posyandu.nama}"}
        resource, system, value = location_resource(posyandu, self.codes, self.org)
        return {"reference": self.add("Location", resource, system, value),
                "display": resource["name"]}

    def practitioner(self, user_id) -> dict | None:
        ihs = self.ctx.practitioner_ids.get(user_id) if user_id else None
        return _ref("Practitioner", ihs) if ihs else None

    def examiner(self) -> dict | None:
        """The bidan who examined at this visit (step 4), if we know her IHS number."""
        visit = self.visit
        candidates = []
        exam = getattr(visit, "examination", None) if _has(visit, "examination") else None
        if exam is not None:
            candidates.append(exam.examined_by_id)
        candidates += [i.given_by_id for i in visit.immunisations.all()]
        candidates += [r.made_by_id for r in visit.referrals.all()]
        for user_id in candidates:
            if ref := self.practitioner(user_id):
                return ref
        return None

    def encounter(self, patient: dict, location: dict) -> dict:
        visit = self.visit
        start = _when(visit.date, visit.created_at, self.tz)
        end_moment = max(
            [m for m in (visit.step_changed_at, visit.updated_at) if m is not None],
            default=None,
        )
        end = _when(visit.date, end_moment, self.tz)
        if end < start:
            end = start
        period = {"start": start, "end": end}
        identifier, system = self.ident("encounter", str(visit.uuid))
        enc_class = self.codes["encounter_class"]
        resource = {
            "resourceType": "Encounter",
            "identifier": [identifier],
            "status": "finished",
            "class": {"system": self.codes["systems"]["act_code"], "code": enc_class["code"],
                      "display": enc_class["display"]},
            "type": [{"text": "Kunjungan rumah" if visit.kind == "rumah"
                      else "Kunjungan posyandu (ILP)"}],
            "subject": patient,
            "period": period,
            "statusHistory": [{"status": "finished", "period": period}],
            "location": [{"location": location}],
            "serviceProvider": _ref("Organization", self.org),
        }
        if examiner := self.examiner():
            resource["participant"] = [{
                "type": [{"coding": [{"system": self.codes["systems"]["participation_type"],
                                      "code": "ATND", "display": "attender"}]}],
                "individual": examiner,
            }]
        return {"reference": self.add("Encounter", resource, system, str(visit.uuid))}

    def observation(self, key: str, code: dict, when: str, patient: dict, encounter: dict,
                    *, value=None, unit=None, components=None, interpretation=None,
                    derived_from=None, category="vital-signs", performer=None) -> str:
        systems = self.codes["systems"]
        identifier, system = self.ident("observation", f"{self.visit.uuid}-{key}")
        resource = {
            "resourceType": "Observation",
            "identifier": [identifier],
            "status": "final",
            "category": [{"coding": [{"system": systems["observation_category"],
                                      "code": category,
                                      "display": CATEGORY_DISPLAY[category]}]}],
            "code": code,
            "subject": patient,
            "encounter": encounter,
            "effectiveDateTime": when,
            "performer": [performer or _ref("Organization", self.org)],
        }
        if value is not None:
            resource["valueQuantity"] = {"value": _num(value), **unit}
        if components:
            resource["component"] = components
        if interpretation:
            resource["interpretation"] = [interpretation]
        if derived_from:
            resource["derivedFrom"] = [{"reference": u} for u in derived_from]
        return self.add(f"Observation/{key}", resource, system, identifier["value"])

    def loinc(self, key: str) -> tuple[dict, dict]:
        spec = self.codes["observations"][key]
        systems = self.codes["systems"]
        code = {"coding": [{"system": systems["loinc"], "code": spec["loinc"],
                            "display": spec["display"]}], "text": spec["display"]}
        unit = None
        if "unit" in spec:
            unit = {"unit": spec["unit"], "system": systems["ucum"], "code": spec["unit"]}
        return code, unit

    def measurements(self, patient: dict, encounter: dict) -> None:
        m = getattr(self.visit, "measurement", None) if _has(self.visit, "measurement") else None
        if m is None:
            return
        when = _when(m.measured_on, m.created_at, self.tz)
        made: dict[str, str] = {}
        for field_name in ("weight_kg", "length_cm", "head_cm", "muac_cm", "waist_cm"):
            value = getattr(m, field_name)
            if value is None:
                continue
            key = field_name
            if field_name == "length_cm":
                key = "length_standing" if m.length_method == "standing" else "length_lying"
            code, unit = self.loinc(key)
            made[field_name] = self.observation(key, code, when, patient, encounter,
                                                value=value, unit=unit)
        if m.imt is not None:
            code, unit = self.loinc("imt")
            made["imt"] = self.observation("imt", code, when, patient, encounter,
                                           value=m.imt, unit=unit)
        if m.systolic is not None and m.diastolic is not None:
            self.blood_pressure("bp", m.systolic, m.diastolic, None, when, patient, encounter)
        self.zscores(m, when, patient, encounter, made)

    def blood_pressure(self, key, systolic, diastolic, level, when, patient, encounter,
                       performer=None) -> None:
        code, _ = self.loinc("bp_panel")
        components = []
        for part, value in (("systolic", systolic), ("diastolic", diastolic)):
            part_code, unit = self.loinc(part)
            components.append({"code": part_code, "valueQuantity": {"value": int(value), **unit}})
        self.observation(key, code, when, patient, encounter, components=components,
                         interpretation=_level(level), performer=performer)

    def zscores(self, m, when, patient, encounter, made: dict) -> None:
        systems = self.codes["systems"]
        labels = _category_labels()
        unit = {**self.codes["zscore_unit"], "system": systems["ucum"]}
        sources = [u for k, u in made.items() if k in ("weight_kg", "length_cm", "head_cm")]
        for index in ZSCORE_FIELDS:
            z = getattr(m, f"{index}_z")
            if z is None:
                continue
            spec = self.codes["zscores"][index]
            code = {"coding": [{"system": systems["zscore_index"], "code": index,
                                "display": spec["display"]}], "text": spec["display"]}
            interpretation = None
            category = getattr(m, f"{index}_cat")
            if category:
                label = labels.get(index, {}).get(category, category)
                interpretation = {"coding": [{"system": systems["permenkes_category"],
                                              "code": f"{index}.{category}", "display": label}],
                                  "text": label}
            self.observation(f"z-{index}", code, when, patient, encounter, value=round(z, 2),
                             unit=unit, interpretation=interpretation, derived_from=sources,
                             category="exam")

    def examination(self, patient: dict, encounter: dict) -> None:
        """Step 4 by the bidan: TD, Hb and blood glucose."""
        exam = getattr(self.visit, "examination", None) if _has(self.visit, "examination") \
            else None
        if exam is None:
            return
        when = _when(self.visit.date, exam.created_at, self.tz)
        performer = self.practitioner(exam.examined_by_id)
        if exam.systolic is not None and exam.diastolic is not None:
            self.blood_pressure("bp-exam", exam.systolic, exam.diastolic, exam.bp_class, when,
                                patient, encounter, performer=performer)
        if exam.hb_g_dl is not None:
            code, unit = self.loinc("hb")
            level = None if exam.anaemia is None else ("rendah" if exam.anaemia else "normal")
            self.observation("hb", code, when, patient, encounter, value=exam.hb_g_dl,
                             unit=unit, category="laboratory", performer=performer,
                             interpretation=_level(level))
        if exam.glucose_mg_dl is not None:
            key = "glucose_puasa" if exam.glucose_kind == "puasa" else "glucose_sewaktu"
            code, unit = self.loinc(key)
            self.observation("glucose", code, when, patient, encounter,
                             value=exam.glucose_mg_dl, unit=unit, category="laboratory",
                             performer=performer, interpretation=_level(exam.glucose_class))

    def immunisations(self, patient: dict, encounter: dict, location: dict) -> None:
        systems = self.codes["systems"]
        vaccines = self.ctx.vaccines(self.visit.date)
        for dose in self.visit.immunisations.all():
            spec = vaccines.get(dose.vaccine, {})
            coding = []
            if spec.get("kfa"):
                coding.append({"system": systems["kfa"], "code": spec["kfa"],
                               "display": spec.get("kfa_display", spec.get("label"))})
            if spec.get("vg"):
                coding.append({"system": systems["kfa"], "code": spec["vg"],
                               "display": spec.get("vg_display", spec["vg"])})
            if spec.get("cvx"):
                coding.append({"system": systems["cvx"], "code": spec["cvx"],
                               "display": spec.get("cvx_display", spec["cvx"])})
            vaccine_code = {"text": spec.get("label", dose.vaccine)}
            if coding:
                vaccine_code["coding"] = coding
            identifier, system = self.ident("immunization", str(dose.uuid))
            resource = {
                "resourceType": "Immunization",
                "identifier": [identifier],
                "status": "completed",
                "vaccineCode": vaccine_code,
                "patient": patient,
                "encounter": encounter,
                "occurrenceDateTime": _when(dose.given_on, dose.created_at, self.tz),
                "primarySource": True,
                "location": location,
            }
            if dose.batch_no:
                resource["lotNumber"] = dose.batch_no
            if actor := self.practitioner(dose.given_by_id):
                resource["performer"] = [{
                    "function": {"coding": [{
                        "system": "http://terminology.hl7.org/CodeSystem/v2-0443",
                        "code": "AP", "display": "Administering Provider"}]},
                    "actor": actor,
                }]
            if spec.get("reason"):
                resource["reasonCode"] = [{"coding": [{
                    "system": systems["immunization_reason"], "code": spec["reason"]}]}]
            self.add(f"Immunization/{dose.vaccine}", resource, system, str(dose.uuid))

    def referrals(self, patient: dict, encounter: dict) -> None:
        systems = self.codes["systems"]
        spec = self.codes["referral"]
        for referral in self.visit.referrals.all():
            identifier, system = self.ident("servicerequest", str(referral.uuid))
            resource = {
                "resourceType": "ServiceRequest",
                "identifier": [identifier],
                "status": REFERRAL_STATUS.get(referral.status, "active"),
                "intent": "order",
                "code": {"coding": [{"system": systems["snomed"], "code": spec["snomed"],
                                     "display": spec["display"]}],
                         "text": "Rujukan ke Puskesmas"},
                "subject": patient,
                "encounter": encounter,
                "authoredOn": timezone.localtime(
                    referral.created_at, ZoneInfo(self.tz)).replace(microsecond=0).isoformat(),
                "requester": self.practitioner(referral.made_by_id)
                or _ref("Organization", self.org),
                "performer": [_ref("Organization", self.org)],
                "reasonCode": [{"text": referral.reason}],
            }
            if referral.notes:
                resource["note"] = [{"text": referral.notes}]
            self.add(f"ServiceRequest/{referral.uuid}", resource, system, str(referral.uuid))

    def build(self) -> BuiltBundle:
        patient = self.patient()
        location = self.location()
        encounter = self.encounter(patient, location)
        self.measurements(patient, encounter)
        self.examination(patient, encounter)
        self.immunisations(patient, encounter, location)
        self.referrals(patient, encounter)
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": self.entries}
        return BuiltBundle(bundle, self.keys)


def _level(level: str | None) -> dict | None:
    """rendah / normal / tinggi as an HL7 interpretation (L / N / H)."""
    if level not in LEVEL_INTERPRETATION:
        return None
    code, display = LEVEL_INTERPRETATION[level]
    return {"coding": [{"system": INTERPRETATION_SYSTEM, "code": code, "display": display}]}


def _has(obj, relation: str) -> bool:
    try:
        getattr(obj, relation)
    except Exception:  # RelatedObjectDoesNotExist
        return False
    return True


def visit_bundle(visit, ctx: Context) -> BuiltBundle:
    """The transaction Bundle of one visit (see the module docstring)."""
    return _Builder(visit, ctx).build()
