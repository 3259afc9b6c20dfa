"""Accounts: register, verify the address with the real mail, sign in and out, fix a form, reset a
forgotten password, an agency admin adds a staff member, and registering with the keyboard alone.

The server sends its mail over SMTP to a real sink (aiosmtpd, see conftest.py); the tests read the
delivered messages and open their links in the browser, as a person would.
"""

from __future__ import annotations

import re
import urllib.parse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from helpers import (
    active,
    assert_no_blocking_axe,
    click_and_wait_for_new_page,
    describe,
    field_error,
    h1,
    main_text,
    press_and_wait_for_new_page,
    response_status,
    tab,
    type_date,
)

PASSWORD = "Hoa-sen-no-2026"
CHECK_MAIL = "Kiểm tra hộp thư của bạn"
WRONG_LOGIN = "Thư điện tử hoặc mật khẩu không đúng."


# --- small steps ----------------------------------------------------------------------------


def _fill(browser, values: dict[str, str]) -> None:
    """Types into the fields by id (clearing them first); dates are typed segment by segment."""
    for field_id, value in values.items():
        el = browser.find_element(By.ID, field_id)
        el.clear()
        if el.get_attribute("type") == "date":
            type_date(el, value)
        else:
            el.send_keys(value)


def _submit(browser, form_action: str, what: str) -> None:
    button = browser.find_element(By.CSS_SELECTOR, f"main form[action='{form_action}'] button[type=submit]")
    click_and_wait_for_new_page(browser, button, what)


def _sign_in(browser, server, email: str, password: str) -> None:
    """From the header link "Đăng nhập", through the form."""
    browser.get(server.url + "/")
    link = browser.find_element(By.CSS_SELECTOR, "header nav a[href='/dang-nhap']")
    click_and_wait_for_new_page(browser, link, "the sign-in page")
    assert h1(browser) == "Đăng nhập"
    _fill(browser, {"email": email, "password": password})
    _submit(browser, "/dang-nhap", "the page after signing in")


def _header_account_link(browser):
    links = browser.find_elements(By.CSS_SELECTOR, "header nav a[href='/tai-khoan']")
    return links[0] if links else None


def _sign_out(browser) -> None:
    button = browser.find_element(By.XPATH, "//header//form[@action='/dang-xuat']//button[normalize-space()='Đăng xuất']")
    click_and_wait_for_new_page(browser, button, "the page after signing out")
    assert _header_account_link(browser) is None, "still signed in after pressing Đăng xuất"
    assert browser.find_elements(By.CSS_SELECTOR, "header nav a[href='/dang-nhap']"), "no Đăng nhập link after signing out"


def _info(browser, label: str) -> str:
    """The value of an info row (<dt>label</dt><dd>value</dd>) on the account page."""
    dds = browser.find_elements(By.XPATH, f"//dl[contains(@class,'info-list')]//dt[normalize-space()='{label}']/following-sibling::dd[1]")
    assert dds, f"no '{label}' on {browser.current_url}: {main_text(browser)[:400]}"
    return dds[0].text


def _same_origin(server, url: str) -> None:
    got, want = urllib.parse.urlsplit(url), urllib.parse.urlsplit(server.url)
    assert (got.scheme, got.netloc) == (want.scheme, want.netloc), \
        f"the mail links to {url}, not to this portal ({server.url}): MOTCUA_PUBLIC_URL is not used"


INDIVIDUAL = {
    "full-name": "Lường Văn Hùng",
    "citizen-id": "014090001234",
    "date-of-birth": "1990-05-17",
    "phone": "0912345678",
    "email": "luong.van.hung@example.vn",
    "address": "Bản Hụm, xã Chiềng Ngần, thành phố Sơn La",
    "password": PASSWORD,
    "password-confirmation": PASSWORD,
}


# --- (a) register, verify with the real mail, sign in, sign out -------------------------------


def test_register_verify_by_mail_sign_in_and_out(browser, server, mailbox):
    # 1. From the header, to the register form; type every field.
    browser.get(server.url + "/")
    click_and_wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "header nav a[href='/dang-ky']"),
                                "the register page")
    assert h1(browser) == "Đăng ký tài khoản"
    current = browser.find_element(By.CSS_SELECTOR, "nav.tabs a[aria-current='page']")
    assert current.text == "Cá nhân", f"the register page opens on {current.text!r}, not Cá nhân"
    _fill(browser, INDIVIDUAL)
    _submit(browser, "/dang-ky", "the check-your-mail page")

    # 2. Check your mail.
    assert h1(browser) == CHECK_MAIL, main_text(browser)[:400]
    assert INDIVIDUAL["email"] in main_text(browser)
    assert_no_blocking_axe(browser, "the check-your-mail page")

    # 3. The real mail arrives in the SMTP sink, in Vietnamese, with a link to this portal.
    mail = mailbox.wait_for(INDIVIDUAL["email"])
    assert "Xác thực" in mail.subject, mail.subject
    assert INDIVIDUAL["full-name"] in mail.text, f"the mail does not greet the person by name:\n{mail.text}"
    link = mail.link("/xac-thuc-email")
    _same_origin(server, link)
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query).get("ma"), link

    # 4. Open the link, press "Xác thực".
    browser.get(link)
    assert h1(browser) == "Xác thực địa chỉ thư điện tử"
    assert_no_blocking_axe(browser, "the verify page")
    button = browser.find_element(By.XPATH, "//main//button[normalize-space()='Xác thực']")
    click_and_wait_for_new_page(browser, button, "the page after verifying")
    assert "Đã xác thực địa chỉ thư điện tử" in main_text(browser), main_text(browser)[:400]

    # The link works once.
    browser.get(link)
    if browser.find_elements(By.XPATH, "//main//button[normalize-space()='Xác thực']"):
        click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Xác thực']"),
                                    "the page after verifying again")
    assert "Đã xác thực địa chỉ thư điện tử" not in main_text(browser), "a used verification link worked again"
    assert "không còn hiệu lực" in main_text(browser), main_text(browser)[:300]

    # 5. Sign in: the account page, verified.
    _sign_in(browser, server, INDIVIDUAL["email"], PASSWORD)
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan", browser.current_url
    assert h1(browser) == "Tài khoản của bạn"
    assert _info(browser, "Xác thực thư điện tử") == "Đã xác thực"
    assert _info(browser, "Thư điện tử") == INDIVIDUAL["email"]
    assert _info(browser, "Số CCCD") == INDIVIDUAL["citizen-id"]
    assert _info(browser, "Ngày sinh") == "17/05/1990"
    account = _header_account_link(browser)
    assert account is not None and INDIVIDUAL["full-name"] in account.text, "the header does not show who is signed in"
    assert not browser.find_elements(By.XPATH, "//main//*[normalize-space()='Gửi lại thư xác thực']"), \
        "a verified account is still asked to verify"
    sessions = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(sessions) == 1 and "phiên này" in sessions[0].text, [r.text for r in sessions]

    # 6. Sign out with the header button: signed out, and the account page asks to sign in again.
    _sign_out(browser)
    browser.get(server.url + "/tai-khoan")
    assert urllib.parse.urlsplit(browser.current_url).path == "/dang-nhap", \
        f"/tai-khoan after signing out went to {browser.current_url}"


# --- (b) form errors shown next to the fields, values kept, then fixed ------------------------


def test_register_errors_are_shown_next_to_the_fields_and_values_are_kept(browser, server, mailbox):
    person = dict(INDIVIDUAL, **{
        "full-name": "Cầm Thị Lan", "email": "cam.thi.lan@example.vn", "phone": "0987654321",
        "citizen-id": "01409000", "password-confirmation": PASSWORD + "x",
    })
    browser.get(server.url + "/dang-ky")
    _fill(browser, person)
    _submit(browser, "/dang-ky", "the register form with errors")

    # Still the form, answered 422, with a summary and each message next to its field.
    assert h1(browser) == "Đăng ký tài khoản", main_text(browser)[:300]
    status = response_status(browser)
    assert status in (422, None), f"a form with errors answered {status}, expected 422"
    summary = browser.find_elements(By.CSS_SELECTOR, "main .alert-error")
    assert summary and summary[0].is_displayed(), "no error summary above the form"
    cccd_error = field_error(browser, "citizen-id")
    assert "12 chữ số" in cccd_error, f"CCCD error: {cccd_error!r}"
    confirm_error = field_error(browser, "password-confirmation")
    assert "không khớp" in confirm_error, f"password confirmation error: {confirm_error!r}"
    for ok in ("full-name", "date-of-birth", "phone", "email", "address"):
        assert field_error(browser, ok) == "", f"#{ok} shows an error: {field_error(browser, ok)!r}"

    # What was typed is still there (the passwords are not sent back, on purpose).
    for field_id in ("full-name", "citizen-id", "date-of-birth", "phone", "email", "address"):
        got = browser.find_element(By.ID, field_id).get_attribute("value")
        assert got == person[field_id], f"#{field_id} lost its value: {got!r}, typed {person[field_id]!r}"

    # Fix the two fields, type the passwords again: done.
    _fill(browser, {"citizen-id": "014090005678", "password": PASSWORD, "password-confirmation": PASSWORD})
    _submit(browser, "/dang-ky", "the check-your-mail page")
    assert h1(browser) == CHECK_MAIL, main_text(browser)[:400]
    assert "Xác thực" in mailbox.wait_for(person["email"]).subject


def test_register_organization_form_errors_and_success(browser, server, mailbox):
    browser.get(server.url + "/dang-ky")
    click_and_wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "nav.tabs a[href='/dang-ky?loai=to-chuc']"),
                                "the organization form")
    org = {
        "organization-name": "Công ty TNHH Chè Mộc Châu Xanh",
        "tax-code": "55001234",  # 8 digits: wrong
        "representative": "Hà Văn Sơn",
        "phone": "0212385123",
        "email": "lienhe@chemocchau.example.vn",
        "address": "Tiểu khu 2, thị trấn Nông trường Mộc Châu",
        "password": PASSWORD,
        "password-confirmation": PASSWORD,
    }
    _fill(browser, org)
    _submit(browser, "/dang-ky", "the organization form with an error")
    assert field_error(browser, "tax-code"), "no error next to a tax code of 8 digits"
    assert browser.find_element(By.ID, "organization-name").get_attribute("value") == org["organization-name"]
    _fill(browser, {"tax-code": "5500123456", "password": PASSWORD, "password-confirmation": PASSWORD})
    _submit(browser, "/dang-ky", "the check-your-mail page")
    assert h1(browser) == CHECK_MAIL, main_text(browser)[:400]
    mailbox.wait_for(org["email"])


# --- (c) forgot password → mail → reset → new password works, old does not --------------------


def test_forgot_password_reset_by_mail(browser, server, mailbox, new_citizen):
    old = new_citizen("quen.mat.khau@example.vn", password=PASSWORD)
    new_password = "Ruong-bac-thang-Mu-Cang-Chai"

    # Signed in somewhere else before the reset: that session must end with it.
    _sign_in(browser, server, old.email, old.password)
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan"
    other_session = browser.get_cookie("motcua_session")
    browser.delete_all_cookies()

    # 1. From the sign-in page, "Quên mật khẩu?". An unknown address gets the same answer.
    browser.get(server.url + "/dang-nhap")
    click_and_wait_for_new_page(browser, browser.find_element(By.LINK_TEXT, "Quên mật khẩu?"), "the forgot-password page")
    assert h1(browser) == "Quên mật khẩu"
    _fill(browser, {"email": "khong.co.tai.khoan@example.vn"})
    _submit(browser, "/quen-mat-khau", "the answer for an unknown address")
    unknown_answer = browser.find_element(By.CSS_SELECTOR, "main .alert").text
    _fill(browser, {"email": old.email})
    _submit(browser, "/quen-mat-khau", "the answer")
    answer = browser.find_element(By.CSS_SELECTOR, "main .alert").text
    assert answer == unknown_answer, f"the answers tell which addresses have an account: {answer!r} / {unknown_answer!r}"
    assert "Nếu địa chỉ này có tài khoản" in answer, answer

    # 2. The mail, with a reset link to this portal.
    mail = mailbox.wait_for(old.email)
    assert "mật khẩu" in mail.subject.casefold(), mail.subject
    link = mail.link("/dat-lai-mat-khau")
    _same_origin(server, link)
    assert not [m for m in mailbox.all() if m.to == "khong.co.tai.khoan@example.vn"], "a reset mail went to an unknown address"

    # 3. Open it, set a new password (a mismatch first).
    browser.get(link)
    assert h1(browser) == "Đặt mật khẩu mới"
    assert_no_blocking_axe(browser, "the reset-password page")
    _fill(browser, {"password": new_password, "password-confirmation": new_password + "!"})
    _submit(browser, "/dat-lai-mat-khau", "the reset form with an error")
    assert "không khớp" in field_error(browser, "password-confirmation")
    _fill(browser, {"password": new_password, "password-confirmation": new_password})
    _submit(browser, "/dat-lai-mat-khau", "the page after the reset")
    assert h1(browser) == "Đã đặt mật khẩu mới", main_text(browser)[:300]

    # The link works once.
    browser.get(link)
    assert "không còn hiệu lực" in main_text(browser), f"a used reset link still works: {main_text(browser)[:300]}"

    # 4. The old password is rejected, the new one works.
    _sign_in(browser, server, old.email, old.password)
    assert h1(browser) == "Đăng nhập"
    assert WRONG_LOGIN in main_text(browser), main_text(browser)[:300]
    assert browser.find_element(By.ID, "email").get_attribute("value") == old.email, "the sign-in form lost the address"
    _fill(browser, {"password": new_password})
    _submit(browser, "/dang-nhap", "the account page")
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan", browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(rows) == 1, f"the session from before the reset is still listed: {[r.text for r in rows]}"

    # 5. The session from before the reset has ended.
    browser.delete_all_cookies()
    browser.add_cookie({"name": "motcua_session", "value": other_session["value"], "path": "/"})
    browser.get(server.url + "/tai-khoan")
    assert urllib.parse.urlsplit(browser.current_url).path == "/dang-nhap", \
        "a session from before the password reset still opens the account page"


def test_wrong_password_five_times_locks_the_account(browser, server, new_citizen):
    person = new_citizen("khoa.tam.thoi@example.vn")
    for i in range(5):
        _sign_in(browser, server, person.email, f"Sai-mat-khau-{i}-xyz")
        assert WRONG_LOGIN in main_text(browser), f"try {i + 1}: {main_text(browser)[:300]}"
    # Locked now, even with the right password.
    _sign_in(browser, server, person.email, person.password)
    text = main_text(browser)
    assert urllib.parse.urlsplit(browser.current_url).path != "/tai-khoan", "signed in although locked"
    assert "khóa" in text and "15 phút" in text, f"no lock message: {text[:300]}"


# --- (d) the agency admin of Sơn La adds a receptionist ----------------------------------------


def test_agency_admin_creates_a_receptionist(browser, server, demo_logins):
    admin = demo_logins.agency_admin("Sơn La")
    _sign_in(browser, server, admin.email, admin.password)
    assert _header_account_link(browser) is not None, f"{admin.email} could not sign in: {main_text(browser)[:300]}"

    # 1. "Quản lý cán bộ" in the header.
    manage = browser.find_elements(By.XPATH, "//header//a[normalize-space()='Quản lý cán bộ']")
    assert manage, "the agency admin has no 'Quản lý cán bộ' link in the header"
    assert not browser.find_elements(By.XPATH, "//header//a[normalize-space()='Hộp thư đi']"), \
        "an agency admin sees the system admin's outbox link"
    click_and_wait_for_new_page(browser, manage[0], "the staff page")
    assert urllib.parse.urlsplit(browser.current_url).path == "/quan-tri/can-bo"
    assert h1(browser) == "Cán bộ của Sở Nội vụ tỉnh Sơn La"
    emails = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "main table tbody tr td:nth-child(2)")]
    assert admin.email in emails and all(".h52@" in e or e.endswith(".gov.vn") for e in emails), \
        f"the Sơn La list shows other agencies' staff: {emails}"

    # 2. A new receptionist.
    new_email = "tiepnhan2.sonla@sonla.gov.vn"
    _fill(browser, {"name": "Quàng Thị Mai", "email": new_email})
    Select(browser.find_element(By.ID, "vai-tro")).select_by_visible_text("Bộ phận tiếp nhận và trả kết quả")
    _submit(browser, "/quan-tri/can-bo", "the staff page after creating")

    # 3. The one-time password, and the new row.
    notice = browser.find_element(By.CSS_SELECTOR, "main .alert-success")
    assert new_email in notice.text, notice.text
    code = notice.find_element(By.CSS_SELECTOR, "code.token").text.strip()
    assert len(code) >= 12 and re.fullmatch(r"[A-Za-z0-9-]+", code), f"odd one-time password {code!r}"
    row = browser.find_element(By.XPATH, f"//main//table//tr[td[normalize-space()='{new_email}']]")
    assert "Quàng Thị Mai" in row.text and "Bộ phận tiếp nhận và trả kết quả" in row.text, row.text
    # (Not browser.refresh(): the page is the answer to the POST, a reload would send the form again.)
    browser.get(server.url + "/quan-tri/can-bo")
    assert not browser.find_elements(By.CSS_SELECTOR, "main code.token"), "the one-time password shows again"

    # 4. The receptionist signs in with it, must set a password of their own first, and cannot manage staff.
    _sign_out(browser)
    _sign_in(browser, server, new_email, code)
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan/dat-mat-khau", \
        f"the new receptionist was not asked for a password of their own: {browser.current_url} {main_text(browser)[:300]}"
    assert h1(browser) == "Đặt mật khẩu của bạn"
    browser.get(server.url + "/mot-cua")
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan/dat-mat-khau", "the back office opened before a new password"
    own = "Quang-Thi-Mai-2026-rieng"
    _fill(browser, {"current-password": code, "password": own, "password-confirmation": own})
    _submit(browser, "/tai-khoan/dat-mat-khau", "the account page after setting the first password")
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan", \
        f"the new receptionist could not set a password: {main_text(browser)[:300]}"
    assert _info(browser, "Vai trò") == "Bộ phận tiếp nhận và trả kết quả"
    assert not browser.find_elements(By.XPATH, "//header//a[normalize-space()='Quản lý cán bộ']")
    browser.get(server.url + "/quan-tri/can-bo")
    assert h1(browser) != "Cán bộ của Sở Nội vụ tỉnh Sơn La", "a receptionist can open the staff page"
    assert response_status(browser) in (403, None), f"a receptionist opening /quan-tri/can-bo got {response_status(browser)}"
    # Nor for visitors: to the sign-in page.
    browser.delete_all_cookies()
    browser.get(server.url + "/quan-tri/can-bo")
    assert urllib.parse.urlsplit(browser.current_url).path == "/dang-nhap", browser.current_url


def test_system_admin_sees_the_outbox(browser, server, demo_logins, mailbox):  # noqa: ARG001  (mailbox: SMTP is on)
    admin = demo_logins.system_admin()
    _sign_in(browser, server, admin.email, admin.password)
    link = browser.find_elements(By.XPATH, "//header//a[normalize-space()='Hộp thư đi']")
    assert link, "the system admin has no 'Hộp thư đi' link in the header"
    click_and_wait_for_new_page(browser, link[0], "the outbox")
    assert h1(browser) == "Hộp thư đi"
    assert browser.find_elements(By.CSS_SELECTOR, "main table"), main_text(browser)[:300]


# --- (e) keyboard only: Tab through the register form in order, Enter to submit ----------------


def test_register_with_the_keyboard_only(browser, server, mailbox):
    person = dict(INDIVIDUAL, **{"full-name": "Tòng Văn Phím", "email": "tong.van.phim@example.vn",
                                 "citizen-id": "014090009999", "phone": "0911222333"})
    order = ["full-name", "citizen-id", "date-of-birth", "phone", "email", "address", "password",
             "password-confirmation"]
    browser.get(server.url + "/dang-ky")

    # Tab from the top of the page to the first field (skip link, header, tabs come first).
    now = None
    trail = []
    for _ in range(20):
        now = tab(browser)
        trail.append(describe(now))
        if now and now["id"] == order[0]:
            break
    assert now and now["id"] == order[0], "Tab never reached the first field: " + " → ".join(trail)

    problems = []
    for i, field_id in enumerate(order):
        assert now and now["id"] == field_id, \
            f"after {order[i - 1] if i else 'the start'} focus went to {describe(now)}, expected #{field_id}"
        if not now["indicator"] or not now["focusVisible"]:
            problems.append(f"#{field_id}: no visible focus ring")
        if not now["inViewport"] or now["obscuredBy"]:
            problems.append(f"#{field_id}: focused but not visible ({now['obscuredBy'] or 'off screen'})")
        value = person[field_id]
        if field_id == "date-of-birth":
            # Typed into the focused input, in the order the browser's locale shows (dd/mm/yyyy for vi-VN,
            # mm/dd/yyyy for en-US: headless Chromium may ignore --lang for date inputs).
            type_date(browser.switch_to.active_element, value)
            # The day, month and year parts are each a Tab stop: Tab until focus leaves the date.
            for _ in range(4):
                now = tab(browser)
                if not now or now["id"] != field_id:
                    break
        else:
            ActionChains(browser).send_keys(value).perform()
            now = tab(browser)

    # After the last field: the submit button, with a ring.
    assert now and now["tag"] == "button" and now["text"] == "Đăng ký", f"after the fields focus went to {describe(now)}"
    if not now["indicator"] or not now["focusVisible"]:
        problems.append("the submit button: no visible focus ring")
    assert not problems, "\n".join(problems)

    # Enter on the focused button submits.
    press_and_wait_for_new_page(browser, Keys.ENTER, "the check-your-mail page")
    assert h1(browser) == CHECK_MAIL, main_text(browser)[:400]
    mailbox.wait_for(person["email"])


def test_sign_in_with_the_keyboard_only_enter_in_the_password_field(browser, server, new_citizen):
    person = new_citizen("ban.phim@example.vn")
    browser.get(server.url + "/dang-nhap")
    for _ in range(15):
        now = tab(browser)
        if now and now["id"] == "email":
            break
    assert active(browser)["id"] == "email", "Tab never reached the email field"
    ActionChains(browser).send_keys(person.email).perform()
    now = tab(browser)
    assert now["id"] == "password", describe(now)
    ActionChains(browser).send_keys(person.password).perform()
    press_and_wait_for_new_page(browser, Keys.ENTER, "the account page")
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan", main_text(browser)[:300]
    # Sign out with the keyboard too: Tab to the header button, Enter.
    browser.get(server.url + "/")
    for _ in range(15):
        now = tab(browser)
        if now and now["tag"] == "button" and now["text"] == "Đăng xuất":
            break
    assert now and now["text"] == "Đăng xuất", "Tab never reached the Đăng xuất button"
    assert now["indicator"], "the Đăng xuất button has no visible focus ring"
    press_and_wait_for_new_page(browser, Keys.ENTER, "the page after signing out")
    assert _header_account_link(browser) is None


def test_account_page_changes_contact_password_and_api_token(browser, server, new_citizen):
    person = new_citizen("tai.khoan@example.vn")
    _sign_in(browser, server, person.email, person.password)

    # Contact details.
    _fill(browser, {"phone": "0977000111", "address": "Số 5 Trần Đăng Ninh, Sơn La"})
    _submit(browser, "/tai-khoan/ho-so", "the account page after saving")
    assert browser.find_element(By.ID, "phone").get_attribute("value") == "0977000111"
    assert browser.find_element(By.ID, "address").get_attribute("value") == "Số 5 Trần Đăng Ninh, Sơn La"

    # An API token, shown once.
    _fill(browser, {"token-name": "Phần mềm văn thư"})
    _submit(browser, "/tai-khoan/token", "the account page with the new token")
    token = browser.find_elements(By.CSS_SELECTOR, "main code.token")
    assert token and len(token[0].text.strip()) >= 20, f"no token shown: {main_text(browser)[:400]}"
    assert "Phần mềm văn thư" in main_text(browser)
    browser.get(server.url + "/tai-khoan")  # not refresh(): that would send the form again
    assert not browser.find_elements(By.CSS_SELECTOR, "main code.token"), "the API token shows again"
    names = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "main .token-list li")]
    assert len(names) == 1 and "Phần mềm văn thư" in names[0], names

    # Password: the current one is asked for.
    _fill(browser, {"current-password": "Khong-dung-dau-nhe", "password": "Moc-Chau-mua-hoa-man",
                    "password-confirmation": "Moc-Chau-mua-hoa-man"})
    _submit(browser, "/tai-khoan/mat-khau", "the account page after a wrong current password")
    assert field_error(browser, "current-password"), f"no error for a wrong current password: {main_text(browser)[:400]}"
    _fill(browser, {"current-password": person.password, "password": "Moc-Chau-mua-hoa-man",
                    "password-confirmation": "Moc-Chau-mua-hoa-man"})
    _submit(browser, "/tai-khoan/mat-khau", "the account page after changing the password")
    assert browser.find_elements(By.CSS_SELECTOR, "main .alert-success"), main_text(browser)[:400]
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan", "changing the password signed me out"
    _sign_out(browser)
    _sign_in(browser, server, person.email, "Moc-Chau-mua-hoa-man")
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan"


def test_sign_out_everywhere_else(browser, server, new_citizen):
    person = new_citizen("moi.noi.khac@example.vn")
    _sign_in(browser, server, person.email, person.password)
    first = browser.get_cookie("motcua_session")["value"]
    browser.delete_all_cookies()
    _sign_in(browser, server, person.email, person.password)
    rows = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(rows) == 2, [r.text for r in rows]
    button = browser.find_element(By.XPATH, "//main//button[normalize-space()='Đăng xuất khỏi mọi nơi khác']")
    click_and_wait_for_new_page(browser, button, "the account page after signing out elsewhere")
    rows = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(rows) == 1 and "phiên này" in rows[0].text, [r.text for r in rows]
    browser.delete_all_cookies()
    browser.add_cookie({"name": "motcua_session", "value": first, "path": "/"})
    browser.get(server.url + "/tai-khoan")
    assert urllib.parse.urlsplit(browser.current_url).path == "/dang-nhap", "the other session still works"


def test_pages_behind_a_login_send_visitors_to_sign_in_and_back(browser, server, new_citizen):
    person = new_citizen("quay.lai@example.vn")
    browser.get(server.url + "/tai-khoan")
    assert urllib.parse.urlsplit(browser.current_url).path == "/dang-nhap", browser.current_url
    _fill(browser, {"email": person.email, "password": person.password})
    _submit(browser, "/dang-nhap", "the page after signing in")
    assert urllib.parse.urlsplit(browser.current_url).path == "/tai-khoan"
    # Staff pages are not for citizens.
    browser.get(server.url + "/quan-tri/can-bo")
    assert h1(browser) != "Cán bộ của Sở Nội vụ tỉnh Sơn La"
    assert response_status(browser) in (403, None), f"a citizen opening /quan-tri/can-bo got {response_status(browser)}"
