"""Reads of the signing app: which signer a user or a unit signs with."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hoso.core.errors import DomainError

from .backends import SignerSpec, signers_config


def signer_for(*, user=None, unit=None) -> SignerSpec:
    """The configured signer: the user's own, else (signing for a unit) the unit's,
    else that of the nearest ancestor that has one."""
    config = signers_config()
    if unit is None and user is not None and user.username in config.users:
        return config.users[user.username]
    if unit is not None:
        for candidate in [unit, *reversed(list(unit.ancestors()))]:
            if candidate.code in config.units:
                return config.units[candidate.code]
        raise DomainError(
            _("No signing device is configured for %(unit)s or the units above it.")
            % {"unit": unit.name}, code="no_signer",
        )
    raise DomainError(_("No signing device is configured for your account."), code="no_signer")

