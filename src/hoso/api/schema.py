"""OpenAPI extensions for hoso's own API classes (loaded by `ApiConfig.ready`)."""

from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):
    """The browser session, as documented by drf-spectacular for DRF's own."""

    target_class = "hoso.api.auth.VerifiedSessionAuthentication"
