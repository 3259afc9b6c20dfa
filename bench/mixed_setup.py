"""Prepares the mixed load of bench/mixed.sh against a running portal, with nothing but the standard library.

    python3 bench/mixed_setup.py prepare --base URL --log SERVER_LOG [--log ...] --out CONFIG.lua \
        --samples-dir DIR --mix catalog=26,lookup=8,... [--citizens 8] [--dossiers 20] \
        [--staff-email E --staff-password P] [--agency A --procedure P]
    python3 bench/mixed_setup.py sessions --email E --password P URL_A URL_B

prepare: signs citizens up over the HTML forms (CSRF cookie + `_csrf`), verifies each address with the
link of the mail the server logs when no SMTP server is set (one or more server logs: with two processes
either may send it), signs each in and makes an API token on the account page; checks the catalog pages
the load will ask for; files `--dossiers` dossiers through the JSON API (draft, a small PDF per mandatory
document, submit) so that the lookups use real codes; signs the desk (receptionist) in and makes its token,
and checks that the staff API answers. Writes the Lua table bench/mixed.lua reads (MIXED_CONFIG).

sessions: signs in on URL_A and checks that the session cookie is good on URL_B (the account page shows
the user), and the other way round; then signs out on URL_A and checks that URL_B no longer knows the
session. For two portal processes behind one database.

Any surprise: a message on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

PASSWORD = "Hoa-sen-no-2026"
TIMEOUT = 30
# Search terms of a citizen browsing the catalog: with and without diacritics, a few pages deep.
# Each matches some demo procedures.
SEARCH_TERMS = ["công chức", "viên chức", "nâng bậc lương", "hội", "thi tuyển", "xet tuyen", "đại hội",
                "thanh lap", "luu tru", "chứng chỉ", "giải thể", "nghỉ hưu"]
PDF_FILLER_BYTES = 2048


class SetupError(Exception):
    """Something the load needs is not there."""


def fail(message: str) -> None:
    print(f"mixed_setup.py: {message}", file=sys.stderr)
    sys.exit(1)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to check, not to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Browser:
    """A cookie jar and a base URL: requests as a browser (or an API client) makes them."""

    base: str
    jar: CookieJar = field(default_factory=CookieJar)

    def request(self, method: str, path: str, data: dict[str, str] | None = None, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        payload = body
        all_headers = dict(headers or {})
        if data is not None:
            payload = urllib.parse.urlencode(data).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=payload, method=method, headers=all_headers)
        opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(self.jar))
        try:
            with opener.open(req, timeout=TIMEOUT) as resp:
                return Answer(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read().decode(errors="replace"))
        except urllib.error.HTTPError as err:
            return Answer(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read().decode(errors="replace"))

    def expect(self, status: int, method: str, path: str, **kwargs) -> Answer:  # type: ignore[no-untyped-def]
        answer = self.request(method, path, **kwargs)
        if answer.status != status:
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.body))[:400]
            raise SetupError(f"{method} {path} answered {answer.status}, expected {status}: {text}")
        return answer

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


def csrf_of(answer: Answer) -> str:
    match = re.search(r'name="_csrf" value="([^"]+)"', answer.body)
    if not match:
        raise SetupError("no _csrf field in the page")
    return html.unescape(match.group(1))


def sign_in(browser: Browser, email: str, password: str) -> None:
    csrf = csrf_of(browser.expect(200, "GET", "/dang-nhap"))
    answer = browser.expect(303, "POST", "/dang-nhap", data={"_csrf": csrf, "email": email, "password": password})
    if not browser.cookie("motcua_session"):
        raise SetupError(f"signing {email} in set no session cookie ({answer.headers.get('location')})")


def make_token(browser: Browser, name: str) -> str:
    csrf = csrf_of(browser.expect(200, "GET", "/tai-khoan"))
    browser.expect(303, "POST", "/tai-khoan/token", data={"_csrf": csrf, "token_name": name})
    page = browser.expect(200, "GET", "/tai-khoan")
    match = re.search(r'<code class="token">(mct_[^<]+)</code>', page.body)
    if not match:
        raise SetupError(f"no new token shown on /tai-khoan after making {name!r}")
    return html.unescape(match.group(1))


def verification_links(logs: list[Path]) -> dict[str, str]:
    """email -> verification code, from the mails the servers logged (the link comes before `to=`)."""
    links: dict[str, str] = {}
    for log in logs:
        last: str | None = None
        for line in log.read_text(errors="replace").splitlines():
            found = re.search(r"/xac-thuc-email\?ma=([A-Za-z0-9_-]+)", line)
            if found:
                last = found.group(1)
            to = re.search(r" to=(\S+) .*Mail \(no SMTP configured\)", line)
            if to and last:
                links[to.group(1)] = last
                last = None
    return links


def sign_up(base: str, email: str, citizen_id: str) -> Browser:
    browser = Browser(base)
    csrf = csrf_of(browser.expect(200, "GET", "/dang-ky"))
    answer = browser.expect(200, "POST", "/dang-ky", data={
        "_csrf": csrf, "kind": "individual", "full_name": "Người Đo Tải", "citizen_id": citizen_id,
        "date_of_birth": "1990-05-17", "phone": "0912345678", "email": email,
        "address": "12 Chu Văn An, Bắc Kạn", "password": PASSWORD, "password_confirmation": PASSWORD})
    if "Kiểm tra hộp thư" not in answer.body:
        raise SetupError(f"signing {email} up showed no 'Kiểm tra hộp thư'")
    return browser


def verify(browser: Browser, code: str) -> None:
    csrf = csrf_of(browser.expect(200, "GET", f"/xac-thuc-email?ma={code}"))
    answer = browser.expect(200, "POST", "/xac-thuc-email", data={"_csrf": csrf, "ma": code})
    if "Đã xác thực" not in answer.body:
        raise SetupError("verifying the address showed no 'Đã xác thực'")


@dataclass
class Citizen:
    email: str
    password: str
    token: str


def make_citizens(base: str, logs: list[Path], count: int) -> list[Citizen]:
    emails = [f"nguoi.do.tai.{i:02d}@example.vn" for i in range(1, count + 1)]
    with ThreadPoolExecutor(max_workers=min(count, 8)) as pool:
        browsers = list(pool.map(lambda e: sign_up(base, e[1], f"0011900{e[0]:05d}"), enumerate(emails, 1)))
    # The mails go out from a background loop every ~2 s.
    deadline = time.monotonic() + 30
    while True:
        links = verification_links(logs)
        if all(e in links for e in emails):
            break
        if time.monotonic() > deadline:
            missing = [e for e in emails if e not in links]
            raise SetupError(f"no verification mail in the server log for {', '.join(missing)} after 30 s")
        time.sleep(0.3)

    def finish(pair: tuple[str, Browser]) -> Citizen:
        email, browser = pair
        verify(browser, links[email])
        sign_in(browser, email, PASSWORD)
        token = make_token(browser, "tai-thu")
        me = json.loads(Browser(base).expect(200, "GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"}).body)
        if me.get("emailVerified") is not True:
            raise SetupError(f"{email} is still unverified")
        return Citizen(email, PASSWORD, token)

    with ThreadPoolExecutor(max_workers=min(count, 8)) as pool:
        return list(pool.map(finish, zip(emails, browsers)))


def catalog_paths(base: str) -> dict[str, list[str]]:
    api = Browser(base)
    listing = json.loads(api.expect(200, "GET", "/api/v1/procedures?perPage=100").body)
    items = listing["items"] if isinstance(listing, dict) else listing
    procedures = [f"/thu-tuc/{urllib.parse.quote(p['agencyCode'], safe='')}/{urllib.parse.quote(p['code'], safe='')}"
                  for p in items]
    if not procedures:
        raise SetupError("the catalog is empty (demo data not loaded?)")
    pages, searches = [], []
    for term in SEARCH_TERMS:
        q = urllib.parse.quote_plus(term)
        pages.append(f"/thu-tuc?q={q}")
        searches.append(f"/api/v1/procedures?q={q}")
    pages += ["/thu-tuc", "/thu-tuc?page=2", "/thu-tuc?q=c%C3%B4ng+ch%E1%BB%A9c&page=2"]
    for path in pages + procedures:
        api.expect(200, "GET", path)
    for path in searches:
        if not json.loads(api.expect(200, "GET", path).body).get("total"):
            raise SetupError(f"{path} finds nothing")
    return {"search_pages": pages, "procedure_pages": procedures, "search_api": searches}


@dataclass
class Filing:
    draft: str
    positions: list[int]


def filing_for(base: str, agency: str, procedure: str) -> Filing:
    """A valid draft for the procedure (its required fields filled) and the mandatory documents."""
    doc = json.loads(Browser(base).expect(200, "GET", f"/api/v1/procedures/{agency}/{procedure}").body)
    values: dict[str, str] = {}
    for f in doc.get("formFields", []):
        kind = f.get("type")
        if kind == "select":
            values[f["key"]] = f["options"][0]
        elif kind == "number":
            values[f["key"]] = "2"
        elif kind == "date":
            values[f["key"]] = "2026-12-01"
        elif kind == "email":
            values[f["key"]] = "nguoi.do.tai@example.vn"
        elif kind == "phone":
            values[f["key"]] = "0912345678"
        else:
            values[f["key"]] = "Chuyên viên quản lý nhân sự"
    positions = [d["position"] for d in doc.get("requiredDocuments", []) if d.get("mandatory")]
    if any("pdf" not in d.get("formats", ["pdf"]) for d in doc.get("requiredDocuments", []) if d.get("mandatory")):
        raise SetupError(f"{agency}/{procedure}: a mandatory document does not take PDF")
    draft = json.dumps({"agencyCode": agency, "procedureCode": procedure,
                        "requestSummary": "Hồ sơ của phép đo tải hỗn hợp.", "values": values,
                        "deliveryMethod": "online"}, ensure_ascii=False)
    return Filing(draft, positions)


def small_pdf(tag: str) -> bytes:
    return (f"%PDF-1.4\n% {tag}\n".encode() + b"%" + b"x" * PDF_FILLER_BYTES + b"\n"
            + b"1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def file_dossier(base: str, token: str, filing: Filing, tag: str) -> str:
    api = Browser(base)
    auth = {"Authorization": f"Bearer {token}"}
    created = api.expect(201, "POST", "/api/v1/dossiers", body=filing.draft.encode(),
                         headers={**auth, "Content-Type": "application/json"})
    dossier_id = json.loads(created.body)["id"]
    for position in filing.positions:
        api.expect(201, "PUT", f"/api/v1/dossiers/{dossier_id}/documents/{position}/files", body=small_pdf(tag),
                   headers={**auth, "Content-Type": "application/pdf", "X-File-Name": "giay-to.pdf"})
    submitted = json.loads(api.expect(200, "POST", f"/api/v1/dossiers/{dossier_id}/submit", headers=auth).body)
    code = submitted.get("code")
    if not code or submitted.get("status") != 1:
        raise SetupError(f"dossier {dossier_id} submitted without a code or status 1")
    return code


def desk_token(base: str, email: str, password: str) -> str:
    browser = Browser(base)
    sign_in(browser, email, password)
    token = make_token(browser, "tai-thu-mot-cua")
    answer = Browser(base).request("GET", "/api/v1/staff/dossiers?status=1", headers={"Authorization": f"Bearer {token}"})
    if answer.status != 200 or '"items"' not in answer.body:
        raise SetupError(f"GET /api/v1/staff/dossiers?status=1 answered {answer.status} for the receptionist: "
                         "no staff API in this binary? (BENCH_DESK=0 runs without desk decisions)")
    return token


def lua_string(value: str) -> str:
    """A Lua 5.1 string literal: printable ASCII as is, every other byte as a decimal escape."""
    out = []
    for byte in value.encode():
        ch = chr(byte)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\{byte}")
    return '"' + "".join(out) + '"'


def lua_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, list):
        return "{" + ", ".join(lua_value(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_string(str(k))}] = {lua_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def parse_mix(text: str) -> dict[str, int]:
    mix: dict[str, int] = {}
    for part in text.split(","):
        name, _, count = part.partition("=")
        if name.strip() not in {"catalog", "lookup", "login", "submit", "desk"} or not count.strip().isdigit():
            raise SetupError(f"bad mix entry {part!r} (roles: catalog, lookup, login, submit, desk)")
        mix[name.strip()] = int(count)
    return mix


def prepare(args: argparse.Namespace) -> None:
    base = args.base.rstrip("/")
    logs = [Path(p) for p in args.log]
    mix = parse_mix(args.mix)
    t0 = time.monotonic()
    catalog = catalog_paths(base)
    citizens = make_citizens(base, logs, args.citizens)
    filing = filing_for(base, args.agency, args.procedure)
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(lambda i: file_dossier(base, citizens[i % len(citizens)].token, filing, f"setup {i}"),
                              range(args.dossiers)))
    for code in codes[:3]:
        Browser(base).expect(200, "GET", f"/api/v1/dossiers/lookup?code={urllib.parse.quote(code)}")
    desk = ""
    if mix.get("desk", 0) > 0:
        if not args.staff_email:
            raise SetupError("desk connections in the mix but no --staff-email")
        desk = desk_token(base, args.staff_email, args.staff_password)
    config = {
        "mix": mix,
        "catalog": catalog,
        "codes": codes,
        "citizens": [{"email": c.email, "password": c.password, "token": c.token} for c in citizens],
        "desk_token": desk,
        "submit": {"draft": filing.draft, "positions": filing.positions,
                   "pdf_filler": "%" + "x" * PDF_FILLER_BYTES + "\n"},
        "samples_dir": str(Path(args.samples_dir).resolve()),
    }
    Path(args.out).write_text("return " + lua_value(config) + "\n")
    print(f"prepared in {time.monotonic() - t0:.1f}s: {len(citizens)} citizens with tokens, "
          f"{len(codes)} dossiers filed, {sum(len(v) for v in catalog.values())} catalog paths, "
          f"desk {'signed in' if desk else 'off'}")


def sessions(args: argparse.Namespace) -> None:
    first, second = (u.rstrip("/") for u in args.urls)
    for here, there in ((first, second), (second, first)):
        browser = Browser(here)
        sign_in(browser, args.email, args.password)
        other = Browser(there, browser.jar)
        page = other.expect(200, "GET", "/tai-khoan")
        if args.email not in page.body:
            raise SetupError(f"a session made on {here} is not the user's on {there}")
    # Sign out on the first: the second must no longer know the session.
    browser = Browser(first)
    sign_in(browser, args.email, args.password)
    csrf = csrf_of(browser.expect(200, "GET", "/tai-khoan"))
    session = browser.cookie("motcua_session")
    browser.expect(303, "POST", "/dang-xuat", data={"_csrf": csrf})
    stale = Browser(second)
    answer = stale.request("GET", "/tai-khoan", headers={"Cookie": f"motcua_session={session}"})
    if answer.status != 303 or "/dang-nhap" not in answer.headers.get("location", ""):
        raise SetupError(f"after signing out on {first}, {second} still answers {answer.status} to the old session")
    print(f"sessions: signed in on each process, valid on the other; signed out on one, gone on the other")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--base", required=True)
    p.add_argument("--log", action="append", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--samples-dir", required=True)
    p.add_argument("--mix", required=True)
    p.add_argument("--citizens", type=int, default=8)
    p.add_argument("--dossiers", type=int, default=20)
    p.add_argument("--staff-email", default="")
    p.add_argument("--staff-password", default="")
    p.add_argument("--agency", default="000.00.08.H06")
    p.add_argument("--procedure", default="1.005384")
    s = sub.add_parser("sessions")
    s.add_argument("--email", required=True)
    s.add_argument("--password", required=True)
    s.add_argument("urls", nargs=2)
    args = parser.parse_args()
    try:
        prepare(args) if args.command == "prepare" else sessions(args)
    except (SetupError, urllib.error.URLError, OSError, KeyError, ValueError) as err:
        fail(str(err))


if __name__ == "__main__":
    main()
