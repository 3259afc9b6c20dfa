"""The stored payloads in a real browser: Debian's Chromium loads each page that shows them, signed in as
whoever sees it. No alert may open (driver.switch_to.alert raises NoAlertPresentException), the DOM the
browser built holds no element or handler a payload introduced, and the payload is on the page as text.

The page's CSP is bypassed (Page.setBypassCSP, checked by the first test): with it, the CSP alone would
stop an injected inline script, and this check must see the escaping itself. The CSP header is asserted
on every page by test_stored_xss.py.
"""

from __future__ import annotations

import time
import urllib.parse

import pytest
from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException
from selenium.webdriver.common.by import By

import portal
from inert import long_payload, short_payload, shown_file_name
from stored import INDIVIDUAL_DOSSIER, ORGANIZATION_DOSSIER
from stored_backoffice import NOTES, RESULT_FILES
from test_polyglot import PDF_HTML, PROCEDURE as ANY_FORMAT_PROCEDURE

pytestmark = pytest.mark.browser

# Elements and attributes the portal never uses and a payload would bring (the browser's own parser).
_INJECTED_JS = r"""
const found = [];
for (const el of document.querySelectorAll('*')) {
  const tag = el.tagName.toLowerCase();
  if (tag === 'script' && !el.src) found.push('inline script: ' + el.textContent.slice(0, 60));
  const ownQR = tag === 'svg' && el.getAttribute('class') === 'lookup-qr';  // the slips' QR code, drawn by the portal
  if (['svg', 'iframe', 'object', 'embed', 'math', 'frame', 'base'].includes(tag) && !ownQR) found.push('element ' + tag);
  if (tag === 'img' && el.getAttribute('src') === 'x') found.push('img src=x');
  for (const a of el.attributes) {
    if (a.name.startsWith('on')) found.push(a.name + ' on ' + tag);
    if (['href', 'src', 'action', 'formaction'].includes(a.name) &&
        a.value.replace(/[\s\x00-\x1f]/g, '').toLowerCase().startsWith('javascript:')) found.push('javascript: URL in ' + a.name + ' of ' + tag);
  }
}
return found;
"""
_TEXT_JS = r"""
return document.documentElement.textContent + '\n' +
  [...document.querySelectorAll('input, textarea')].map(e => e.value).join('\n');
"""


def _sign_in(driver, server, client: portal.Client | None) -> None:
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    for cookie in (client.cookies if client is not None else []):
        driver.execute_cdp_cmd("Network.setCookie", {"name": cookie.name, "value": cookie.value, "domain": server.host,
                                                     "path": cookie.path or "/", "httpOnly": True, "sameSite": "Lax"})


def _alert_text(driver) -> str | None:
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return None
    text = alert.text
    alert.dismiss()
    return text


def check_page(driver, what: str, shown: list[str] = ()) -> None:
    """The page now loaded: no alert (after giving images time to fail), nothing injected, payloads as text."""
    time.sleep(0.6)
    alert = _alert_text(driver)
    assert alert is None, f"{what} ({driver.current_url}): an alert opened: {alert!r}"
    injected = driver.execute_script(_INJECTED_JS)
    assert not injected, f"{what} ({driver.current_url}): injected into the DOM: {injected}"
    text = driver.execute_script(_TEXT_JS)
    missing = [s[:50] for s in shown if s not in text]
    assert not missing, f"{what} ({driver.current_url}): not shown as text: {missing}"


def load(driver, server, client: portal.Client | None, path: str, what: str, shown: list[str] = ()) -> None:
    _sign_in(driver, server, client)
    try:
        driver.get(server.url + path)
    except UnexpectedAlertPresentException as e:
        pytest.fail(f"{what} ({path}): an alert opened while loading: {e.alert_text!r}")
    check_page(driver, what, shown)


def submit_in_browser(driver, form_selector: str, values: dict[str, str], what: str) -> None:
    """Fills the form's fields by name with values (no typing: payloads have characters keyboards lack),
    turns the browser's own checks off (as a client without them) and submits it."""
    form = driver.find_element(By.CSS_SELECTOR, form_selector)
    driver.execute_script("""
        const [form, values] = arguments;
        form.noValidate = true;
        for (const [name, value] of Object.entries(values)) {
          const el = form.elements.namedItem(name);
          if (el instanceof RadioNodeList) { for (const r of el) r.checked = r.value === value; }
          else if (el) el.value = value;
        }
    """, form, values)
    old = driver.find_element(By.TAG_NAME, "html")
    try:
        driver.execute_script("arguments[0].requestSubmit()", form)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                old.is_enabled()
            except Exception:  # noqa: BLE001  stale: the new page is there
                break
            time.sleep(0.1)
    except UnexpectedAlertPresentException as e:
        pytest.fail(f"{what}: an alert opened: {e.alert_text!r}")


def test_browser_check_sees_through_the_csp(driver, server):
    """Sanity: with the CSP bypassed an inline script runs, so an escaping failure would show as an alert."""
    driver.get(server.url + "/")
    ran = driver.execute_script("""
        const s = document.createElement('script'); s.textContent = 'window.__inline = 1;';
        document.body.appendChild(s); return window.__inline === 1;""")
    assert ran, "inline scripts still blocked: Page.setBypassCSP had no effect"


def test_citizen_pages_in_the_browser(driver, server, individual):
    load(driver, server, individual.client, "/tai-khoan", "/tai-khoan",
         [individual.account.name, individual.account.email, individual.address, individual.user_agent[:80],
          individual.token_name])
    spec = INDIVIDUAL_DOSSIER
    load(driver, server, individual.client, f"/ho-so/{individual.filed}", "/ho-so/{id}",
         [spec["summary"], spec["address"], *spec["values"].values(), shown_file_name(spec["page_file"]),
          shown_file_name(spec["api_file"])])
    load(driver, server, individual.client, f"/ho-so/{individual.withdrawn}", "/ho-so/{id} withdrawn",
         [spec["withdraw_reason"]])
    load(driver, server, individual.client, "/ho-so", "/ho-so")


def test_organization_pages_in_the_browser(driver, server, organization):
    load(driver, server, organization.client, "/tai-khoan", "/tai-khoan (organization)",
         [organization.account.name, organization.address])
    spec = ORGANIZATION_DOSSIER
    load(driver, server, organization.client, f"/ho-so/{organization.filed}", "/ho-so/{id} (textarea field)",
         [spec["summary"], spec["address"], *spec["values"].values(), shown_file_name(spec["page_file"])])


def test_administration_pages_in_the_browser(driver, server, admin, staff_client, individual, payload_staff):
    load(driver, server, admin, "/quan-tri/thu-dien", "/quan-tri/thu-dien",
         [individual.account.email, individual.account.name])
    load(driver, server, staff_client("quantri.h06"), "/quan-tri/can-bo", "/quan-tri/can-bo",
         [payload_staff.name, payload_staff.email])


def test_reflected_values_in_the_browser(driver, server):
    code = "\"><SVG ONLOAD=ALERT(1)><SCRIPT>ALERT(1)</SCRIPT>"
    load(driver, server, None, "/tra-cuu?" + urllib.parse.urlencode({"ma": code}), "/tra-cuu?ma=payload", [code])
    query = long_payload("q70")
    load(driver, server, None, "/thu-tuc?" + urllib.parse.urlencode({"q": query}), "/thu-tuc?q=payload", [query])


def test_registration_form_with_errors_in_the_browser(driver, server):
    load(driver, server, None, "/dang-ky", "/dang-ky")
    values = {"full_name": short_payload("q71"), "citizen_id": "1", "email": long_payload("q72"),
              "address": long_payload("q73"), "password": "Hoa-sen-no-2026", "password_confirmation": "khac"}
    submit_in_browser(driver, "form[action='/dang-ky']", values, "/dang-ky with errors")
    check_page(driver, "/dang-ky with errors", [values["full_name"], values["email"], values["address"]])


def test_dossier_start_form_with_errors_in_the_browser(driver, server, individual):
    path = portal.procedure_path(portal.INDIVIDUAL_PROCEDURE) + "/nop-ho-so"
    load(driver, server, individual.client, path, "start form")
    values = {"request_summary": long_payload("q74"), "f_exam_position": long_payload("q75"),
              "f_recruiting_agency": long_payload("q76"), "delivery_method": "post", "delivery_address": ""}
    submit_in_browser(driver, "main form[action$='/nop-ho-so']", values, "start form with errors")
    check_page(driver, "start form with errors",
               [values["request_summary"], values["f_exam_position"], values["f_recruiting_agency"]])


def test_polyglot_download_is_not_rendered(driver, server, citizen_factory):
    """Opening the download link of a PDF/HTML polyglot saves it; the browser never runs its script."""
    _, client = citizen_factory(organization=True)
    dossier = portal.start_dossier(client, ANY_FORMAT_PROCEDURE, summary="x", delivery="desk",
                                   values={"awardee": "Tập thể A", "achievement_date": "2025-03-15"})
    answer = portal.upload_page(client, dossier, 3, "da-dinh-dang.pdf", PDF_HTML)
    if answer.status_code == 415:
        return
    assert answer.status_code == 303, portal.describe(answer)
    page = client.get_page(f"/ho-so/{dossier}")
    link = next(part.split('"', 1)[0] for part in page.text.split('href="')[1:] if "/tep-dinh-kem/" in part.split('"', 1)[0])
    for old in driver.downloads.iterdir():
        old.unlink()
    load(driver, server, client, f"/ho-so/{dossier}", "dossier with the polyglot")
    driver.get(server.url + link)
    check_page(driver, "after opening the polyglot's link")
    assert "alert(document.domain)" not in (driver.page_source or ""), "the browser shows the polyglot as a page"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(p.suffix == ".pdf" for p in driver.downloads.iterdir()):
        time.sleep(0.2)
    saved = [p.name for p in driver.downloads.iterdir()]
    assert any(name.endswith(".pdf") for name in saved), f"the polyglot was not saved as a download: {saved}"


# ---------------------------------------------------------------------------------------------
# Back office (contract: /tmp/backoffice-contract.md)
# ---------------------------------------------------------------------------------------------


@pytest.mark.backoffice
def test_back_office_pages_in_the_browser(driver, server, backoffice, individual, organization, staff_client):
    staff = staff_client("tiepnhan.h06")
    spec = INDIVIDUAL_DOSSIER
    load(driver, server, staff, "/mot-cua", "/mot-cua", [individual.account.name])
    load(driver, server, staff, f"/mot-cua/ho-so/{individual.filed}", "/mot-cua/ho-so/{id}",
         [individual.account.name, individual.account.email, spec["summary"], *spec["values"].values(),
          shown_file_name(spec["page_file"]), NOTES["requestSupplement"], NOTES["supplement"],
          shown_file_name(RESULT_FILES["api"])])
    load(driver, server, staff, f"/mot-cua/ho-so/{individual.filed}/phieu-tiep-nhan", "receipt slip",
         [individual.account.name])
    load(driver, server, staff_client("tiepnhan.h52"), f"/mot-cua/ho-so/{organization.filed}", "/mot-cua/ho-so/{id} (Sơn La)",
         [organization.account.name, *ORGANIZATION_DOSSIER["values"].values()])


@pytest.mark.backoffice
def test_staff_notes_in_the_citizens_browser(driver, server, backoffice, individual):
    load(driver, server, individual.client, f"/ho-so/{individual.filed}", "/ho-so/{id} returned",
         [NOTES["requestSupplement"], NOTES["supplement"], shown_file_name(RESULT_FILES["api"]),
          shown_file_name(RESULT_FILES["page"])])
    load(driver, server, individual.client, f"/ho-so/{backoffice.refused}", "/ho-so/{id} refused", [NOTES["refuse"]])
    load(driver, server, individual.client, f"/ho-so/{backoffice.stopped}", "/ho-so/{id} stopped", [NOTES["stop"]])
