"""A small reference remote-signing service ("ký số từ xa"), real HTTPS on loopback.

It holds the users' keys, opens a transaction for each signing request, waits for the
user's confirmation or refusal (the provider's phone app: here `confirm(tx)` /
`deny(tx)`, or an automatic answer set by the test) and answers polls with the raw
signatures and, beforehand, the user's certificate. It speaks the protocol documented
in `hoso.signing.remote`.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import secrets
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass
class Holder:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    chain: list[x509.Certificate]


@dataclass
class Transaction:
    credential_id: str
    digests: list[bytes]
    description: str
    status: str = "pending"
    signatures: list[bytes] = field(default_factory=list)


class RemoteSigningService:
    def __init__(self, *, client_secret: str):
        self.client_secret = client_secret
        self.holders: dict[str, Holder] = {}  # user id (ID number / unit code) → key
        self.transactions: dict[str, Transaction] = {}
        self.auto: str | None = "confirm"  # what the "phone" answers by itself
        self.requests_seen = 0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    # --- the provider's side ---

    def enrol(self, user_id: str, key, cert, chain) -> None:
        self.holders[user_id] = Holder(key, cert, list(chain))

    def _answer(self, tx: Transaction, status: str) -> None:
        if status == "confirmed":
            holder = self.holders[tx.credential_id]
            tx.signatures = [
                holder.key.sign(d, ec.ECDSA(Prehashed(hashes.SHA256()))) for d in tx.digests
            ]
        tx.status = status

    def confirm(self, tx_id: str) -> None:
        with self.lock:
            self._answer(self.transactions[tx_id], "confirmed")

    def deny(self, tx_id: str) -> None:
        with self.lock:
            self._answer(self.transactions[tx_id], "denied")

    # --- HTTP ---

    def handle(self, method: str, path: str, headers, body: bytes) -> tuple[int, dict]:
        if headers.get("Authorization") != f"Bearer {self.client_secret}":
            return 401, {"error": "unauthorised"}
        payload = json.loads(body or b"{}") if body else {}
        if method == "POST" and path == "/v1/credentials":
            holder = self.holders.get(payload.get("user_id", ""))
            if holder is None:
                return 404, {"error": "unknown user"}
            der = serialization.Encoding.DER
            return 200, {
                "credential_id": payload["user_id"],
                "certificate": base64.b64encode(holder.cert.public_bytes(der)).decode(),
                "chain": [base64.b64encode(c.public_bytes(der)).decode() for c in holder.chain],
            }
        if method == "POST" and path == "/v1/signatures":
            if payload.get("credential_id") not in self.holders:
                return 404, {"error": "unknown credential"}
            if payload.get("hash_algorithm") != "sha256":
                return 400, {"error": "unsupported hash"}
            tx_id = secrets.token_hex(8)
            tx = Transaction(
                payload["credential_id"],
                [base64.b64decode(h) for h in payload.get("hashes", [])],
                payload.get("description", ""),
            )
            with self.lock:
                self.transactions[tx_id] = tx
                self.requests_seen += 1
                if self.auto == "confirm":
                    self._answer(tx, "confirmed")
                elif self.auto == "deny":
                    self._answer(tx, "denied")
            return 202, {"transaction_id": tx_id, "status": "pending"}
        if method == "GET" and path.startswith("/v1/signatures/"):
            tx = self.transactions.get(path.rsplit("/", 1)[-1])
            if tx is None:
                return 404, {"error": "unknown transaction"}
            return 200, {
                "status": tx.status,
                "signatures": [base64.b64encode(s).decode() for s in tx.signatures],
            }
        return 404, {"error": "not found"}

    def start(self, tls_cert: Path, tls_key: Path) -> str:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _do(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                status, data = service.handle(method, self.path, self.headers,
                                              self.rfile.read(length) if length else b"")
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                self._do("GET")

            def do_POST(self):  # noqa: N802
                self._do("POST")

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(tls_cert), str(tls_key))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.url = f"https://127.0.0.1:{server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def tls_server_certificate(directory: Path) -> tuple[Path, Path, Path]:
    """A self-signed demo TLS certificate for 127.0.0.1: (cert, key, CA file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ky-so-tu-xa.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
        ), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "tls.pem", directory / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    return cert_path, key_path, cert_path
