"""The stored payloads of the XSS sweep: accounts, dossiers, tokens and staff made once per session with
a payload in every free-text field a user can store (pytest plugin loaded by conftest.py).

Marker map (each payload starts with or contains its marker; see inert.py):
  q01 individual's full name      q02 individual's e-mail        q03 individual's address
  q04 User-Agent of its session   q05 API token name
  q10 request summary             q11/q12 procedure text fields  q13 delivery address (post)
  q14 file name (multipart)       q15 file name (X-File-Name)    q16 withdraw reason
  q20 organization name           q21 representative             q22 organization's address
  q23 procedure text field        q24 procedure textarea         q25 request summary   q26 delivery address
  q27 file name (multipart)
  q30/q31 name and address set on the account page
  q40/q41 staff name and e-mail created by an agency administrator
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pytest

import portal
from inert import email_payload, file_name_payload, long_payload, short_payload


@dataclass
class Individual:
    account: portal.Account
    client: portal.Client
    token: str
    address: str
    user_agent: str
    token_name: str
    # Dossiers (ids): filed = submitted with payloads (the back office works on it), withdrawn = submitted
    # then withdrawn with a reason; spare = submitted, for the back office's refusal and acceptance.
    filed: int = 0
    filed_code: str = ""
    filed_confirmation: str = ""
    withdrawn: int = 0
    spare: list[int] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Organization:
    account: portal.Account
    client: portal.Client
    token: str
    representative: str
    address: str
    filed: int = 0
    values: dict[str, str] = field(default_factory=dict)


INDIVIDUAL_DOSSIER = {
    "summary": long_payload("q10"),
    "values": {"exam_position": long_payload("q11"), "recruiting_agency": long_payload("q12")},
    "address": long_payload("q13"),
    "page_file": file_name_payload("q14", quote=False),
    "api_file": file_name_payload("q15"),
    "withdraw_reason": long_payload("q16"),
}

ORGANIZATION_DOSSIER = {
    "summary": long_payload("q25"),
    "values": {"unit_name": long_payload("q23"), "dissolution_reason": long_payload("q24") * 3},
    "address": long_payload("q26"),
    "page_file": file_name_payload("q27", quote=False),
}


def _file_dossier(client: portal.Client, procedure, spec: dict, token: str | None, base_url: str) -> int:
    """A dossier with the payloads of spec, its mandatory documents attached (the first one under the
    payload name through the upload form, the second, when there is one, under the X-File-Name payload
    through the API), ready to submit."""
    dossier = portal.start_dossier(client, procedure, summary=spec["summary"], values=spec["values"],
                                   delivery="post", address=spec["address"])
    positions = portal.mandatory_positions(client, dossier)
    answer = portal.upload_page(client, dossier, positions[0], spec["page_file"])
    assert answer.status_code == 303, portal.describe(answer)
    for position in positions[1:]:
        assert portal.upload_page(client, dossier, position, "giay-to.pdf").status_code == 303
    if "api_file" in spec:
        # The procedure's second document (optional, PDF) gets the X-File-Name payload.
        answer = portal.upload_api(base_url, token, dossier, 2, file_name=spec["api_file"])
        assert answer.status_code == 201, f"API upload: {answer.status_code} {answer.text[:300]}"
    return dossier


@pytest.fixture(scope="session")
def individual(server, citizen_factory) -> Individual:
    """A citizen with a payload in every field of the registration form, its session and its token, and
    its dossiers (see Individual)."""
    address, user_agent, token_name = long_payload("q03"), short_payload("q04"), short_payload("q05")
    account, client = citizen_factory(name=short_payload("q01"), email=email_payload("q02"), address=address,
                                      user_agent=user_agent)
    token = portal.create_api_token(client, token_name)
    who = Individual(account, client, token, address, user_agent, token_name)
    spec = INDIVIDUAL_DOSSIER
    who.values = dict(spec["values"])

    who.filed = _file_dossier(client, portal.INDIVIDUAL_PROCEDURE, spec, token, server.url)
    posted = client.post_form(f"/ho-so/{who.filed}/nop", {})
    assert posted.status_code == 303, portal.describe(posted)
    confirmation = client.get_page(posted.headers["Location"])
    assert confirmation.status_code == 200, portal.describe(confirmation)
    who.filed_confirmation = confirmation.text
    who.filed_code = re.search(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}", confirmation.text).group(0)

    who.withdrawn = portal.start_dossier(client, portal.INDIVIDUAL_PROCEDURE, summary="Sẽ rút",
                                         values={"exam_position": "Chuyên viên", "recruiting_agency": "Sở Nội vụ"})
    portal.attach_mandatory(client, who.withdrawn)
    portal.submit(client, who.withdrawn)
    answer = client.post_form(f"/ho-so/{who.withdrawn}/rut", {"reason": spec["withdraw_reason"]})
    assert answer.status_code == 303, portal.describe(answer)

    for _ in range(3):
        spare = portal.start_dossier(client, portal.INDIVIDUAL_PROCEDURE, summary=long_payload("q17"),
                                     values={"exam_position": "Chuyên viên", "recruiting_agency": "Sở Nội vụ"})
        portal.attach_mandatory(client, spare)
        portal.submit(client, spare)
        who.spare.append(spare)
    return who


@pytest.fixture(scope="session")
def organization(server, citizen_factory) -> Organization:
    """An organization with payloads in its registration fields and a submitted dossier of a Sơn La
    procedure with a textarea field."""
    representative, address = short_payload("q21"), long_payload("q22")
    account, client = citizen_factory(organization=True, name=long_payload("q20"), representative=representative,
                                      address=address)
    token = portal.create_api_token(client, "to-chuc")
    org = Organization(account, client, token, representative, address)
    org.values = dict(ORGANIZATION_DOSSIER["values"])
    org.filed = _file_dossier(client, portal.ORGANIZATION_PROCEDURE, ORGANIZATION_DOSSIER, None, server.url)
    portal.submit(client, org.filed)
    return org


@pytest.fixture(scope="session")
def edited_profile(citizen_factory) -> tuple[portal.Account, portal.Client, dict[str, str]]:
    """A citizen who changed its name and address on the account page to payloads."""
    account, client = citizen_factory()
    values = {"display_name": long_payload("q30"), "phone": "0912345678", "address": long_payload("q31")}
    answer = client.post_form("/tai-khoan/ho-so", values)
    assert answer.status_code == 303, portal.describe(answer)
    return account, client, values


@dataclass
class PayloadStaff:
    name: str
    email: str
    password: str
    created_page: str  # the staff page right after creating it (shows the password once)


@pytest.fixture(scope="session")
def payload_staff(staff_client) -> PayloadStaff:
    """A receptionist of Bắc Kạn (H06) whose name and e-mail are payloads, made by the agency administrator."""
    agency_admin = staff_client("quantri.h06")
    # No double quote in the e-mail: the page puts the new address in a cookie, and a quote there stops
    # the server (see test_staff_email_with_cookie_breaking_characters_is_refused_or_shown).
    name, email = short_payload("q40"), email_payload("q41", quote=False)
    answer = agency_admin.post_form("/quan-tri/can-bo", {"name": name, "email": email, "role": "receptionist"})
    assert answer.status_code == 303, portal.describe(answer)
    page = agency_admin.get_page("/quan-tri/can-bo")
    match = re.search(r'<code class="token">([^<]+)</code>', page.text)
    assert page.status_code == 200 and match, portal.describe(page)
    # A generated password is set anew at first login, before anything else (/tai-khoan/dat-mat-khau).
    generated, own = html.unescape(match.group(1)), "Payload-staff-2026-rieng"
    first = portal.sign_in(agency_admin.base, email, generated)
    answer = first.post_form("/tai-khoan/dat-mat-khau", {
        "current_password": generated, "password": own, "password_confirmation": own})
    assert answer.status_code == 303, portal.describe(answer)
    return PayloadStaff(name, email, own, page.text)
