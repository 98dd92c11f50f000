from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from posyandu.scoping import posyandu_ids_for, roles_of
from posyandu.selectors import posyandu_summaries


@login_required
def home(request):
    roles = roles_of(request.user)
    summaries = posyandu_summaries(user=request.user, on=timezone.localdate())
    if not summaries and posyandu_ids_for(request.user, "social.handle"):
        # A Puskesos officer sees no health data; their home is the desa's social referrals.
        return redirect("kader:social-referral-list")
    return render(
        request,
        "posyandu/home.html",
        {
            "roles": roles,
            "summaries": summaries,
            "single": summaries[0] if len(summaries) == 1 else None,
        },
    )
