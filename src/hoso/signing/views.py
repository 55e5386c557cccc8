"""The verification page: anyone with an account drops a signed file and reads, in
Vietnamese, who signed what and when and whether it still holds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from hoso.core.errors import DomainError, as_validation_error

from .forms import VerifyForm
from .verification import verify_file


@login_required
def verify(request):
    report = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            sig = form.cleaned_data.get("signature")
            try:
                report = verify_file(
                    upload.read(), name=upload.name, signature=sig.read() if sig else None
                )
            except DomainError as exc:
                form.add_error("file", as_validation_error(exc))
    else:
        form = VerifyForm()
    return render(request, "signing/verify.html", {"form": form, "report": report})
