from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field messages beside
    their field when the form has it, the rest at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_page(request, form, save, *, success: str, next_url, template: str, context=None):
    """The page shape every simple form shares: on a valid POST call ``save``
    (a service call taking the cleaned data), then say ``success`` and go to
    ``next_url(result)``; otherwise (re)show the form, with the service's
    errors beside their fields and status 422 after a failed POST."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)
