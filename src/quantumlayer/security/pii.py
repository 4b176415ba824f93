"""Personal data in free text: find it, and redact it before text reaches logs or the store.

Detected kinds: e-mail addresses, phone numbers, payment card numbers (Luhn-checked), national
identifiers (US SSN, UK National Insurance number), IBANs (mod-97 checked), IP addresses and
strings that look like credentials (API keys of well-known providers, JWTs, our own keys, and
long high-entropy tokens). Detection is deliberately conservative about numbers: a figure like
"5000 req/s" or "99.9%" is not a phone number.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum


class PiiKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CARD = "card_number"
    NATIONAL_ID = "national_id"
    IBAN = "iban"
    IP = "ip_address"
    CREDENTIAL = "credential"


@dataclass(frozen=True)
class PiiMatch:
    kind: PiiKind
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start:self.end]


_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
    r"\.[A-Za-z]{2,24}\b"
)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\w-])"
    r"|(?<![\w+])\+\d{8,15}\b"
)
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
_NINO = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_CREDENTIALS = re.compile(
    r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}"
    r"|\bgh[pousr]_[A-Za-z0-9]{30,}"
    r"|\bgithub_pat_[A-Za-z0-9_]{40,}"
    r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"
    r"|\bAIza[0-9A-Za-z_-]{35}"
    r"|\bxox[abposr]-[A-Za-z0-9-]{10,}"
    r"|\bql_[a-z0-9]{12}_[A-Za-z0-9_-]{20,}"
    r"|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
)
_TOKEN = re.compile(r"(?<![\w/.-])[A-Za-z0-9_+/=-]{32,}(?![\w/.-])")


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum (payment card numbers do)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban_ok(text: str) -> bool:
    s = text.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    try:
        return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
    except ValueError:
        return False


def _high_entropy(token: str) -> bool:
    has = (any(c.islower() for c in token), any(c.isupper() for c in token),
           any(c.isdigit() for c in token))
    if sum(has) < 3:
        return False
    counts = Counter(token)
    entropy = -sum(n / len(token) * math.log2(n / len(token)) for n in counts.values())
    return entropy >= 4.0


def _personal_ip(text: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
    """A valid address that could point at a person: not loopback, unspecified or link-local
    infrastructure (127.0.0.1, 0.0.0.0, ::1 say nothing about anyone)."""
    try:
        ip = kind(text)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def find_pii(text: str) -> list[PiiMatch]:
    """Every piece of personal data or credential found in `text`, in order, not overlapping
    (where two detections overlap, the more specific kind, then the longer, wins)."""
    if not text:
        return []
    found: list[tuple[int, PiiMatch]] = []  # (priority, match); lower priority wins

    def add(priority: int, kind: PiiKind, m: re.Match[str]) -> None:
        found.append((priority, PiiMatch(kind, m.start(), m.end())))

    for m in _CREDENTIALS.finditer(text):
        add(0, PiiKind.CREDENTIAL, m)
    for m in _EMAIL.finditer(text):
        add(1, PiiKind.EMAIL, m)
    for m in _CARD.finditer(text):
        d = _digits(m.group())
        if 13 <= len(d) <= 19 and luhn_ok(d) and len(set(d)) > 1:
            add(2, PiiKind.CARD, m)
    for m in _SSN.finditer(text):
        add(3, PiiKind.NATIONAL_ID, m)
    for m in _NINO.finditer(text):
        add(3, PiiKind.NATIONAL_ID, m)
    for m in _IBAN.finditer(text):
        if _iban_ok(m.group()):
            add(3, PiiKind.IBAN, m)
    for m in _IPV4.finditer(text):
        if _personal_ip(m.group(), ipaddress.IPv4Address):
            add(4, PiiKind.IP, m)
    for m in _IPV6.finditer(text):
        if m.group().count(":") >= 2 and _personal_ip(m.group(), ipaddress.IPv6Address):
            add(4, PiiKind.IP, m)
    for m in _PHONE.finditer(text):
        d = _digits(m.group())
        has_sep = bool(re.search(r"[\s().-]", m.group())) or m.group().startswith("+")
        if 9 <= len(d) <= 15 and has_sep and not re.fullmatch(r"[\d.]+", m.group()):
            add(5, PiiKind.PHONE, m)
    for m in _TOKEN.finditer(text):
        if _high_entropy(m.group()):
            add(6, PiiKind.CREDENTIAL, m)

    found.sort(key=lambda pm: (pm[0], -(pm[1].end - pm[1].start), pm[1].start))
    chosen: list[PiiMatch] = []
    for _, match in found:
        if all(match.end <= c.start or match.start >= c.end for c in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


def redact(text: str) -> str:
    """`text` with every detected piece of personal data replaced by `[REDACTED:<kind>]`."""
    if not text:
        return text
    matches = find_pii(text)
    if not matches:
        return text
    out: list[str] = []
    pos = 0
    for m in matches:
        out.append(text[pos:m.start])
        out.append(f"[REDACTED:{m.kind.value}]")
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def summarize(text: str) -> dict[str, int]:
    """How many of each kind of personal data `text` holds (what may be logged about it)."""
    return dict(Counter(m.kind.value for m in find_pii(text)))


class RedactingFilter(logging.Filter):
    """A logging filter that redacts personal data from every record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
