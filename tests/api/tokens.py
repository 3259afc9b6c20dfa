"""Makes the API tokens the fuzzing needs, as a citizen does, over the portal's HTML forms.

    python tests/api/tokens.py URL SERVER_LOG    prints "GOOD REVOKED" (two mct_… tokens) on one line

Signs up an individual (GET /dang-nhap for the `motcua_csrf` cookie and the form's `_csrf`, POST
/dang-ky), verifies the e-mail address with the link of the mail the server logs when no SMTP server
is configured (POST /xac-thuc-email), signs in (POST /dang-nhap), creates two tokens on the account
page (POST /tai-khoan/token), revokes the second one (POST /tai-khoan/token/{id}/thu-hoi), and checks
both against /api/v1/me (200 with emailVerified, and 401). Any surprise is an error on stderr and exit
status 1.
"""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path

import requests

PASSWORD = "Hoa-sen-no-2026"
EMAIL = "fuzz.api@example.vn"


def fail(message: str, response: requests.Response | None = None) -> None:
    print(f"tokens.py: {message}", file=sys.stderr)
    if response is not None:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
        print(f"  {response.request.method} {response.url} -> {response.status_code}: {text[:600]}", file=sys.stderr)
    sys.exit(1)


def csrf_of(response: requests.Response) -> str:
    match = re.search(r'name="_csrf" value="([^"]+)"', response.text)
    if not match:
        fail("no _csrf field in the page", response)
    return html.unescape(match.group(1))


def create_token(session: requests.Session, base: str, csrf: str, name: str) -> tuple[str, requests.Response]:
    response = session.post(f"{base}/tai-khoan/token", data={"_csrf": csrf, "token_name": name}, timeout=30)
    match = re.search(r'<code class="token">(mct_[^<]+)</code>', response.text)
    if response.status_code != 200 or not match:
        fail(f"token {name!r} not shown after POST /tai-khoan/token", response)
    return html.unescape(match.group(1)), response


def verification_code(server_log: Path, wait: float = 20) -> str:
    """The code of the verification link in the mail the server logs (delivered every ~2 s)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        match = re.search(r"/xac-thuc-email\?ma=([A-Za-z0-9_-]+)", server_log.read_text(errors="replace"))
        if match:
            return match.group(1)
        time.sleep(0.3)
    fail(f"no verification link in {server_log} after {wait:.0f} s")
    raise AssertionError  # not reached


def main() -> None:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    base = sys.argv[1].rstrip("/")
    server_log = Path(sys.argv[2])
    session = requests.Session()

    page = session.get(f"{base}/dang-nhap", timeout=30)
    if page.status_code != 200 or "motcua_csrf" not in session.cookies:
        fail("GET /dang-nhap gave no motcua_csrf cookie", page)
    csrf = csrf_of(page)

    signup = session.post(
        f"{base}/dang-ky",
        data={
            "_csrf": csrf,
            "kind": "individual",
            "full_name": "Lò Văn Kiểm Thử",
            "citizen_id": "014090001234",
            "date_of_birth": "1990-05-17",
            "phone": "0912345678",
            "email": EMAIL,
            "address": "Số 1 đường Tô Hiệu, thành phố Sơn La",
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
        timeout=30,
    )
    if signup.status_code >= 400:
        fail("sign-up refused", signup)

    code = verification_code(server_log)
    verify = session.post(f"{base}/xac-thuc-email", data={"_csrf": csrf, "ma": code}, timeout=30)
    if verify.status_code != 200:
        fail("e-mail verification refused", verify)

    login = session.post(
        f"{base}/dang-nhap", data={"_csrf": csrf, "email": EMAIL, "password": PASSWORD}, timeout=30,
        allow_redirects=False,
    )
    if login.status_code != 303 or "motcua_session" not in session.cookies:
        fail("sign-in did not start a session (sign-up may have failed)", login)

    account = session.get(f"{base}/tai-khoan", timeout=30)
    csrf = csrf_of(account)
    good, _ = create_token(session, base, csrf, "schemathesis")
    revoked, page = create_token(session, base, csrf, "schemathesis-thu-hoi")

    # The revoke form that follows the token's name in the list.
    match = re.search(
        r"<strong>schemathesis-thu-hoi</strong>.*?action=\"(/tai-khoan/token/[^\"/]+/thu-hoi)\"", page.text, re.S
    )
    if not match:
        fail("no revoke form for the second token", page)
    revoke = session.post(f"{base}{html.unescape(match.group(1))}", data={"_csrf": csrf}, timeout=30)
    if revoke.status_code >= 400:
        fail("revoking the second token failed", revoke)

    me = requests.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {good}"}, timeout=30)
    if me.status_code != 200 or me.json().get("email") != EMAIL:
        fail("/api/v1/me refuses the new token", me)
    if me.json().get("emailVerified") is not True:
        fail("the e-mail address is still unverified", me)
    me = requests.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {revoked}"}, timeout=30)
    if me.status_code != 401:
        fail("/api/v1/me still accepts the revoked token", me)

    print(good, revoked)


if __name__ == "__main__":
    main()
