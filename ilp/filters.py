import django_filters

from ilp.models import Household, Person
from ilp.selectors.registry import match_text


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Nama, NIK, nama ibu atau No. KK")
    posyandu = django_filters.UUIDFilter(field_name="posyandu__uuid")
    household = django_filters.UUIDFilter(field_name="household__uuid")
    mother = django_filters.UUIDFilter(field_name="mother__uuid")
    born_after = django_filters.DateFilter(field_name="birth_date", lookup_expr="gte")
    born_before = django_filters.DateFilter(field_name="birth_date", lookup_expr="lte")
    has_nik = django_filters.BooleanFilter(field_name="nik", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Person
        fields = ["sex", "has_buku_kia"]

    def search(self, qs, name, value):
        return match_text(qs, value)


class HouseholdFilter(django_filters.FilterSet):
    no_kk = django_filters.CharFilter(lookup_expr="startswith")
    posyandu = django_filters.UUIDFilter(field_name="posyandu__uuid")

    class Meta:
        model = Household
        fields = ["rt", "rw"]
