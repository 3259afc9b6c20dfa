"""Helpers shared by the browser journeys: the page types of the portal and small wait/keyboard tools.

Add a page type to PAGES when a feature brings one (account pages, dossier pages, …): the
accessibility, keyboard and phone-width checks then cover it without further code.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 10  # seconds for anything the page should do

REPO = Path(__file__).resolve().parents[2]
# Screenshots etc. of failed tests; .build/ is ignored by git.
ARTIFACTS = Path(os.environ.get("MOTCUA_BROWSER_ARTIFACTS") or REPO / ".build" / "browser-artifacts")


def artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", nodeid).strip("_")[:150]

# A procedure of the demo catalog that has every tab filled, including downloadable templates.
PROCEDURE = "/thu-tuc/000.00.08.H06/1.005384"
AGENCY = "000.00.08.H06"  # the agency of PROCEDURE, whose back office the staff below work in
AGENCY_NAME = "Sở Nội vụ tỉnh Bắc Kạn"
PROCEDURE_URL_RE = re.compile(r"/thu-tuc/[^/?#]+/[^/?#]+(\?.*)?$")
TABS = [  # (visible name, ?tab= value)
    ("Thông tin chung", None),
    ("Quy trình", "quy-trinh"),
    ("Hồ sơ cần thiết", "ho-so"),
    ("Căn cứ pháp lý", "can-cu"),
    ("Biểu mẫu", "bieu-mau"),
    ("Câu hỏi thường gặp", "hoi-dap"),
]


# A minimal valid PDF: enough for the portal's content check (it looks at the bytes, not the name).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The code of a submitted dossier: agency code, YYMMDD (Vietnam time), a 4-digit number.
DOSSIER_CODE_RE = re.compile(r"\b(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4})\b")


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str
    name: str = ""


# The units of AGENCY that the process of PROCEDURE names (the demo data makes them).
DESK_UNIT = "Bộ phận tiếp nhận và trả kết quả"
PROCESSING_UNIT = "Phòng Công chức, viên chức"
LEADERSHIP_UNIT = "Lãnh đạo Sở"

# Staff of AGENCY that the session makes with `motcua create-user --unit` (conftest's `staff` fixture), by the
# work they do: a receptionist at the desk, a processor of PROCESSING_UNIT, the head of that unit (a processor
# the agency admin makes its head) and a leader.
STAFF = {
    "receptionist": Credentials("tiep.nhan.kiem.thu@bac-kan.example.vn", "Tiep-nhan-2026-kt", "Lê Thị Tiếp Nhận"),
    "processor": Credentials("chuyen.vien.kiem.thu@bac-kan.example.vn", "Chuyen-vien-2026-kt", "Phạm Văn Chuyên Viên"),
    "head": Credentials("truong.phong.kiem.thu@bac-kan.example.vn", "Truong-phong-2026-kt", "Hoàng Văn Trưởng Phòng"),
    "leader": Credentials("lanh.dao.kiem.thu@bac-kan.example.vn", "Lanh-dao-2026-kt", "Đỗ Thị Lãnh Đạo"),
}
# (role for `motcua create-user`, unit) of each of STAFF; the head is made the head of its unit afterwards.
STAFF_PLACES = {
    "receptionist": ("receptionist", DESK_UNIT),
    "processor": ("processor", PROCESSING_UNIT),
    "head": ("processor", PROCESSING_UNIT),
    "leader": ("leader", LEADERSHIP_UNIT),
}


@dataclass(frozen=True)
class PageType:
    id: str
    path: str
    # CSS selector that exists only when the page is really this page type (so a check never passes
    # on the wrong page, e.g. an error page).
    proof: str
    h1: str | None = None  # text the h1 must contain
    # Pages behind a login: who is signed in ("citizen", "agency_admin", "system_admin", "receptionist",
    # "processor", "head", "leader": the keys of the `users` fixture). The checks take the fixture `sign_in_as` for these.
    user: str | None = None
    # Something to do after loading path, to reach the state to check (e.g. submit a form with errors).
    then: Callable[[WebDriver], None] | None = field(default=None, compare=False, repr=False)
    # A session fixture that makes what the page shows (e.g. "citizen_dossiers"); its .values() fill the
    # {placeholders} of path, e.g. "/ho-so/{draft_id}".
    setup: str | None = None


PAGES = [
    PageType("home", "/", "form.search-form #tu-khoa", "Dịch vụ công trực tuyến"),
    PageType("list", "/thu-tuc", ".procedure-item .procedure-title a", "Danh mục thủ tục hành chính"),
    PageType("list-search", "/thu-tuc?q=nang+bac+luong", ".procedure-item .procedure-title a"),
    PageType("list-filtered", "/thu-tuc?agency=000.00.07.H52&field=tien-luong&level=full",
             ".procedure-item .procedure-title a"),
    PageType("list-no-results", "/thu-tuc?q=khongcothutucnaonhuvay", ".result-count"),
    PageType("list-page-2", "/thu-tuc?page=2",
             'nav[aria-label="Phân trang"] [aria-current="page"]'),
    *[
        PageType(f"procedure-{value or 'thong-tin-chung'}",
                 PROCEDURE + (f"?tab={value}" if value else ""),
                 'nav.tabs a[aria-current="page"]', "Thủ tục thi tuyển công chức")
        for _, value in TABS
    ],
    PageType("not-found", "/khong-co-trang-nay", ".error-page", "Không tìm thấy trang"),
    # Accounts
    PageType("register-individual", "/dang-ky", "form[action='/dang-ky'] #citizen-id", "Đăng ký tài khoản"),
    PageType("register-organization", "/dang-ky?loai=to-chuc", "form[action='/dang-ky'] #tax-code",
             "Đăng ký tài khoản"),
    PageType("register-with-errors", "/dang-ky", ".has-error .field-error", "Đăng ký tài khoản",
             then=lambda d: submit_register_with_errors(d)),
    PageType("sign-in", "/dang-nhap", "form[action='/dang-nhap'] #password", "Đăng nhập"),
    PageType("forgot-password", "/quen-mat-khau", "form[action='/quen-mat-khau'] #email", "Quên mật khẩu"),
    PageType("account", "/tai-khoan", "form[action='/dang-xuat']", "Tài khoản của bạn", user="citizen"),
    PageType("staff-admin", "/quan-tri/can-bo", "form[action='/quan-tri/can-bo'] #vai-tro",
             "Cán bộ của Sở Nội vụ tỉnh Sơn La", user="agency_admin"),
    PageType("outbox", "/quan-tri/thu-dien", ".data-table", "Hộp thư đi", user="system_admin"),
    PageType("notice-templates", "/quan-tri/mau-thong-bao", ".data-table", "Mẫu thông báo", user="system_admin"),
    PageType("notice-template", "/quan-tri/mau-thong-bao/tiep-nhan", "form textarea#mail_body",
             "Tiếp nhận hồ sơ và hẹn trả kết quả", user="system_admin"),
    PageType("units-admin", "/quan-tri/don-vi", "main form select[name=head]", "Đơn vị của Sở Nội vụ tỉnh Sơn La",
             user="agency_admin"),
    # Dossiers (the citizen's own come from the citizen_dossiers fixture: a draft and a submitted one)
    PageType("dossier-start", PROCEDURE + "/nop-ho-so", "form textarea[name=request_summary]",
             "Nộp hồ sơ trực tuyến", user="citizen"),
    PageType("dossier-start-with-errors", PROCEDURE + "/nop-ho-so", ".has-error .field-error",
             "Nộp hồ sơ trực tuyến", user="citizen", then=lambda d: submit_dossier_with_errors(d)),
    PageType("dossier-draft", "/ho-so/{draft_id}", ".document-slot form[enctype='multipart/form-data'] input[type=file]",
             "Hồ sơ nháp", user="citizen", setup="citizen_dossiers"),
    PageType("dossier-submitted", "/ho-so/{submitted_id}", "form[action$='/rut'] #ly-do", "Hồ sơ 000.00.08.H06-",
             user="citizen", setup="citizen_dossiers"),
    PageType("dossier-review", "/ho-so/{ready_id}/xem-lai", "main form[action$='/nop'] button[type=submit]",
             "Xem lại hồ sơ trước khi nộp", user="citizen", setup="citizen_dossiers"),
    PageType("dossier-review-incomplete", "/ho-so/{draft_id}/xem-lai", "main .alert-error a[href^='/ho-so/']",
             "Xem lại hồ sơ trước khi nộp", user="citizen", setup="citizen_dossiers"),
    PageType("dossier-supplement-requested", "/ho-so/{supplement_id}",
             "form[action$='/bo-sung'] textarea[name=note]", "Hồ sơ 000.00.08.H06-", user="citizen",
             setup="backoffice_dossiers"),
    PageType("dossier-returned", "/ho-so/{returned_id}", "section[aria-labelledby=ket-qua] a[href*='/tep-dinh-kem/']",
             "Hồ sơ 000.00.08.H06-", user="citizen", setup="backoffice_dossiers"),
    PageType("my-dossiers", "/ho-so", ".data-table tbody tr", "Hồ sơ của tôi", user="citizen", setup="citizen_dossiers"),
    # Back office ("Một cửa"): the staff come from the `staff` fixture, the dossiers from backoffice_dossiers
    PageType("backoffice-list", "/mot-cua", ".data-table tbody tr a[href^='/mot-cua/ho-so/']", "Hồ sơ của cơ quan",
             user="receptionist", setup="backoffice_dossiers"),
    PageType("backoffice-dossier-registered", "/mot-cua/ho-so/{registered_id}",
             "form.action-form input[name=action][value=accept]", "Hồ sơ 000.00.08.H06-", user="receptionist",
             setup="backoffice_dossiers"),
    PageType("backoffice-dossier-note-missing", "/mot-cua/ho-so/{registered_id}",
             "form.action-form .has-error .field-error", "Hồ sơ 000.00.08.H06-", user="receptionist",
             setup="backoffice_dossiers", then=lambda d: submit_staff_action_without_note(d, "requestSupplement")),
    PageType("backoffice-dossier-processing", "/mot-cua/ho-so/{processing_id}",
             "form[action*='/ket-qua'] input[type=file][name=file]", "Hồ sơ 000.00.08.H06-", user="processor",
             setup="backoffice_dossiers"),
    PageType("backoffice-receipt-slip", "/mot-cua/ho-so/{processing_id}/phieu-tiep-nhan", "main .slip",
             "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", user="receptionist", setup="backoffice_dossiers"),
    # Processing with timed steps: the work lists' tabs, the forms of each holder, the read-only view, slip 05
    PageType("backoffice-queue-to-assign", "/mot-cua?hang-doi=cho-phan-cong",
             "nav.queue-tabs a[aria-current=page][href$='hang-doi=cho-phan-cong']", "Hồ sơ của cơ quan", user="head",
             setup="backoffice_dossiers"),
    PageType("backoffice-queue-to-approve", "/mot-cua?hang-doi=cho-phe-duyet",
             "nav.queue-tabs a[aria-current=page][href$='hang-doi=cho-phe-duyet']",
             "Hồ sơ của cơ quan", user="leader", setup="backoffice_dossiers"),
    PageType("backoffice-dossier-forward", "/mot-cua/ho-so/{processing_id}",
             "form.action-form input[name=action][value=forward] ~ .form-field select[name=to]", "Hồ sơ 000.00.08.H06-",
             user="processor", setup="backoffice_dossiers"),
    PageType("backoffice-dossier-assign", "/mot-cua/ho-so/{processing_id}",
             "form.action-form input[name=action][value=assign] ~ .form-field select[name=to][required]",
             "Hồ sơ 000.00.08.H06-", user="leader", setup="backoffice_dossiers"),
    PageType("backoffice-dossier-read-only", "/mot-cua/ho-so/{processing_id}",
             "section[aria-labelledby=tien-do] .info-list", "Hồ sơ 000.00.08.H06-", user="receptionist",
             setup="backoffice_dossiers"),
    PageType("backoffice-dossier-approval", "/mot-cua/ho-so/{approval_id}",
             "form.action-form input[name=action][value=finish]", "Hồ sơ 000.00.08.H06-", user="leader",
             setup="backoffice_dossiers"),
    PageType("backoffice-dossier-send-back-note-missing", "/mot-cua/ho-so/{approval_id}",
             "form.action-form .has-error .field-error", "Hồ sơ 000.00.08.H06-", user="leader",
             setup="backoffice_dossiers", then=lambda d: submit_staff_action_without_note(d, "sendBack")),
    PageType("backoffice-control-slip", "/mot-cua/ho-so/{returned_id}/phieu-kiem-soat", "main .slip table.handover-table",
             "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", user="receptionist", setup="backoffice_dossiers"),
    PageType("backoffice-paper-intake", "/mot-cua/tiep-nhan-ho-so-giay", "form[action='/mot-cua/tiep-nhan-ho-so-giay'] #thu-tuc",
             "Tiếp nhận hồ sơ giấy", user="receptionist"),
    PageType("backoffice-supplement-slip", "/mot-cua/ho-so/{supplement_id}/phieu-bo-sung/1", "main .slip .slip-qr svg",
             "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", user="receptionist", setup="backoffice_dossiers"),
    PageType("backoffice-tracking-book", "/mot-cua/so-theo-doi", "main .slip table.book-table", "SỔ THEO DÕI HỒ SƠ",
             user="receptionist", setup="backoffice_dossiers"),
    # Staff reports (issue 14): the desk's report per procedure, the leader's per officer with its hand-overs
    PageType("backoffice-report-procedures", "/mot-cua/bao-cao?loai=thu-tuc", "main .table-wrap table.data-table tbody tr",
             "Báo cáo theo thủ tục", user="receptionist", setup="backoffice_dossiers"),
    PageType("backoffice-report-officers", "/mot-cua/bao-cao?loai=can-bo", "main .table-wrap table.data-table tbody tr",
             "Báo cáo theo cán bộ", user="leader", setup="backoffice_dossiers"),
    # Questions and feedback: the public form (choose the agency, then ask) and the agency's list
    PageType("ask-choose-agency", "/hoi-dap", "form[action='/hoi-dap'] select#co-quan", "Gửi câu hỏi, góp ý"),
    PageType("ask", "/hoi-dap?co-quan=000.00.08.H06&thu-tuc=1.005384", "form[action='/hoi-dap'] textarea#body",
             "Gửi câu hỏi, góp ý"),
    PageType("ask-with-errors", "/hoi-dap?co-quan=000.00.08.H06&thu-tuc=1.005384", ".has-error .field-error",
             "Gửi câu hỏi, góp ý", then=lambda d: submit_question_with_errors(d)),
    PageType("staff-questions", "/mot-cua/hoi-dap", ".breadcrumb li[aria-current=page]", "Câu hỏi của người dân",
             user="receptionist"),
    PageType("staff-questions-agency-admin", "/mot-cua/hoi-dap", ".breadcrumb li[aria-current=page]",
             "Câu hỏi của người dân", user="agency_admin"),
    PageType("lookup", "/tra-cuu", "form[action='/tra-cuu'] #ma-ho-so", "Tra cứu hồ sơ"),
    PageType("lookup-found", "/tra-cuu?ma={code}", ".lookup-result .info-list", "Tra cứu hồ sơ", setup="citizen_dossiers"),
    PageType("lookup-not-found", "/tra-cuu?ma=000.00.07.H52-260101-9999", ".alert-error", "Tra cứu hồ sơ"),
]


def submit_register_with_errors(driver: WebDriver) -> None:
    """On /dang-ky: a CCCD of 5 digits and passwords that differ, submitted (the server answers 422)."""
    for field_id, value in (("full-name", "Nguyễn Văn Lỗi"), ("citizen-id", "12345"), ("phone", "0912345678"),
                            ("email", "loi@example.vn"), ("address", "1 Tô Hiệu, Sơn La"),
                            ("password", "Hoa-sen-no-2026"), ("password-confirmation", "Hoa-sen-no-2027")):
        driver.find_element(By.ID, field_id).send_keys(value)
    submit = driver.find_element(By.CSS_SELECTOR, "form[action='/dang-ky'] button[type=submit]")
    click_and_wait_for_new_page(driver, submit, "the register form with errors")


def submit_dossier_with_errors(driver: WebDriver) -> None:
    """On the start form of a dossier: nothing typed, delivery by post without an address, sent with the
    browser's own checks off (form.noValidate, as a browser without them would): the server answers 422
    with an error on every required field and on the address."""
    click(driver, driver.find_element(By.ID, "nhan-post"))
    form = driver.find_element(By.CSS_SELECTOR, "main form[action$='/nop-ho-so']")
    driver.execute_script("arguments[0].noValidate = true", form)
    click_and_wait_for_new_page(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"),
                                "the dossier form with errors")


def submit_question_with_errors(driver: WebDriver) -> None:
    """On the question form: no name and no question, sent (the form has novalidate): the server answers 400
    with an error on each, listed in the summary."""
    driver.find_element(By.ID, "name").clear()
    submit = driver.find_element(By.CSS_SELECTOR, "form[action='/hoi-dap'] button[type=submit]")
    click_and_wait_for_new_page(driver, submit, "the question form with errors")


def submit_staff_action_without_note(driver: WebDriver, action: str) -> None:
    """On a back-office dossier page: the form of `action` sent with its note empty and the browser's own
    checks off (form.noValidate): the server answers 422 with an error on the note."""
    form = driver.find_element(By.XPATH, f"//main//form[.//input[@name='action'][@value='{action}']]")
    driver.execute_script("arguments[0].noValidate = true", form)
    click_and_wait_for_new_page(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"),
                                f"the dossier after {action} without a note")


def open_page(driver: WebDriver, base_url: str, page: PageType,
              sign_in_as: Callable[[str], None] | None = None, values: dict | None = None) -> None:
    """Loads a page type (signed in as page.user first, when it has one) and checks it is really that page.
    values fill the {placeholders} of page.path (from the page's setup fixture)."""
    if page.user:
        assert sign_in_as is not None, f"{page.id} needs a signed-in {page.user}: pass the sign_in_as fixture"
        sign_in_as(page.user)
    path = page.path.format(**values) if values is not None else page.path
    driver.get(base_url + path)
    if page.then:
        page.then(driver)
    found = driver.find_elements(By.CSS_SELECTOR, page.proof)
    assert found, f"{page.id}: {path} has no {page.proof!r} (title: {driver.title!r})"
    if page.h1:
        h1 = driver.find_element(By.TAG_NAME, "h1").text
        assert page.h1 in h1, f"{page.id}: h1 is {h1!r}, expected it to contain {page.h1!r}"


def wait_until(driver: WebDriver, cond: Callable[[WebDriver], object], what: str, timeout: float = WAIT):
    return WebDriverWait(driver, timeout).until(cond, message=f"timed out after {timeout}s waiting for {what}")


def click(driver: WebDriver, element: WebElement) -> None:
    """Scrolls element to the middle of the window at once (the site scrolls smoothly, which makes
    WebDriver click where the element is not yet), then clicks it like a person."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def click_and_wait_for_new_page(driver: WebDriver, element: WebElement, what: str) -> None:
    """Clicks (or submits through) element and waits until the old document is gone."""
    old = driver.find_element(By.TAG_NAME, "html")
    click(driver, element)
    wait_until(driver, lambda d: _is_stale(old), what)
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete", what)


def press_and_wait_for_new_page(driver: WebDriver, key: str, what: str) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    ActionChains(driver).send_keys(key).perform()
    wait_until(driver, lambda d: _is_stale(old), what)
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete", what)


def _is_stale(element: WebElement) -> bool:
    try:
        element.is_enabled()
        return False
    except Exception:  # noqa: BLE001  StaleElementReferenceException, or the node went away
        return True


def result_count(driver: WebDriver) -> int:
    """The number in `.result-count` ("Tìm thấy <strong>5</strong> thủ tục"), 0 for the no-result text."""
    box = driver.find_element(By.CSS_SELECTOR, ".result-count")
    strong = box.find_elements(By.TAG_NAME, "strong")
    if not strong:
        return 0
    return int(re.sub(r"\D", "", strong[0].text))


def shown_range(driver: WebDriver) -> tuple[int, int] | None:
    """(first, last) of "đang hiển thị 1–10" in `.result-count`, None when it is not there."""
    text = driver.find_element(By.CSS_SELECTOR, ".result-count").text
    m = re.search(r"(\d+)\s*[–-]\s*(\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def result_links(driver: WebDriver) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, ".procedure-item .procedure-title a")


# --- keyboard -------------------------------------------------------------------------------

# Describes document.activeElement: what it is, whether it shows a focus indicator, where it is.
_ACTIVE_JS = r"""
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const cs = getComputedStyle(el);
const r = el.getBoundingClientRect();
const inViewport = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
                   r.top < innerHeight && r.left < innerWidth;
// Not hidden under something else (a sticky header, a banner): the middle of its first line box
// must hit the element itself or something inside it.
let obscuredBy = null;
const box = el.getClientRects()[0];
if (inViewport && box) {
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) {
    obscuredBy = hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') +
                 (typeof hit.className === 'string' && hit.className ? '.' + hit.className.trim().split(/\s+/).join('.') : '');
  }
}
const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
const shadow = cs.boxShadow && cs.boxShadow !== 'none';
let text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
return {
  idx: el.getAttribute('data-kb-idx'),
  tag: el.tagName.toLowerCase(), id: el.id, cls: el.className || '',
  text: text.slice(0, 60), href: el.getAttribute('href'),
  focusVisible: el.matches(':focus-visible'),
  indicator: outline || !!shadow,
  inViewport, obscuredBy,
};
"""

# Marks every element a keyboard user should be able to reach, returns how many there are.
_MARK_FOCUSABLE_JS = r"""
const sel = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), ' +
            'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
const out = [];
document.querySelectorAll(sel).forEach((el) => {
  if (el.getAttribute('tabindex') === '-1') return;
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || cs.display === 'none' || el.closest('[hidden],[inert]')) return;
  if (!el.getClientRects().length) return;
  // A group of radio buttons is one Tab stop: the checked one, or the first when none is checked
  // (the arrow keys move inside the group).
  if (el.type === 'radio' && el.name) {
    const group = Array.from((el.form || document).querySelectorAll('input[type=radio]'))
      .filter((r) => r.name === el.name && !r.disabled);
    if (el !== (group.find((r) => r.checked) || group[0])) return;
  }
  el.setAttribute('data-kb-idx', String(out.length));
  let text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
  out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + JSON.stringify(text.slice(0, 50)));
});
return out;
"""


def describe(active: dict | None) -> str:
    if active is None:
        return "<body>"
    ident = active["tag"] + (f"#{active['id']}" if active["id"] else "")
    if active["cls"]:
        ident += "." + ".".join(str(active["cls"]).split())
    return f"{ident} {active['text']!r}"


def active(driver: WebDriver) -> dict | None:
    return driver.execute_script(_ACTIVE_JS)


def tab(driver: WebDriver, shift: bool = False) -> dict | None:
    chain = ActionChains(driver)
    if shift:
        chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
    else:
        chain.send_keys(Keys.TAB)
    chain.perform()
    # The page scrolls smoothly (scroll-behavior: smooth) to a newly focused element: give it time.
    now = active(driver)
    deadline = time.monotonic() + 2
    while now is not None and not (now["inViewport"] and not now["obscuredBy"]) and time.monotonic() < deadline:
        time.sleep(0.05)
        now = active(driver)
    return now


def mark_focusable(driver: WebDriver) -> list[str]:
    return driver.execute_script(_MARK_FOCUSABLE_JS)


def wait_for_file(directory: Path, timeout: float = 20) -> Path:
    """Waits until Chromium has finished one download into directory and returns it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in directory.iterdir()
                if p.is_file() and not p.name.endswith((".crdownload", ".tmp")) and not p.name.startswith(".")]
        partial = [p for p in directory.iterdir() if p.name.endswith(".crdownload")]
        if done and not partial:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no finished download in {directory} after {timeout}s: {sorted(p.name for p in directory.iterdir())}")


# --- forms and accounts ---------------------------------------------------------------------


def response_status(driver: WebDriver) -> int | None:
    """HTTP status of the document now shown (Navigation Timing; Chromium ≥ 109), None if unknown."""
    status = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : null")
    return int(status) if status else None


def type_date(element: WebElement, iso: str) -> None:
    """Types an ISO date (YYYY-MM-DD) into an <input type=date> like a person, in the browser's
    day/month/year order, and checks that the input's value became that date."""
    year, month, day = iso.split("-")
    for order in ((day, month, year), (month, day, year), (year, month, day)):
        element.send_keys("".join(order))
        if element.get_attribute("value") == iso:
            return
        element.clear()
    raise AssertionError(f"could not type {iso} into the date input (value: {element.get_attribute('value')!r})")


def field_error(driver: WebDriver, input_id: str) -> str:
    """The `.field-error` text shown with the input (empty when none), checking that it is tied to the input
    (aria-invalid, aria-describedby) and sits in the same .form-field."""
    field = driver.find_element(By.ID, input_id)
    box = field.find_element(By.XPATH, "ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' form-field ')][1]")
    errors = box.find_elements(By.CSS_SELECTOR, ".field-error")
    if not errors:
        return ""
    err = errors[0]
    assert field.get_attribute("aria-invalid") == "true", f"#{input_id} shows an error but is not aria-invalid"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert err.get_attribute("id") and err.get_attribute("id") in described, \
        f"#{input_id}: its error {err.get_attribute('id')!r} is not in aria-describedby {described}"
    assert err.is_displayed(), f"#{input_id}: the error is not visible"
    return err.text


def header_link(driver: WebDriver, href: str) -> WebElement:
    """The link of the site header's navigation to href (e.g. "/ho-so", "/mot-cua")."""
    links = driver.find_elements(By.CSS_SELECTOR, f"header nav a[href='{href}']")
    assert links, f"no header link to {href} on {driver.current_url}"
    return links[0]


def sign_in_form(driver: WebDriver, email: str, password: str, what: str) -> None:
    """On /dang-nhap: types the address and password and submits; `what` names the page expected next."""
    assert h1(driver) == "Đăng nhập", main_text(driver)[:300]
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    submit = driver.find_element(By.CSS_SELECTOR, "main form[action='/dang-nhap'] button[type=submit]")
    click_and_wait_for_new_page(driver, submit, what)


def sign_out(driver: WebDriver) -> None:
    """Presses "Đăng xuất" in the header and checks the visitor is signed out."""
    out = driver.find_element(By.XPATH, "//header//form[@action='/dang-xuat']//button[normalize-space()='Đăng xuất']")
    click_and_wait_for_new_page(driver, out, "the page after signing out")
    assert driver.find_elements(By.CSS_SELECTOR, "header nav a[href='/dang-nhap']"), "still signed in after Đăng xuất"


def button(driver: WebDriver, text: str, scope: str = "main") -> WebElement:
    """The first button whose text is `text` inside `scope` (a tag name)."""
    found = driver.find_elements(By.XPATH, f"//{scope}//button[normalize-space()='{text}']")
    assert found, f"no button {text!r} on {driver.current_url}: {main_text(driver)[:400]}"
    return found[0]


def info(driver: WebDriver, label: str, scope: str = "//main") -> str:
    """The value of an info row (<dt>label</dt><dd>value</dd>) of a dl.info-list inside scope (an XPath)."""
    dds = driver.find_elements(By.XPATH, f"{scope}//dl[contains(@class,'info-list')]//dt[normalize-space()='{label}']"
                                         "/following-sibling::dd[1]")
    assert dds, f"no '{label}' on {driver.current_url}: {main_text(driver)[:600]}"
    return dds[0].text


def notice(driver: WebDriver) -> str:
    """The text of the page's success message (.alert-success), empty when there is none."""
    found = driver.find_elements(By.CSS_SELECTOR, "main .alert-success")
    return found[0].text if found else ""


def problem(driver: WebDriver) -> str:
    """The text of the page's error message (.alert-error), empty when there is none."""
    found = driver.find_elements(By.CSS_SELECTOR, "main .alert-error")
    return found[0].text if found else ""


def main_text(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def h1(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def table_rows(driver: WebDriver) -> dict[str, list[str]]:
    """The rows of the page's list of dossiers (main .data-table): {first cell, the code: [cells]}."""
    rows = {}
    for tr in driver.find_elements(By.CSS_SELECTOR, "main .data-table tbody tr"):
        cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        rows[cells[0]] = cells
    return rows


# What axe-core no longer checks (duplicate-id is gone from axe 4.7+) or checks by markup alone
# (label[for] matching an id, even when the browser ties the label to another element with that id).
_INTEGRITY_JS = r"""
const desc = (el) => '<' + el.tagName.toLowerCase() + (el.id ? ' id="' + el.id + '"' : '') +
  (el.name ? ' name="' + el.name + '"' : '') + '>';
const problems = [];
const first = new Map();
for (const el of document.querySelectorAll('[id]')) {
  if (!el.id) continue;
  if (first.has(el.id)) problems.push(`duplicate id "${el.id}": ${desc(first.get(el.id))} and ${desc(el)}`);
  else first.set(el.id, el);
}
for (const label of document.querySelectorAll('label[for]')) {
  if (!label.control) {
    const taken = first.get(label.htmlFor);
    problems.push(`<label for="${label.htmlFor}"> "${label.textContent.trim().replace(/\s+/g, ' ').slice(0, 50)}" labels no ` +
                  `control: the id belongs to ${taken ? desc(taken) : 'nothing'}`);
  }
}
const controls = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), ' +
                 'select, textarea';
for (const el of document.querySelectorAll(controls)) {
  if (!el.labels.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.title) {
    problems.push(`no label the browser ties to ${desc(el)}`);
  }
}
for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
  for (const el of document.querySelectorAll('[' + attr + ']')) {
    for (const ref of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
      if (!document.getElementById(ref)) problems.push(`${attr}="${ref}" of ${desc(el)} points at nothing`);
    }
  }
}
return problems;
"""


def markup_problems(driver: WebDriver) -> list[str]:
    """Duplicate ids, labels the browser ties to no control, unlabelled controls, ARIA references to nothing."""
    return driver.execute_script(_INTEGRITY_JS)


def assert_no_blocking_axe(driver: WebDriver, what: str) -> None:
    """axe-core WCAG 2.1 A/AA on the page now shown: no serious or critical violation."""
    from selenium_axe_python import Axe  # noqa: PLC0415  (only the journeys that check need it)

    axe = Axe(driver)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    blocking = [
        f"[{v['impact']}] {v['id']}: {v['help']} at " + ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        for v in results["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not blocking, f"{what} ({driver.current_url}): " + "; ".join(blocking)
