"""Stored (and reflected) XSS, citizen side and administration: every free-text field a user can store
holds a payload (stored.py), and every page that shows it must show it as text only; JSON answers carry it
as a plain string, byte for byte.

The back office's pages (staff seeing citizens' payloads, citizens seeing staff notes) are in
test_stored_xss_backoffice.py; the same pages in a real browser in test_xss_in_browser.py.
"""

from __future__ import annotations

import html
import re
import time
import urllib.parse

import pytest
import requests

import portal
from conftest import read_demo_logins, running_server
from inert import (assert_inert, assert_plain_json_string, email_payload, long_payload, short_payload,
                   shown_file_name)
from stored import INDIVIDUAL_DOSSIER, ORGANIZATION_DOSSIER


def page(client: portal.Client, path: str, status: int = 200) -> str:
    answer = client.get_page(path)
    assert answer.status_code == status, portal.describe(answer)
    assert answer.headers.get("Content-Type", "").startswith("text/html"), answer.headers.get("Content-Type")
    csp = answer.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, f"{path}: CSP {csp!r}"
    return answer.text


# ---------------------------------------------------------------------------------------------
# Accounts: registration, account page, tokens, sessions
# ---------------------------------------------------------------------------------------------


def test_account_page_shows_registration_payloads_as_text(individual):
    html_text = page(individual.client, "/tai-khoan")
    assert_inert(html_text, "/tai-khoan of the payload citizen", shown=[
        individual.account.name,      # q01, in the header and the facts
        individual.account.email,     # q02
        individual.address,           # q03, in the facts and the contact form's value
        individual.user_agent[:80],   # q04, the sessions table (shows 80 characters)
        individual.token_name,        # q05, the token list
    ])


def test_organization_account_page_shows_payloads_as_text(organization):
    html_text = page(organization.client, "/tai-khoan")
    assert_inert(html_text, "/tai-khoan of the payload organization",
                 shown=[organization.account.name, organization.address])


def test_account_page_after_editing_contact_details(edited_profile):
    _, client, values = edited_profile
    html_text = page(client, "/tai-khoan")
    assert_inert(html_text, "/tai-khoan after saving payloads", shown=[values["display_name"], values["address"]])
    # The header of every page shows the name.
    assert_inert(page(client, "/thu-tuc"), "/thu-tuc with the payload name in the header", shown=[values["display_name"]])


def test_contact_details_form_with_errors_reflects_payloads_as_text(edited_profile):
    _, client, saved = edited_profile
    sent = {"display_name": long_payload("q32"), "phone": short_payload("q33")[:15], "address": long_payload("q34")}
    answer = client.post_form("/tai-khoan/ho-so", sent)
    assert answer.status_code == 422, portal.describe(answer)
    # The form shows what was typed (the refused values), as text; the saved ones are unchanged.
    assert_inert(answer.text, "/tai-khoan/ho-so with an invalid phone", shown=[sent["display_name"], sent["address"]])
    del saved


@pytest.mark.parametrize("organization", [False, True], ids=["individual", "organization"])
def test_registration_form_with_errors_reflects_payloads_as_text(server, organization):
    client = portal.Client(server.url)
    form = {"kind": "organization" if organization else "individual", "phone": short_payload("q35")[:15],
            "email": long_payload("q36"), "address": long_payload("q37"),
            "password": "Hoa-sen-no-2026", "password_confirmation": "khac-nhau-2026"}
    if organization:
        form.update({"organization_name": long_payload("q38"), "tax_code": "<b>1</b>",
                     "representative": short_payload("q39")})
        shown = [form["organization_name"], form["representative"], form["email"], form["address"]]
    else:
        form.update({"full_name": short_payload("q38"), "citizen_id": "<b>1</b>", "date_of_birth": "\"><b>"})
        shown = [form["full_name"], form["email"], form["address"], "<b>1</b>"]
    answer = client.post_form("/dang-ky", form)
    assert answer.status_code == 422, portal.describe(answer)
    assert_inert(answer.text, "/dang-ky with errors", shown=shown)


def test_registration_confirmation_shows_the_address_as_text(server, admin):
    client = portal.Client(server.url)
    email = email_payload("q42")
    answer = client.post_form("/dang-ky", {
        "kind": "individual", "full_name": "Nguyễn Văn A", "citizen_id": "001190099999", "date_of_birth": "1990-05-17",
        "phone": "0912999999", "email": email, "address": "1 Tô Hiệu", "password": "Hoa-sen-no-2026",
        "password_confirmation": "Hoa-sen-no-2026"})
    assert answer.status_code == 200, portal.describe(answer)
    assert_inert(answer.text, "the 'check your mailbox' page", shown=[email])


@pytest.mark.parametrize("email", ["<script>alert(1)</script>@x.vn", 'a"><img src=x onerror=alert(1)>@x.vn', "a;b@x.vn"])
def test_html_in_email_addresses_is_refused(server, email):
    """Markup, quotes and separators are not part of an e-mail address people type: registration refuses
    them (422) and shows what was typed as text."""
    client = portal.Client(server.url)
    answer = client.post_form("/dang-ky", {
        "kind": "individual", "full_name": "Nguyễn Văn B", "citizen_id": "001190099998", "date_of_birth": "1990-05-17",
        "phone": "0912999998", "email": email, "address": "2 Tô Hiệu", "password": "Hoa-sen-no-2026",
        "password_confirmation": "Hoa-sen-no-2026"})
    assert answer.status_code == 422, portal.describe(answer)
    assert_inert(answer.text, "registration refused for its e-mail address")


def test_token_name_with_errors_is_reflected_as_text(individual):
    # Over 100 characters: refused and shown again.
    answer = individual.client.post_form("/tai-khoan/token", {"token_name": long_payload("q43")})
    assert answer.status_code == 422, portal.describe(answer)
    assert_inert(answer.text, "/tai-khoan/token refused")


def test_me_api_returns_payloads_as_plain_strings(server, individual):
    answer = requests.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {individual.token}"},
                          timeout=portal.TIMEOUT)
    me = assert_plain_json_string(answer, "/api/v1/me")
    assert individual.account.name in me.values(), me
    assert me.get("email") == individual.account.email, me


# ---------------------------------------------------------------------------------------------
# Dossiers
# ---------------------------------------------------------------------------------------------


def _dossier_shown(spec: dict) -> list[str]:
    shown = [spec["summary"], spec["address"], *spec["values"].values(), shown_file_name(spec["page_file"])]
    if "api_file" in spec:
        shown.append(shown_file_name(spec["api_file"]))
    return shown


def test_dossier_page_shows_the_citizens_payloads_as_text(individual):
    assert_inert(page(individual.client, f"/ho-so/{individual.filed}"), "/ho-so/{id} of the payload dossier",
                 shown=_dossier_shown(INDIVIDUAL_DOSSIER))


def test_dossier_page_with_a_textarea_field_shows_payloads_as_text(organization):
    assert_inert(page(organization.client, f"/ho-so/{organization.filed}"), "/ho-so/{id} of the organization",
                 shown=_dossier_shown(ORGANIZATION_DOSSIER))


def test_withdraw_reason_is_shown_as_text(individual):
    assert_inert(page(individual.client, f"/ho-so/{individual.withdrawn}"), "/ho-so/{id} withdrawn",
                 shown=[INDIVIDUAL_DOSSIER["withdraw_reason"]])


def test_submission_confirmation_shows_the_email_as_text(individual):
    assert_inert(individual.filed_confirmation, "the 'dossier submitted' page", shown=[individual.account.email])


def test_my_dossiers_list_is_inert(individual):
    assert_inert(page(individual.client, "/ho-so"), "/ho-so")


@pytest.mark.parametrize("who", ["individual", "organization"])
def test_start_form_with_errors_reflects_payloads_as_text(request, who):
    """The form again (422: delivery by post without an address): the summary in its <textarea>, the
    fields in their values, a select given a value it does not offer."""
    holder = request.getfixturevalue(who)
    if who == "individual":
        procedure = portal.INDIVIDUAL_PROCEDURE
        values = {"exam_position": long_payload("q44"), "recruiting_agency": long_payload("q45"),
                  "foreign_language": short_payload("q46")}
        shown = [values["exam_position"], values["recruiting_agency"]]
    else:
        procedure = portal.ORGANIZATION_PROCEDURE
        values = {"unit_name": long_payload("q44"), "dissolution_reason": long_payload("q45")}
        shown = list(values.values())
    form = {"request_summary": long_payload("q47"), "delivery_method": "post", "delivery_address": ""}
    form.update({"f_" + k: v for k, v in values.items()})
    answer = holder.client.post_form(portal.procedure_path(procedure) + "/nop-ho-so", form)
    assert answer.status_code == 422, portal.describe(answer)
    assert_inert(answer.text, f"the start form with errors ({who})", shown=[form["request_summary"], *shown])


def test_dossier_api_returns_payloads_as_plain_strings(server, individual):
    dossier = assert_plain_json_string(portal.api_dossier(server.url, individual.token, individual.filed), "dossier JSON")
    spec = INDIVIDUAL_DOSSIER
    assert dossier["requestSummary"] == spec["summary"]
    assert dossier["deliveryAddress"] == spec["address"]
    for key, value in spec["values"].items():
        assert dossier["values"][key] == value
    names = {f["displayName"] for f in dossier["files"]}
    assert {shown_file_name(spec["page_file"]), shown_file_name(spec["api_file"])} <= names, names
    withdrawn = assert_plain_json_string(portal.api_dossier(server.url, individual.token, individual.withdrawn), "JSON")
    assert spec["withdraw_reason"] in [e["note"] for e in withdrawn["history"]], withdrawn["history"]


def test_api_problem_documents_carry_payloads_as_plain_strings(server, individual):
    key = "<script>alert(1)</script>"
    answer = requests.post(f"{server.url}/api/v1/dossiers", headers={"Authorization": f"Bearer {individual.token}"},
                           json={"agencyCode": portal.INDIVIDUAL_PROCEDURE[0], "procedureCode": portal.INDIVIDUAL_PROCEDURE[1],
                                 "requestSummary": "x", "values": {key: "x"}, "deliveryMethod": "online"},
                           timeout=portal.TIMEOUT)
    assert answer.status_code == 422, answer.text[:300]
    assert answer.headers.get("Content-Type", "").startswith("application/problem+json"), answer.headers
    assert answer.headers.get("X-Content-Type-Options") == "nosniff"
    assert any(key in s for s in _strings(answer.json())), f"the problem does not name the field as a string: {answer.text}"


def _strings(doc) -> list[str]:
    if isinstance(doc, str):
        return [doc]
    if isinstance(doc, dict):
        return [s for v in doc.values() for s in _strings(v)]
    if isinstance(doc, list):
        return [s for v in doc for s in _strings(v)]
    return []


def test_file_names_in_download_headers_stay_one_quoted_parameter(server, individual):
    dossier = portal.api_dossier(server.url, individual.token, individual.filed).json()
    for file in dossier["files"]:
        answer = individual.client.get_page(f"/ho-so/{individual.filed}/tep-dinh-kem/{file['id']}")
        assert answer.status_code == 200
        disposition = answer.headers["Content-Disposition"]
        assert "\r" not in disposition and "\n" not in disposition
        m = re.fullmatch(r'attachment; filename="([^"\\]*)"; filename\*=UTF-8\'\'([A-Za-z0-9%._-]*)', disposition)
        assert m, f"Content-Disposition {disposition!r}"
        assert urllib.parse.unquote(m.group(2)) == file["displayName"]
        assert answer.headers.get("X-Content-Type-Options") == "nosniff"


# ---------------------------------------------------------------------------------------------
# Public pages: lookup, search, sign-in (reflected), and the lookup of a dossier full of payloads
# ---------------------------------------------------------------------------------------------


def test_lookup_reflects_the_code_as_text(server):
    client = portal.Client(server.url)
    raw = "\"><SVG ONLOAD=ALERT(1)><SCRIPT>ALERT(1)</SCRIPT>{{7*7}}"
    answer = client.get_page("/tra-cuu?" + urllib.parse.urlencode({"ma": raw}))
    assert answer.status_code == 400, portal.describe(answer)
    assert_inert(answer.text, "/tra-cuu?ma=payload", shown=[raw])


def test_lookup_of_a_payload_dossier_shows_no_personal_data(server, individual):
    client = portal.Client(server.url)
    html_text = page(client, "/tra-cuu?ma=" + individual.filed_code)
    assert_inert(html_text, "/tra-cuu of the payload dossier", shown=[individual.filed_code])
    for marker in ("q01", "q02", "q03", "q10", "q11", "q12", "q13"):
        assert marker not in html_text, f"the public lookup shows the applicant's data ({marker})"


def test_catalog_search_reflects_the_query_as_text(server):
    query = long_payload("q48")
    assert_inert(page(portal.Client(server.url), "/thu-tuc?" + urllib.parse.urlencode({"q": query})),
                 "/thu-tuc?q=payload", shown=[query])


def test_sign_in_page_reflects_next_and_email_as_text(server):
    client = portal.Client(server.url)
    answer = client.get_page("/dang-nhap?" + urllib.parse.urlencode({"next": "/\"><script>alert(1)</script>"}))
    assert answer.status_code == 200
    assert_inert(answer.text, "/dang-nhap?next=payload")
    email = email_payload("q49")
    failed = client.post_form("/dang-nhap", {"email": email, "password": "sai-mat-khau-1", "next": "javascript:alert(1)"})
    assert failed.status_code == 401, portal.describe(failed)
    assert_inert(failed.text, "/dang-nhap failed", shown=[email])


def test_sign_in_never_redirects_to_a_script_url(server, individual):
    for target in ("javascript:alert(1)", "//evil.example/", "/\\evil.example", " javascript:alert(1)"):
        client = portal.Client(server.url)
        answer = client.post_form("/dang-nhap", {"email": individual.account.email, "password": individual.account.password,
                                                 "next": target})
        assert answer.status_code == 303
        assert answer.headers["Location"] == "/tai-khoan", f"next={target!r} -> Location {answer.headers['Location']!r}"


def test_not_found_page_reflects_the_path_inertly(server):
    answer = portal.Client(server.url).get_page("/khong-co/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert answer.status_code == 404
    assert_inert(answer.text, "404 page of a payload path")


# ---------------------------------------------------------------------------------------------
# Administration: staff created by an agency administrator, the outbox
# ---------------------------------------------------------------------------------------------


def test_staff_page_shows_payload_name_and_email_as_text(staff_client, payload_staff):
    assert_inert(payload_staff.created_page, "/quan-tri/can-bo right after creating", shown=[payload_staff.email])
    html_text = page(staff_client("quantri.h06"), "/quan-tri/can-bo")
    assert_inert(html_text, "/quan-tri/can-bo", shown=[payload_staff.name, payload_staff.email])


@pytest.mark.parametrize("email", ['a"b@x.vn', "a;b@x.vn"])
def test_staff_email_with_cookie_breaking_characters_is_refused_or_shown(email):
    """The staff page hands the new account's e-mail and password to the next page in a cookie. An
    address the e-mail check lets through but a cookie cannot carry must be refused (422) or shown,
    never take the server down. Own server: a crash must not take the rest of the suite with it."""
    with running_server("motcua-security-cookie.") as own:
        login = read_demo_logins(own).by_prefix("quantri.h06")
        agency_admin = portal.sign_in(own.url, login.email, login.password)
        try:
            answer = agency_admin.post_form("/quan-tri/can-bo", {"name": "Cán bộ A", "email": email, "role": "receptionist"})
        except requests.ConnectionError as e:
            answer = e
        time.sleep(0.5)
        assert own.alive(), f"creating a staff account with the e-mail {email!r} stopped the server:\n" + crash_summary(own)
        assert not isinstance(answer, Exception), f"no answer: {answer}"
        assert answer.status_code in (303, 422), portal.describe(answer)
        if answer.status_code == 303:
            shown = agency_admin.get_page("/quan-tri/can-bo")
            assert email in html.unescape(shown.text) and re.search(r'<code class="token">[^<]+</code>', shown.text), \
                f"the new account's password is not shown once: {portal.describe(shown)}"


def crash_summary(server) -> str:
    """The crash line and the portal's own frames of a server's crash report."""
    lines = server.log.read_text(errors="replace").splitlines()
    keep = [line.strip() for line in lines if "crashed" in line or "Fatal error" in line
            or ("/Sources/MotCua/" in line and " in motcua at " in line) or "Cookie.swift" in line]
    return "\n".join(keep[:10]) or server.tail(15)


def test_staff_form_with_errors_reflects_payloads_as_text(staff_client):
    answer = staff_client("quantri.h06").post_form("/quan-tri/can-bo", {
        "name": short_payload("q50"), "email": email_payload("q51"), "role": "\"><script>alert(1)</script>"})
    assert answer.status_code == 422, portal.describe(answer)
    assert_inert(answer.text, "/quan-tri/can-bo refused", shown=[short_payload("q50"), email_payload("q51")])


def test_payload_staff_sees_its_name_as_text(server, payload_staff):
    client = portal.sign_in(server.url, payload_staff.email, payload_staff.password)
    assert_inert(page(client, "/tai-khoan"), "/tai-khoan of the payload staff", shown=[payload_staff.name])


def test_outbox_shows_recipients_subjects_and_bodies_as_text(admin, individual, organization):
    html_text = page(admin, "/quan-tri/thu-dien")
    # The verification mails: recipient (q02), greeting with the name (q01, q20).
    assert_inert(html_text, "/quan-tri/thu-dien",
                 shown=[individual.account.email, individual.account.name, organization.account.name])
