"""``{% social_panel person %}``: the social-protection card of a person page
(latest Puskesos referral, "Skrining sosial" for kader and bidan)."""

from django import template

from kader.selectors.social import screen_prompt

register = template.Library()


@register.inclusion_tag("kader/social/_person_panel.html", takes_context=True)
def social_panel(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"person": person, "panel": screen_prompt(user, person) if user else None}
