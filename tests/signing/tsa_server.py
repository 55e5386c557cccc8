"""A tiny RFC 3161 time-stamping server over HTTP on loopback: pyHanko's
DummyTimeStamper (a real TSA's signing logic, with a test key) behind http.server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper


class TSAServer:
    def __init__(self, issued):
        der = serialization.Encoding.DER
        cert = asn1_x509.Certificate.load(issued.cert.public_bytes(der))
        key = keys.PrivateKeyInfo.load(issued.key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in issued.chain]
        self.stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key, certs_to_embed=chain)
        self.requests = 0
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    def start(self) -> str:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                tsa.requests += 1
                response = tsa.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(response)))
                self.end_headers()
                self.wfile.write(response)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        return self.url

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
