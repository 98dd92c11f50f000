"""Forms of the social feature. The questions and their choices come from the
rule table ``social_screen`` valid on the screen date."""

from __future__ import annotations

import uuid

from django import forms

from kader import social_rules as rules


class SocialScreenForm(forms.Form):
    """One screen on a phone: why (prefilled from the latest measurement),
    four questions as big buttons, an optional note."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    reasons = forms.MultipleChoiceField(
        label="Alasan skrining", widget=forms.CheckboxSelectMultiple, required=False,
    )
    reason_other = forms.CharField(label="Temuan lain", max_length=200, required=False)
    notes = forms.CharField(
        label="Catatan (tidak wajib)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, payload, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = rules.reason_choices(payload)
        self.questions = []
        for q in payload["questions"]:
            self.fields[q["code"]] = forms.ChoiceField(
                label=q["label"], choices=[tuple(c) for c in q["choices"]],
                widget=forms.RadioSelect, help_text=q.get("help", ""), required=False,
                error_messages={"invalid_choice": "Jawaban tidak dikenal."},
            )
            self.questions.append(q["code"])

    def question_fields(self):
        return [self[code] for code in self.questions]

    def answers(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code) or "" for code in self.questions}


class ReferralCreateForm(forms.Form):
    notes = forms.CharField(
        label="Catatan untuk Puskesos (tidak wajib)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=list(rules.STATUS_LABELS.items()),
        error_messages={"invalid_choice": "Status rujukan tidak dikenal."},
    )
    note = forms.CharField(
        label="Catatan", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    aid = forms.MultipleChoiceField(
        label="Bantuan yang disetujui", choices=rules.AID_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Jenis bantuan tidak dikenal."},
    )
    aid_other = forms.CharField(label="Bantuan lain", max_length=200, required=False)
