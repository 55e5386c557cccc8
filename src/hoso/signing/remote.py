"""Client of a remote-signing service ("ký số từ xa").

The model of the Vietnamese providers' remote signing: the signing key stays with the
provider; the client asks for the user's certificate, posts the hash to be signed,
the user confirms the request in the provider's phone app, and the client polls until
the signature comes back (or the user refuses, or time runs out). Only hashes leave
hoso, never the signed data. The protocol (JSON over HTTPS):

    POST {url}/v1/credentials       {"user_id"}                → {"credential_id",
                                                                   "certificate", "chain"}
    POST {url}/v1/signatures        {"credential_id", "hash_algorithm": "sha256",
                                     "hashes": [b64…], "description"}
                                                               → {"transaction_id",
                                                                   "status": "pending"}
    GET  {url}/v1/signatures/{id}                              → {"status":
                                       "pending" | "confirmed" | "denied" | "expired",
                                       "signatures": [b64…]}   (raw signature values)

The service authenticates hoso with a bearer token (the client secret, read from the
environment variable the configuration names); the user authenticates on the phone.
Several hashes go in one request, so a batch needs one confirmation.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

import requests
from django.utils.translation import gettext as _

from hoso.core.errors import DomainError


@dataclass(frozen=True)
class RemoteService:
    name: str
    url: str
    client_id: str = "hoso"
    client_secret_env: str = ""
    ca_file: str = ""
    poll_seconds: float = 1.0
    timeout_seconds: float = 120.0

    @classmethod
    def from_config(cls, name: str, data: dict) -> RemoteService:
        return cls(
            name=name, url=str(data["url"]).rstrip("/"),
            client_id=str(data.get("client_id", "hoso")),
            client_secret_env=str(data.get("client_secret_env", "")),
            ca_file=str(data.get("ca_file", "")),
            poll_seconds=float(data.get("poll_seconds", 1.0)),
            timeout_seconds=float(data.get("timeout_seconds", 120.0)),
        )


class RemoteClient:
    def __init__(self, service: RemoteService):
        import os

        self.service = service
        self.http = requests.Session()
        # Per request: requests lets REQUESTS_CA_BUNDLE override a session's `verify`.
        self.verify = service.ca_file or True
        secret = os.environ.get(service.client_secret_env, "") if service.client_secret_env else ""
        self.http.headers["Authorization"] = f"Bearer {secret}"
        self.http.headers["X-Client-Id"] = service.client_id

    def _call(self, method: str, path: str, **kwargs) -> dict:
        try:
            response = self.http.request(
                method, self.service.url + path, timeout=15, verify=self.verify, **kwargs
            )
        except requests.exceptions.SSLError as exc:
            raise DomainError(
                _("The remote-signing service “%(name)s” presented an untrusted certificate.")
                % {"name": self.service.name}, code="remote",
            ) from exc
        except requests.RequestException as exc:
            raise DomainError(
                _("The remote-signing service “%(name)s” cannot be reached.")
                % {"name": self.service.name}, code="remote",
            ) from exc
        if response.status_code in (401, 403):
            raise DomainError(
                _("The remote-signing service “%(name)s” refused hoso's credentials.")
                % {"name": self.service.name}, code="remote",
            )
        if response.status_code == 404:
            raise DomainError(
                _("The remote-signing service “%(name)s” holds no signing key for this user.")
                % {"name": self.service.name}, code="remote",
            )
        if response.status_code >= 400:
            raise DomainError(
                _("The remote-signing service “%(name)s” answered with an error (%(status)s).")
                % {"name": self.service.name, "status": response.status_code}, code="remote",
            )
        try:
            return response.json()
        except ValueError as exc:
            raise DomainError(
                _("The remote-signing service “%(name)s” sent an answer hoso cannot read.")
                % {"name": self.service.name}, code="remote",
            ) from exc

    def credential(self, user_id: str) -> tuple[str, bytes, list[bytes]]:
        data = self._call("POST", "/v1/credentials", json={"user_id": user_id})
        try:
            return (
                str(data["credential_id"]),
                base64.b64decode(data["certificate"]),
                [base64.b64decode(c) for c in data.get("chain", [])],
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise DomainError(
                _("The remote-signing service “%(name)s” sent an answer hoso cannot read.")
                % {"name": self.service.name}, code="remote",
            ) from exc

    def sign_hashes(
        self, credential_id: str, digests: list[bytes], description: str
    ) -> list[bytes]:
        """Post the hashes, wait for the user's confirmation, return the signatures."""
        started = self._call(
            "POST", "/v1/signatures",
            json={
                "credential_id": credential_id, "hash_algorithm": "sha256",
                "hashes": [base64.b64encode(d).decode("ascii") for d in digests],
                "description": description,
            },
        )
        tx = started.get("transaction_id")
        if not tx:
            raise DomainError(
                _("The remote-signing service “%(name)s” sent an answer hoso cannot read.")
                % {"name": self.service.name}, code="remote",
            )
        deadline = time.monotonic() + self.service.timeout_seconds
        while True:
            state = self._call("GET", f"/v1/signatures/{tx}")
            status = state.get("status")
            if status == "confirmed":
                sigs = [base64.b64decode(s) for s in state.get("signatures", [])]
                if len(sigs) != len(digests):
                    raise DomainError(
                        _("The remote-signing service “%(name)s” sent an answer hoso cannot "
                          "read.") % {"name": self.service.name}, code="remote",
                    )
                return sigs
            if status == "denied":
                raise DomainError(
                    _("The signing request was refused on the phone; nothing was signed."),
                    code="remote_denied",
                )
            if status == "expired" or time.monotonic() > deadline:
                raise DomainError(
                    _("The signing request was not confirmed in time; nothing was signed."),
                    code="remote_timeout",
                )
            time.sleep(self.service.poll_seconds)
