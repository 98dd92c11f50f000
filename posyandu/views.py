from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from posyandu.scoping import roles_of
from posyandu.selectors import posyandu_summaries


@login_required
def home(request):
    roles = roles_of(request.user)
    summaries = posyandu_summaries(user=request.user, on=timezone.localdate())
    return render(
        request,
        "posyandu/home.html",
        {
            "roles": roles,
            "summaries": summaries,
            "single": summaries[0] if len(summaries) == 1 else None,
        },
    )
