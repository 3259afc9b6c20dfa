"""Small HTTP tools for the security suite: a signed-in client that fills in the CSRF token, accounts made
through the real registration form (verified with the link of the mail the system administrator sees in
the outbox), dossiers filed through the real forms, API tokens made on the account page.

Nothing here is mocked: every helper talks to the running `motcua serve` of the session (conftest.py).
"""

from __future__ import annotations

import html
import itertools
import re
import urllib.parse
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser

import requests

PASSWORD = "Hoa-sen-no-2026"
TIMEOUT = 30
# A minimal PDF the portal recognises (it checks the bytes: "%PDF-" first, "%%EOF" at the end).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF_COOKIE = "motcua_csrf"
SESSION_COOKIE = "motcua_session"

# Demo procedures: (agency, code). H06's is open to individuals, H52's (with a textarea field) to organizations.
INDIVIDUAL_PROCEDURE = ("000.00.08.H06", "1.005384")
ORGANIZATION_PROCEDURE = ("000.00.07.H52", "1.009321")

_SEQUENCE = itertools.count(1)


def next_number() -> int:
    """A number unique within the test session (for CCCDs, phones, tax codes, e-mails)."""
    return next(_SEQUENCE)


class Client(requests.Session):
    """A browser-like session: keeps cookies, never follows redirects, puts `_csrf` into every form."""

    def __init__(self, base_url: str, user_agent: str | None = None):
        super().__init__()
        self.base = base_url.rstrip("/")
        if user_agent is not None:
            self.headers["User-Agent"] = user_agent

    def get_page(self, path: str, **kwargs) -> requests.Response:
        return self.get(self.base + path, allow_redirects=False, timeout=TIMEOUT, **kwargs)

    def csrf(self) -> str:
        token = self.cookies.get(CSRF_COOKIE)
        if not token:
            self.get_page("/dang-nhap")
            token = self.cookies.get(CSRF_COOKIE)
        assert token, "the portal set no motcua_csrf cookie"
        return token

    def post_form(self, path: str, data: dict[str, str]) -> requests.Response:
        return self.post(self.base + path, data={"_csrf": self.csrf(), **data}, allow_redirects=False, timeout=TIMEOUT)

    def post_file(self, path: str, field: str, file_name: str, content: bytes,
                  content_type: str = "application/pdf") -> requests.Response:
        """A multipart upload as the page's upload form sends it (its token in the action URL). The part
        header is written by hand so file_name reaches the server byte for byte (requests would
        percent-encode some characters)."""
        sep = "&" if "?" in path else "?"
        if "_csrf=" not in path:
            path = f"{path}{sep}_csrf={self.csrf()}"
        boundary = "----motcua-security-" + uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n"
                f"Content-Type: {content_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.post(self.base + path, data=body, allow_redirects=False, timeout=TIMEOUT,
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


def describe(response: requests.Response) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
    return f"{response.request.method} {response.url} -> {response.status_code}: {text[:600]}"


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    name: str


# ---------------------------------------------------------------------------------------------
# The outbox (system administrator): where the verification links are read
# ---------------------------------------------------------------------------------------------


class _OutboxRows(HTMLParser):
    """Rows of the outbox table as lists of cell texts (the mail body is the last cell)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_tbody = False

    def handle_starttag(self, tag, attrs):  # noqa: ARG002
        if tag == "tbody":
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self.rows.append([])
        elif tag == "td" and self._in_tbody and self.rows:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "tbody":
            self._in_tbody = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def outbox_rows(admin: Client) -> list[list[str]]:
    page = admin.get_page("/quan-tri/thu-dien")
    assert page.status_code == 200, describe(page)
    parser = _OutboxRows()
    parser.feed(page.text)
    return parser.rows


def verification_code(admin: Client, email: str) -> str:
    for cells in outbox_rows(admin):
        # Columns: created, channel (mail or SMS), recipient, subject, status, body.
        if len(cells) >= 6 and cells[2] == email:
            match = re.search(r"/xac-thuc-email\?ma=([A-Za-z0-9_-]+)", cells[-1])
            if match:
                return match.group(1)
    raise AssertionError(f"no verification mail to {email!r} in the outbox")


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------


def register(base_url: str, admin: Client, *, organization: bool = False, name: str | None = None,
             email: str | None = None, address: str = "12 Chu Văn An, Thành phố Sơn La",
             representative: str = "Lò Văn Đại Diện") -> Account:
    """Registers an account through /dang-ky and verifies its address. Free-text fields take any value."""
    n = next_number()
    email = email or f"sec{n}@example.vn"
    client = Client(base_url)
    form = {
        "kind": "organization" if organization else "individual",
        "phone": f"0913{n:06d}", "email": email, "address": address,
        "password": PASSWORD, "password_confirmation": PASSWORD,
    }
    if organization:
        name = name or f"Công ty Kiểm thử {n}"
        form.update({"organization_name": name, "tax_code": f"01{n:08d}", "representative": representative})
    else:
        name = name or f"Trần Thị Kiểm Thử {n}"
        form.update({"full_name": name, "citizen_id": f"0011900{n:05d}", "date_of_birth": "1990-05-17"})
    answer = client.post_form("/dang-ky", form)
    assert answer.status_code == 200 and "Kiểm tra hộp thư" in answer.text, describe(answer)
    code = verification_code(admin, email.lower())
    verified = client.post_form("/xac-thuc-email", {"ma": code})
    assert verified.status_code == 200, describe(verified)
    return Account(email.lower(), PASSWORD, name)


def sign_in(base_url: str, email: str, password: str, user_agent: str | None = None) -> Client:
    client = Client(base_url, user_agent=user_agent)
    answer = client.post_form("/dang-nhap", {"email": email, "password": password})
    assert answer.status_code == 303 and client.cookies.get(SESSION_COOKIE), describe(answer)
    return client


def create_api_token(client: Client, name: str = "kiem-thu") -> str:
    """A personal access token made on the account page (shown once, on the page after the redirect)."""
    made = client.post_form("/tai-khoan/token", {"token_name": name})
    assert made.status_code == 303, describe(made)
    page = client.get_page("/tai-khoan")
    match = re.search(r'<code class="token">(mct_[^<]+)</code>', page.text)
    assert page.status_code == 200 and match, describe(page)
    return html.unescape(match.group(1))


# ---------------------------------------------------------------------------------------------
# Dossiers
# ---------------------------------------------------------------------------------------------


def procedure_path(procedure: tuple[str, str]) -> str:
    return f"/thu-tuc/{procedure[0]}/{procedure[1]}"


def start_dossier(client: Client, procedure: tuple[str, str], *, summary: str, values: dict[str, str],
                  delivery: str = "online", address: str = "") -> int:
    """A draft through the start form (POST …/nop-ho-so); values are the procedure's fields by key."""
    form = {"request_summary": summary, "delivery_method": delivery, "delivery_address": address}
    form.update({"f_" + key: value for key, value in values.items()})
    answer = client.post_form(procedure_path(procedure) + "/nop-ho-so", form)
    match = re.fullmatch(r"/ho-so/(\d+)(\?.*)?", answer.headers.get("Location") or "")
    assert answer.status_code == 303 and match, describe(answer)
    return int(match.group(1))


def mandatory_positions(client: Client, dossier_id: int) -> list[int]:
    """1-based positions of the mandatory documents of a dossier (from its page)."""
    page = client.get_page(f"/ho-so/{dossier_id}")
    assert page.status_code == 200, describe(page)
    slots = page.text.split('class="document-slot"')[1:]
    found = [i + 1 for i, slot in enumerate(slots) if "Bắt buộc" in slot.split("</h3>", 1)[0]]
    assert found, f"/ho-so/{dossier_id} shows no mandatory document"
    return found


def upload_page(client: Client, dossier_id: int, position: int, file_name: str,
                content: bytes = PDF_BYTES) -> requests.Response:
    return client.post_file(f"/ho-so/{dossier_id}/tep/{position}", "file", file_name, content)


def upload_api(base_url: str, token: str, dossier_id: int, position: int, content: bytes = PDF_BYTES,
               file_name: str | None = None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"}
    if file_name is not None:
        headers["X-File-Name"] = urllib.parse.quote(file_name, safe="")
    return requests.put(f"{base_url}/api/v1/dossiers/{dossier_id}/documents/{position}/files",
                        data=content, headers=headers, timeout=TIMEOUT)


def attach_mandatory(client: Client, dossier_id: int) -> None:
    for position in mandatory_positions(client, dossier_id):
        answer = upload_page(client, dossier_id, position, "giay-to.pdf")
        assert answer.status_code == 303, describe(answer)


def submit(client: Client, dossier_id: int) -> str:
    """Submits a draft (POST /ho-so/{id}/nop); returns its code."""
    posted = client.post_form(f"/ho-so/{dossier_id}/nop", {})
    assert posted.status_code == 303, describe(posted)
    answer = client.get_page(posted.headers["Location"])
    match = re.search(r"\b\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}\b", answer.text)
    assert answer.status_code == 200 and "Đã nộp hồ sơ thành công" in answer.text and match, describe(answer)
    return match.group(0)


def api_dossier(base_url: str, token: str, dossier_id: int) -> requests.Response:
    return requests.get(f"{base_url}/api/v1/dossiers/{dossier_id}",
                        headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
