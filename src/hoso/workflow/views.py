"""Self-service pages (namespace `workflow`, /changes/…): a person's file with what is
missing, the draft edited section by section and saved as the person types, the
evidence of the change, the comparison with the approved file, and the submission.

An HR officer opens the same pages for a person of their unit (a correction is a
change request too). Thin views: each reads through a selector or writes through one
service; the selectors and services check the permission path.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hoso.core.errors import DomainError, NotFound
from hoso.core.errors import PermissionDenied as DomainPermissionDenied
from hoso.documents import selectors as evidence_selectors
from hoso.documents.services import Upload
from hoso.records.models import Person
from hoso.records.sections import SECTIONS
from hoso.records.selectors import person_get

from . import selectors, services
from .forms import SectionForm, first_section, section_keys


def _person(request, pk: int) -> Person:
    try:
        return person_get(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


def _change(request, pk: int):
    try:
        return selectors.change_request_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None


@login_required
def my_file(request):
    """The "My file" menu entry: the person's own self-service page."""
    if not request.user.person_id:
        raise Http404
    return redirect("workflow:person_file", pk=request.user.person_id)


@login_required
def person_file(request, pk: int):
    """What is approved, what the draft changes, what is missing (Vĩnh Phúc Đ7.2)."""
    person = _person(request, pk)
    try:
        overview = selectors.file_overview(user=request.user, person=person)
    except NotFound:
        raise Http404 from None
    return render(request, "workflow/person_file.html", {"person": person, "o": overview})


@login_required
@require_POST
def draft_start(request, pk: int):
    person = _person(request, pk)
    try:
        draft = services.draft_start(actor=request.user, person=person)
    except DomainPermissionDenied:
        raise HttpForbidden from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("workflow:person_file", pk=person.pk)
    section = request.POST.get("section", "")
    if section not in section_keys(draft):
        section = first_section(request.user, draft)
    return redirect("workflow:section_edit", pk=draft.pk, section=section)


def _section_context(request, draft, section_key, form, *, saved_at=None):
    keys = section_keys(draft)
    index = keys.index(section_key)
    return {
        "draft": draft,
        "person": draft.person,
        "form": form,
        "sections": form.section_links(),
        "section_key": section_key,
        "next_section": keys[index + 1] if index + 1 < len(keys) else None,
        "completeness": selectors.draft_completeness(draft),
        "saved_at": saved_at,
    }


@login_required
def section_edit(request, pk: int, section: str | None = None):
    """One section of the draft. GET shows it; POST saves it — on every change, by
    htmx, answering with the save time and the section's messages only; or by the
    button (without JavaScript), then going on to the next section."""
    draft = _change(request, pk)
    keys = section_keys(draft)
    section = section or first_section(request.user, draft)
    if section not in keys:
        raise Http404
    if request.method == "POST":
        try:
            result = services.draft_save_section(
                actor=request.user, draft=draft, section_key=section, data=request.POST
            )
        except DomainError as exc:
            if request.headers.get("HX-Request"):
                return render(
                    request, "workflow/_autosave_status.html", {"error": exc.message}
                )
            messages.error(request, exc.message)
            return redirect("workflow:change_detail", pk=draft.pk)
        saved_at = timezone.localtime(result.draft.saved_at)
        if request.headers.get("HX-Request"):
            context = _section_context(request, result.draft, section, result.form,
                                       saved_at=saved_at)
            return render(request, "workflow/_autosave.html", context)
        add_row = request.POST.get("add_row", "")
        if add_row:
            form = SectionForm(actor=request.user, draft=result.draft, section_key=section)
            form.add_row(add_row)
            context = _section_context(request, result.draft, section, form, saved_at=saved_at)
            return render(request, "workflow/section_edit.html", context)
        if result.issues:  # stay, and show what to fix
            context = _section_context(request, result.draft, section, result.form,
                                       saved_at=saved_at)
            return render(request, "workflow/section_edit.html", context)
        index = keys.index(section)
        if index + 1 < len(keys):
            return redirect("workflow:section_edit", pk=draft.pk, section=keys[index + 1])
        return redirect("workflow:change_detail", pk=draft.pk)
    if not draft.editable:
        return redirect("workflow:change_detail", pk=draft.pk)
    form = SectionForm(actor=request.user, draft=draft, section_key=section)
    context = _section_context(request, draft, section, form)
    return render(request, "workflow/section_edit.html", context)


class UploadForm(forms.Form):
    """One scanned document and what it is (Vĩnh Phúc Đ7.3)."""

    file = forms.FileField(
        label=gettext_lazy("Scanned file (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"))
    number = forms.CharField(label=gettext_lazy("Document number"), max_length=60, required=False)
    issued_on = forms.DateField(
        label=gettext_lazy("Date of issue"), required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    issuer = forms.CharField(label=gettext_lazy("Issued by"), max_length=200, required=False)
    section = forms.ChoiceField(label=gettext_lazy("Section of the file it supports"),
                                required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from hoso.catalogs.selectors import choices

        self.fields["kind"].choices = [("", "—"), *choices("evidence_kinds")]
        self.fields["section"].choices = [("", _("General")), *SECTIONS.items()]


def _detail_context(request, cr, upload_form=None):
    return {
        "cr": cr,
        "person": cr.person,
        "d": selectors.change_overview(user=request.user, cr=cr),
        "upload_form": upload_form or UploadForm(),
        "rounds": selectors.rounds_of(cr),
        "reasons": selectors.returned_reasons(cr),
        "may_review": selectors.decidable_step(user=request.user, cr=cr) is not None,
    }


@login_required
def change_detail(request, pk: int):
    """The change against the approved file, its evidence, and the submission (or, once
    submitted, its status, read-only)."""
    cr = _change(request, pk)
    return render(request, "workflow/change_detail.html", _detail_context(request, cr))


@login_required
@require_POST
def evidence_upload(request, pk: int):
    cr = _change(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.draft_upload_evidence(
                actor=request.user, draft=cr,
                uploads=[Upload(file=d["file"], kind=d["kind"], number=d["number"],
                                issued_on=d["issued_on"], issuer=d["issuer"],
                                section=d["section"])],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The document has been attached."))
            return redirect(f"{reverse('workflow:change_detail', args=[cr.pk])}#evidence")
    return render(
        request, "workflow/change_detail.html", _detail_context(request, cr, form)
    )


@login_required
@require_POST
def evidence_detach(request, pk: int):
    cr = _change(request, pk)
    try:
        doc = evidence_selectors.evidence_get(user=request.user, pk=int(request.POST["evidence"]))
        services.draft_detach(actor=request.user, draft=cr, evidence=doc)
    except (KeyError, ValueError):
        return HttpResponseBadRequest()
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The document has been detached; it stays in the file's records.")
        )
    return redirect(f"{reverse('workflow:change_detail', args=[cr.pk])}#evidence")


@login_required
@require_POST
def change_submit(request, pk: int):
    cr = _change(request, pk)
    try:
        services.draft_submit(actor=request.user, draft=cr)
    except services.SubmitRefused as exc:
        context = _detail_context(request, cr)
        context["refused"] = exc
        return render(request, "workflow/change_detail.html", context)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Submitted. Your unit will review the change."))
    return redirect("workflow:change_detail", pk=cr.pk)
