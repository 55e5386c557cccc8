"""Verification over the API: `POST /api/v1/signatures/verify/`.

A system or a script sends a signed file (a PDF, a data package, or a JSON file with
its detached signature) and gets back, as JSON with Vietnamese texts, what the
verification page shows: who signed, when, whether the document changed since, whether
each certificate chains to a trusted root and was valid. One verification for the
page, the command and the API (`verification.verify_file`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from hoso.api.viewsets import ApiViewSet
from hoso.core.errors import DomainError

from .forms import _limit
from .verification import verify_file


def _checked_size(upload):
    try:
        return _limit(upload)
    except forms.ValidationError as exc:
        raise serializers.ValidationError(exc.messages) from exc


class VerifyRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        label=_("Signed file"), allow_empty_file=True,
        help_text=_("A signed PDF, a data package (.zip), or a JSON file."),
    )
    signature = serializers.FileField(
        label=_("Signature file (for a JSON file)"), required=False, allow_empty_file=True,
        help_text=_("The .sig or .p7s file that goes with the JSON file."),
    )

    def validate_file(self, value):
        return _checked_size(value)

    def validate_signature(self, value):
        return _checked_size(value)


class SignatureCheckSerializer(serializers.Serializer):
    number = serializers.IntegerField(label=_("signature number"))
    ok = serializers.BooleanField(label=_("valid"),
                                  help_text=_("Intact, trusted, valid at signing time."))
    signer = serializers.CharField(label=_("signed by"))
    identity = serializers.CharField(
        label=_("identity"), source="identity_text",
        help_text=_("The personal ID number (masked) or the agency code the certificate "
                    "names."),
    )
    organisation = serializers.CharField(label=_("agency"))
    issuer = serializers.CharField(label=_("certificate issued by"))
    serial = serializers.CharField(label=_("certificate serial number"))
    fingerprint = serializers.CharField(label=_("certificate fingerprint (SHA-256)"))
    valid_from = serializers.DateTimeField(label=_("certificate valid from"), allow_null=True)
    valid_to = serializers.DateTimeField(label=_("certificate valid to"), allow_null=True)
    signing_time = serializers.DateTimeField(
        label=_("signing time (stated by the signer)"), allow_null=True)
    timestamp_time = serializers.DateTimeField(
        label=_("signing time (trusted timestamp)"), allow_null=True)
    field_name = serializers.CharField(label=_("signature field"))
    reason = serializers.CharField(label=_("reason"))
    intact = serializers.BooleanField(label=_("content intact"))
    trusted = serializers.BooleanField(label=_("certificate chains to a trusted root"))
    valid_at_signing = serializers.BooleanField(label=_("certificate valid at signing time"))
    unchanged = serializers.BooleanField(label=_("document unchanged since this signature"))
    only_signatures_added = serializers.BooleanField(
        label=_("only further signatures added since"))
    revocation = serializers.ChoiceField(
        label=_("revocation check"),
        choices=[("ok", _("checked, not revoked")),
                 ("soft", _("checked where the information was available, not revoked")),
                 ("revoked", _("revoked")), ("unknown", _("could not be checked")),
                 ("not_checked", _("not checked"))],
    )
    problems = serializers.ListField(label=_("problems"), child=serializers.CharField())
    lines = serializers.ListField(
        label=_("report"), child=serializers.CharField(), source="report_lines",
        help_text=_("This signature's part of the report, line by line, in Vietnamese."),
    )


class VerificationReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField(label=_("every signature is intact and trusted"))
    kind = serializers.ChoiceField(label=_("kind of file"),
                                   choices=[("pdf", _("PDF document")), ("data", _("data"))])
    name = serializers.CharField(label=_("file name"))
    content_hash = serializers.CharField(
        label=_("data hash (SHA-256)"), help_text=_("For data: the hash the signatures cover."))
    summary = serializers.CharField(label=_("result"))
    problems = serializers.ListField(label=_("problems"), child=serializers.CharField())
    signatures = SignatureCheckSerializer(many=True, label=_("signatures"))
    text = serializers.CharField(label=_("report"), source="text_report",
                                 help_text=_("The whole report as `hoso sign verify` prints it."))


class SignatureViewSet(ApiViewSet):
    parser_classes = (MultiPartParser, FormParser)
    serializer_class = VerificationReportSerializer

    @extend_schema(
        summary=_("Verify a signed file"),
        description=_(
            "Send a signed PDF, a data package (.zip), or a JSON file with its signature "
            "file: the answer says, in Vietnamese, who signed, when, whether the document "
            "changed since, and whether each certificate chains to a trusted root and was "
            "valid (revocation checked where configured)."
        ),
        request={"multipart/form-data": VerifyRequestSerializer},
        responses={200: VerificationReportSerializer},
    )
    @action(detail=False, methods=["post"])
    def verify(self, request):
        data = VerifyRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload, sig = data.validated_data["file"], data.validated_data.get("signature")
        try:
            report = verify_file(upload.read(), name=upload.name,
                                 signature=sig.read() if sig else None)
        except DomainError as exc:
            raise serializers.ValidationError({"file": [str(exc.message)]}) from exc
        for check in report.signatures:
            check.report_lines = [line.strip() for line in check.lines()]
        report.summary = (
            _("Every signature is intact and trusted.") if report.ok
            else _("Not every signature is intact and trusted.")
        )
        report.text_report = report.text()
        return Response(VerificationReportSerializer(report).data)
