"""Stored-XSS payloads and the check that a page shows them as text only.

Every payload starts with its own marker (e.g. "q07") so a check can prove the page really shows the
field (the whole payload, decoded, is a text node or an attribute value: it was escaped, not parsed),
and a page that does not show it at all cannot pass by accident.

`problems(html_text, shown=[...])` parses the page with html.parser and lists what a payload could have
introduced: any element with an inline event handler (on…= attribute), any inline <script>, an <img src=x>,
an <svg>/<iframe>/<object>/<embed>, a javascript: or data:text/html URL in href/src/action/formaction,
or an expected text that is not on the page verbatim. The portal itself uses none of these (its CSP
forbids inline scripts and handlers) but the slips' own QR code (<svg class="lookup-qr">), so any other
occurrence is an injection.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
FOREIGN_ELEMENTS = {"svg", "iframe", "object", "embed", "math", "frame", "frameset", "base"}


def long_payload(marker: str) -> str:
    """Every vector at once, for fields of 300 characters or more (about 160 characters)."""
    return (f"{marker} javascript:alert(1)//'\"><img src=x onerror=alert(1)></textarea><svg onload=alert(1)>"
            f"<script>alert(1)</script>{{{{7*7}}}}</title><iframe src=javascript:alert(1)>")


def short_payload(marker: str) -> str:
    """For fields of 100 characters: quote and textarea break-out, an event handler, a script, mustache."""
    payload = f"{marker} javascript:alert(1)//'\"></textarea><img src=x onerror=alert(1)><script>alert(1)</script>{{{{7*7}}}}"
    assert len(payload) <= 100, len(payload)
    return payload


def email_payload(marker: str, quote: bool = True) -> str:
    """An address the portal's e-mail check accepts, as hostile as that check allows: RFC 5322 atext keeps
    quotes, slashes, "=", backticks and braces (no "<", ">", '"' or spaces, which the portal refuses; see
    test_html_in_email_addresses_is_refused). `quote` is kept for callers; a double quote is never accepted."""
    del quote
    return f"'/onmouseover=alert`1`//{{{{7*7}}}}{marker}@x.vn".lower()


def file_name_payload(marker: str, quote: bool = True) -> str:
    """A file name with HTML (the portal strips some characters from names; see shown_file_name). No "/"
    or "\\": the portal keeps only the last path part. quote=False leaves out the double quote, which a
    multipart filename="…" parameter cannot carry raw."""
    quote_char = '"' if quote else ""
    return f"{marker} '{quote_char}><img src=x onerror=alert(1)><script>alert(1)<script>{{{{7*7}}}} javascript:alert(1).pdf"


class _Page(HTMLParser):
    """Collects text nodes, attribute values and whatever looks injected."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.values: list[str] = []
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        self._script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)}>"
        names = {k for k, _ in attrs}
        for name, value in attrs:
            value = value or ""
            self.values.append(value)
            if name.startswith("on"):
                self.found.append(f"event handler attribute {name} in {where}")
            squashed = "".join(ch for ch in value if ch > " ").lower()
            if name in URL_ATTRIBUTES and (squashed.startswith("javascript:") or squashed.startswith("vbscript:")
                                           or squashed.startswith("data:text/html")):
                self.found.append(f"script URL in {name} of {where}")
        if tag == "script" and "src" not in names:
            self.found.append(f"inline script element {where}")
        # The one <svg> the portal draws itself: the lookup URL's QR code on the slips (class "lookup-qr",
        # a rect and a path, no handler: a handler is reported above whatever the element).
        own_qr = tag == "svg" and dict(attrs).get("class") == "lookup-qr"
        if tag in FOREIGN_ELEMENTS and not own_qr:
            self.found.append(f"element {where}")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append(f"injected image {where}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append(f"script content {data[:80]!r}")
        self.texts.append(data)


def problems(html_text: str, shown: list[str] | tuple[str, ...] = ()) -> list[str]:
    """What payloads introduced into the page, plus each `shown` string the page does not show verbatim
    (as one text node or one attribute value, i.e. escaped)."""
    page = _Page()
    page.feed(html_text)
    page.close()
    text = "".join(page.texts)
    out = list(page.found)
    for expected in shown:
        if expected not in text and not any(expected in v for v in page.values):
            out.append(f"the page does not show {expected[:60]!r}… as text (marker missing or value altered)")
    return out


def assert_inert(html_text: str, what: str, shown: list[str] | tuple[str, ...] = ()) -> None:
    found = problems(html_text, shown)
    assert not found, f"{what}:\n  " + "\n  ".join(found)


def assert_plain_json_string(answer, what: str) -> object:
    """A JSON answer (application/json, nosniff): the decoded document."""
    ctype = answer.headers.get("Content-Type", "")
    assert answer.status_code < 300, f"{what}: {answer.status_code} {answer.text[:300]}"
    assert ctype.split(";")[0].strip() in ("application/json", "application/problem+json"), f"{what}: Content-Type {ctype}"
    assert answer.headers.get("X-Content-Type-Options") == "nosniff", f"{what}: no nosniff"
    return json.loads(answer.text)


def shown_file_name(raw: str) -> str:
    """How the portal shows an uploaded file's name: its last path part without control characters and
    < > : " | ? *, trimmed of spaces and dots, at most 120 characters (DisplayName.sanitize)."""
    last = [p for p in raw.replace("\\", "/").split("/") if p]
    name = last[-1] if last else ""
    name = "".join(ch for ch in name if ord(ch) >= 0x20 and ord(ch) != 0x7F and ch not in '<>:"|?*')
    return name.strip(" .")[:120]
