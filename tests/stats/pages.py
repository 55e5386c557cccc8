"""Clients for the statistics pages and API, and reading figures back from a page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def logged_in(user, *, api: bool = False):
    """A client logged in as `user` (with a verified second factor: the heads and
    administrators must have one); `api`: with a token instead."""
    if api:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def number(text: str) -> float | None:
    """A Vietnamese number as the page shows it ("1.234", "12,5") → 1234, 12.5."""
    text = text.strip()
    if not text:
        return None
    value = float(text.replace(".", "").replace(",", "."))
    return int(value) if value.is_integer() and "," not in text else value


class _Figures(HTMLParser):
    """Each statistic's table cells and chart values, by row and column key."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[tuple[str, str], str]] = {}
        self.charts: dict[str, dict[tuple[str, str], int]] = {}
        self.svgs: dict[str, dict] = {}
        self._table = self._row = self._cell = self._chart = None
        self._text: list[str] = []
        self._svg_part = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-statistic" in a:
            self._table = a["data-statistic"]
            self.tables[self._table] = {}
        elif tag == "tr" and self._table:
            self._row = a.get("data-row")
        elif tag == "td" and self._table and self._row:
            self._cell, self._text = a.get("data-column"), []
        elif tag == "svg" and "data-chart" in a:
            self._chart = a["data-chart"]
            self.charts[self._chart] = {}
            self.svgs[self._chart] = {"role": a.get("role"), "labelledby": a.get("aria-labelledby"),
                                      "title": "", "desc": ""}
        elif tag == "rect" and self._chart and "data-value" in a:
            self.charts[self._chart][(a["data-row"], a["data-column"])] = int(a["data-value"])
        elif (tag in ("title", "desc") and self._chart and not self._svg_part
              and not self.svgs[self._chart][tag]):
            self._svg_part, self._text = tag, []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "td" and self._cell:
            self.tables[self._table][(self._row, self._cell)] = "".join(self._text)
            self._cell = None
        elif tag == "svg":
            self._chart = None
        elif tag == self._svg_part:
            self.svgs[self._chart][tag] = "".join(self._text)
            self._svg_part = None

    def handle_data(self, data):
        if self._cell or self._svg_part:
            self._text.append(data)


def figures_of(html: str) -> _Figures:
    parser = _Figures()
    parser.feed(html)
    return parser


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
