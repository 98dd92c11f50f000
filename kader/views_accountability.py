"""Accountability page (issue 5 item 7): per posyandu and per Puskesmas."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def accountability_home(request):
    raise Http404


@login_required
def accountability(request, level, area_id):
    raise Http404
