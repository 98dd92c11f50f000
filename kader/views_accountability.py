"""Accountability page (issue 5 item 7): per posyandu and per Puskesmas.
The area is resolved through reports.areas.area_for_user (scoped: a user gets
a Puskesmas only when the "view" permission covers all of its posyandu)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from kader.selectors.accountability import accountability as build
from reports.areas import area_for_user, areas_for_user


def _months(request) -> int:
    try:
        return min(max(int(request.GET.get("bulan", 6)), 1), 12)
    except ValueError:
        return 6


@login_required
def accountability_home(request):
    areas = [a for a in areas_for_user(request.user, "view") if a.level in ("puskesmas", "posyandu")]
    return render(request, "kader/team/accountability_home.html", {"areas": areas})


@login_required
def accountability(request, level, area_id):
    if level not in ("posyandu", "puskesmas"):
        raise Http404
    area = area_for_user(request.user, level, area_id, perm="view")
    data = build(posyandu_ids=area.posyandu_ids, n_months=_months(request))
    return render(request, "kader/team/accountability.html", {
        "area": area, "data": data, "n_months": len(data.months),
    })
