"""Polyglot uploads (issue 5, "file upload attacks (polyglot files …)"): files that are at once a
document the portal accepts and HTML/JavaScript. Each is either refused, or stored and served only as a
download: `Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, the content type the
portal recognised (never text/html), the bytes unchanged, whichever route serves it (the citizen's page
and API; the back office's page and API: marked backoffice).
"""

from __future__ import annotations

import hashlib
import re

import pytest
import requests

import portal

SCRIPT = b"<html><body><script>alert(document.domain)</script><img src=x onerror=alert(2)></body></html>"
PDF_HTML = b"%PDF-1.4\n" + SCRIPT + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG_HTML = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + SCRIPT + b"\xff\xd9"
PNG_HTML = (b"\x89PNG\r\n\x1a\n" + SCRIPT + b"\x00\x00\x00\x00IEND\xaeB`\x82")
HTML_PDF = b"<!DOCTYPE html>" + SCRIPT + b"\n%PDF-1.4\n%%EOF\n"
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
# Accepted polyglots: (id, bytes, content type it must be served as)
ACCEPTABLE = [("pdf-html", PDF_HTML, "application/pdf"), ("jpeg-html", JPEG_HTML, "image/jpeg"),
              ("png-html", PNG_HTML, "image/png")]
# A Sơn La procedure open to organizations whose third document takes PDF, JPG and PNG.
PROCEDURE = ("000.00.07.H52", "1.000775")
ANY_FORMAT_POSITION = 3


class Uploads:
    def __init__(self, server, citizen_factory):
        self.server = server
        self.account, self.client = citizen_factory(organization=True)
        self.token = portal.create_api_token(self.client, "polyglot")
        self.dossier = portal.start_dossier(self.client, PROCEDURE, summary="Tệp đa định dạng", delivery="desk",
                                            values={"awardee": "Tập thể A", "achievement_date": "2025-03-15"})

    def put(self, content: bytes, name: str) -> requests.Response:
        return portal.upload_api(self.server.url, self.token, self.dossier, ANY_FORMAT_POSITION, content, file_name=name)

    def file(self, name: str) -> dict:
        files = portal.api_dossier(self.server.url, self.token, self.dossier).json()["files"]
        found = [f for f in files if f["displayName"] == name]
        assert found, f"{name} not among {files}"
        return found[-1]


@pytest.fixture(scope="module")
def uploads(server, citizen_factory) -> Uploads:
    return Uploads(server, citizen_factory)


def assert_served_as_download(answer: requests.Response, content: bytes, content_type: str, what: str) -> None:
    assert answer.status_code == 200, f"{what}: {answer.status_code}"
    assert answer.headers.get("Content-Type", "").split(";")[0].strip() == content_type, \
        f"{what}: Content-Type {answer.headers.get('Content-Type')!r}, expected {content_type}"
    disposition = answer.headers.get("Content-Disposition", "")
    assert disposition.startswith("attachment"), f"{what}: Content-Disposition {disposition!r} (must be attachment)"
    assert answer.headers.get("X-Content-Type-Options") == "nosniff", f"{what}: no X-Content-Type-Options: nosniff"
    csp = answer.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp, f"{what}: CSP {csp!r}"
    assert hashlib.sha256(answer.content).hexdigest() == hashlib.sha256(content).hexdigest(), f"{what}: bytes changed"


@pytest.mark.parametrize(("kind", "content", "content_type"), ACCEPTABLE, ids=[a[0] for a in ACCEPTABLE])
def test_polyglot_is_refused_or_served_only_as_a_download(uploads, kind, content, content_type):
    name = f"{kind}.{content_type.split('/')[1].replace('jpeg', 'jpg')}"
    answer = uploads.put(content, name)
    if answer.status_code == 415:
        return  # refused: fine
    assert answer.status_code == 201, f"{kind}: {answer.status_code} {answer.text[:300]}"
    stored = answer.json()
    assert stored["contentType"] == content_type, stored
    file = uploads.file(name)
    assert_served_as_download(uploads.client.get_page(f"/ho-so/{uploads.dossier}/tep-dinh-kem/{file['id']}"),
                              content, content_type, f"{kind} from the dossier page")
    assert_served_as_download(requests.get(uploads.server.url + file["downloadUrl"], timeout=portal.TIMEOUT,
                                           headers={"Authorization": f"Bearer {uploads.token}"}),
                              content, content_type, f"{kind} from the API")


def test_polyglot_through_the_upload_form_is_served_only_as_a_download(uploads):
    answer = portal.upload_page(uploads.client, uploads.dossier, ANY_FORMAT_POSITION, "bieu-mau.pdf", PDF_HTML)
    if answer.status_code == 415:
        return
    assert answer.status_code == 303, portal.describe(answer)
    file = uploads.file("bieu-mau.pdf")
    assert_served_as_download(uploads.client.get_page(f"/ho-so/{uploads.dossier}/tep-dinh-kem/{file['id']}"),
                              PDF_HTML, "application/pdf", "PDF/HTML through the form")


@pytest.mark.parametrize(("kind", "content"), [("html-then-pdf", HTML_PDF), ("svg-script", SVG_SCRIPT),
                                               ("html", SCRIPT)], ids=["html-then-pdf", "svg", "html"])
def test_html_first_files_are_refused_whatever_their_name(uploads, kind, content):
    for name in (f"{kind}.pdf", f"{kind}.png", f"{kind}.html"):
        answer = uploads.put(content, name)
        assert answer.status_code == 415, f"{kind} named {name}: {answer.status_code} {answer.text[:200]}"


def test_download_name_ends_with_the_recognised_type(uploads):
    answer = uploads.put(PDF_HTML, "trang.html")
    if answer.status_code == 415:
        return
    assert answer.status_code == 201, answer.text[:300]
    file = uploads.file(answer.json()["displayName"])
    download = uploads.client.get_page(f"/ho-so/{uploads.dossier}/tep-dinh-kem/{file['id']}")
    disposition = download.headers.get("Content-Disposition", "")
    names = re.findall(r'filename="([^"]*)"', disposition) + re.findall(r"filename\*=UTF-8''(\S+)", disposition)
    assert names and all(n.lower().endswith(".pdf") for n in names), f"Content-Disposition {disposition!r}"


@pytest.mark.backoffice
def test_staff_download_of_a_polyglot_is_only_a_download(server, uploads, staff_client, demo):
    answer = uploads.put(PDF_HTML, "cho-can-bo.pdf")
    if answer.status_code == 415:
        return
    assert answer.status_code == 201, answer.text[:300]
    file = uploads.file("cho-can-bo.pdf")
    positions = portal.mandatory_positions(uploads.client, uploads.dossier)
    for position in positions:
        assert portal.upload_page(uploads.client, uploads.dossier, position, "giay-to.pdf").status_code == 303
    portal.submit(uploads.client, uploads.dossier)
    staff = staff_client("tiepnhan.h52")
    assert_served_as_download(staff.get_page(f"/mot-cua/ho-so/{uploads.dossier}/tep/{file['id']}"),
                              PDF_HTML, "application/pdf", "polyglot from the staff page")
    login = demo.by_prefix("tiepnhan.h52")
    token = portal.create_api_token(portal.sign_in(server.url, login.email, login.password), "polyglot-staff")
    assert_served_as_download(
        requests.get(f"{server.url}/api/v1/staff/dossiers/{uploads.dossier}/attachments/{file['id']}",
                     headers={"Authorization": f"Bearer {token}"}, timeout=portal.TIMEOUT),
        PDF_HTML, "application/pdf", "polyglot from the staff API")
