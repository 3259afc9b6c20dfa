"""Filing a dossier: a new citizen starts from the procedure page, signs in on the way, fills the
procedure's own form (and fixes a mistake), attaches PDFs to every mandatory document (a fake PDF is
refused; the review step will not submit before that), reviews everything on "Xem lại hồ sơ trước khi
nộp" and submits there, gets the code on screen and by mail, finds the dossier in "Hồ sơ của tôi", looks it
up as anyone at /tra-cuu (no personal data shown), then signs in again and withdraws it.

Everything goes through the real server and a real Chromium, the way a person would; the
acknowledgement mail is read from the real SMTP sink.
"""

from __future__ import annotations

import re
import urllib.parse
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from helpers import (
    DOSSIER_CODE_RE,
    PDF_BYTES,
    PROCEDURE,
    assert_no_blocking_axe,
    button,
    click,
    click_and_wait_for_new_page,
    field_error,
    h1,
    header_link,
    info,
    main_text,
    notice,
    problem,
    response_status,
    sign_in_form,
    sign_out,
    table_rows,
    type_date,
)

PROCEDURE_NAME = "Thủ tục thi tuyển công chức"
AGENCY_CODE = "000.00.08.H06"
AGENCY_NAME = "Sở Nội vụ tỉnh Bắc Kạn"
REGISTERED = "Mới đăng ký, chờ tiếp nhận"
WITHDRAWN = "Đã rút hồ sơ"
POST = "Qua dịch vụ bưu chính công ích"
UNKNOWN_CODE = "000.00.07.H52-260101-9999"
VIETNAM = timezone(timedelta(hours=7))  # no daylight saving time

# What the citizen types: none of it may show on the public lookup page.
SUMMARY = "Đăng ký dự tuyển vị trí chuyên viên – hồ sơ riêng của Hoàng Thị Nộp"
ADDRESS = "Tổ 7, phường Đức Xuân, thành phố Bắc Kạn"
REASON = "Nộp nhầm vị trí dự tuyển, sẽ nộp lại"
REVIEW = "Xem lại hồ sơ trước khi nộp"
TO_REVIEW = "Xem lại và nộp hồ sơ"


# --- small steps ----------------------------------------------------------------------------


def _fill_procedure_fields(browser) -> dict[str, str]:
    """Fills every field of the procedure's own form (name f_*) with a valid value, by its kind; checks the
    required ones are marked. Returns {element id: value shown}."""
    fields = browser.find_elements(By.CSS_SELECTOR, "main form [name^='f_']")
    assert fields, "the dossier form has none of the procedure's own fields (f_*)"
    typed = {}
    for n, el in enumerate(fields, 1):
        field_id = el.get_attribute("id")
        label = browser.find_element(By.CSS_SELECTOR, f"label[for='{field_id}']").text
        assert label, f"#{field_id} has no label"
        if el.get_attribute("required") is not None:
            assert "*" in label, f"the required field #{field_id} is not marked with * in its label {label!r}"
            assert el.get_attribute("aria-required") == "true", f"#{field_id} is required but not aria-required"
        tag, kind = el.tag_name, el.get_attribute("type")
        if tag == "select":
            select = Select(el)
            first = next(o for o in select.options if o.get_attribute("value"))
            select.select_by_value(first.get_attribute("value"))
            typed[field_id] = first.text
            continue
        el.clear()
        if kind == "date":
            type_date(el, "2026-03-15")
            typed[field_id] = "2026-03-15"
        else:
            value = {"number": "3", "email": "lien.he.rieng@example.vn", "tel": "0912000777"}.get(
                kind, f"Nội dung riêng số {n} của người nộp")
            el.send_keys(value)
            typed[field_id] = value
    return typed


def _shown_value(browser, field_id: str) -> str:
    el = browser.find_element(By.ID, field_id)
    if el.tag_name == "select":
        return Select(el).first_selected_option.text
    return el.get_attribute("value")


def _slots(browser):
    slots = browser.find_elements(By.CSS_SELECTOR, "main .document-slot")
    assert slots, f"no document slot on {browser.current_url}: {main_text(browser)[:400]}"
    return slots


def _slot_name(browser, slot_number: int) -> str:
    """The document's name: the slot's heading without its "Bắt buộc" badge."""
    heading = _slots(browser)[slot_number].find_element(By.TAG_NAME, "h3").text
    return heading.replace("Bắt buộc", "").strip()


def _mandatory_slot_numbers(browser) -> list[int]:
    return [i for i, slot in enumerate(_slots(browser))
            if "Bắt buộc" in slot.find_element(By.TAG_NAME, "h3").text]


def _upload(browser, slot_number: int, path, what: str) -> None:
    """Chooses the file in the slot's file input (as the file dialog would) and presses "Tải tệp lên"."""
    slot = _slots(browser)[slot_number]
    form = slot.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")
    form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
    upload_button = form.find_element(By.XPATH, ".//button[normalize-space()='Tải tệp lên']")
    click_and_wait_for_new_page(browser, upload_button, what)


def _open_review(browser, dossier_path: str) -> None:
    """On the draft: follows "Xem lại và nộp hồ sơ" to the review step."""
    link = browser.find_element(By.XPATH, f"//main//a[normalize-space()='{TO_REVIEW}']")
    assert urllib.parse.urlsplit(link.get_attribute("href")).path == dossier_path + "/xem-lai", link.get_attribute("href")
    click_and_wait_for_new_page(browser, link, "the review step")
    assert urllib.parse.urlsplit(browser.current_url).path == dossier_path + "/xem-lai", browser.current_url
    assert h1(browser) == REVIEW, f"{h1(browser)!r}: {main_text(browser)[:400]}"
    assert not browser.find_elements(By.CSS_SELECTOR, "main input[type=file]"), "the review step takes files"


def _submit_buttons(browser) -> list:
    return browser.find_elements(By.XPATH, "//main//button[normalize-space()='Nộp hồ sơ']")


def _lookup(browser, code: str) -> None:
    """On /tra-cuu: types the code and presses "Tra cứu"."""
    box = browser.find_element(By.ID, "ma-ho-so")
    box.clear()
    box.send_keys(code)
    click_and_wait_for_new_page(browser, button(browser, "Tra cứu"), f"the lookup of {code}")


def _filter_status(browser, label: str) -> None:
    Select(browser.find_element(By.ID, "trang-thai")).select_by_visible_text(label)
    click_and_wait_for_new_page(browser, button(browser, "Lọc"), f"my dossiers filtered by {label!r}")


# --- the journey ----------------------------------------------------------------------------


def test_citizen_files_a_dossier_looks_it_up_and_withdraws_it(browser, server, mailbox, new_citizen, sign_in_as,
                                                               tmp_path):
    person = new_citizen("hoang.thi.nop@example.vn", name="Hoàng Thị Nộp Hồ Sơ")
    real_pdf = tmp_path / "phieu-dang-ky-du-tuyen.pdf"
    real_pdf.write_bytes(PDF_BYTES)
    fake_pdf = tmp_path / "chuong-trinh.pdf"  # a Windows program renamed to .pdf
    fake_pdf.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64)

    # 1. The procedure page, anonymously: "Nộp hồ sơ trực tuyến" asks to sign in first, then comes back.
    browser.get(server.url + PROCEDURE)
    assert h1(browser) == PROCEDURE_NAME
    start = browser.find_element(By.XPATH, "//main//a[normalize-space()='Nộp hồ sơ trực tuyến']")
    assert urllib.parse.urlsplit(start.get_attribute("href")).path == PROCEDURE + "/nop-ho-so"
    click_and_wait_for_new_page(browser, start, "the sign-in page on the way to the dossier form")
    got = urllib.parse.urlsplit(browser.current_url)
    assert got.path == "/dang-nhap", f"an anonymous visitor got {browser.current_url}, not the sign-in page"
    assert urllib.parse.parse_qs(got.query).get("next") == [PROCEDURE + "/nop-ho-so"], browser.current_url
    sign_in_form(browser, person.email, person.password, "the dossier form after signing in")
    assert urllib.parse.urlsplit(browser.current_url).path == PROCEDURE + "/nop-ho-so", \
        f"signing in did not go back to the dossier form: {browser.current_url}"

    # 2. The form: the request, the procedure's own fields, delivery by post — but no address first.
    assert h1(browser) == "Nộp hồ sơ trực tuyến"
    assert PROCEDURE_NAME in main_text(browser) and AGENCY_NAME in main_text(browser)
    browser.find_element(By.CSS_SELECTOR, "textarea[name=request_summary]").send_keys(SUMMARY)
    typed = _fill_procedure_fields(browser)
    methods = {r.get_attribute("value") for r in browser.find_elements(By.CSS_SELECTOR, "input[type=radio][name=delivery_method]")}
    assert {"online", "desk", "post"} <= methods, f"delivery choices: {methods}"
    click(browser, browser.find_element(By.XPATH, f"//label[normalize-space()='{POST}']"))
    assert browser.find_element(By.ID, "nhan-post").is_selected(), "clicking the label did not choose the post"
    click_and_wait_for_new_page(browser, button(browser, "Lưu và tiếp tục"), "the form with an error")
    assert response_status(browser) == 422, f"a post delivery without an address answered {response_status(browser)}"
    address_box = browser.find_element(By.XPATH, "//input[@id='dia-chi-nhan']/ancestor::div[contains(@class,'form-field')][1]")
    errors = address_box.find_elements(By.CSS_SELECTOR, ".field-error")
    assert errors and "địa chỉ" in errors[0].text, f"no error next to the address: {main_text(browser)[:800]}"
    assert "has-error" in address_box.get_attribute("class")
    assert problem(browser), "no summary of the errors at the top of the form"
    # Nothing typed is lost, and the procedure's fields show no error.
    assert browser.find_element(By.CSS_SELECTOR, "textarea[name=request_summary]").get_attribute("value") == SUMMARY
    for field_id, value in typed.items():
        assert _shown_value(browser, field_id) == value, f"#{field_id} lost its value after the error"
        assert field_error(browser, field_id) == "", f"#{field_id} has an error although it was filled"
    assert browser.find_element(By.ID, "nhan-post").is_selected(), "the chosen delivery was lost after the error"
    assert_no_blocking_axe(browser, "the dossier form with an error")

    browser.find_element(By.ID, "dia-chi-nhan").send_keys(ADDRESS)
    click_and_wait_for_new_page(browser, button(browser, "Lưu và tiếp tục"), "the draft page")

    # 3. The draft: what was typed, one slot per document.
    m = re.search(r"/ho-so/(\d+)(\?.*)?$", browser.current_url)
    assert m, f"saving the form led to {browser.current_url}: {main_text(browser)[:500]}"
    dossier_path = f"/ho-so/{m.group(1)}"
    assert h1(browser) == "Hồ sơ nháp"
    assert "Đã lưu hồ sơ nháp" in notice(browser)
    assert info(browser, "Trạng thái") == "Hồ sơ nháp"
    assert info(browser, "Nội dung yêu cầu") == SUMMARY
    assert info(browser, "Nhận kết quả") == f"{POST}: {ADDRESS}"
    for value in typed.values():
        assert value in main_text(browser), f"the draft page does not show {value!r}"
    mandatory = _mandatory_slot_numbers(browser)
    assert mandatory, "no mandatory document on the draft"
    assert len(mandatory) < len(_slots(browser)), "expected an optional document too (left empty below)"
    # Submitting happens on the review step only, and it will not submit with a mandatory document missing.
    assert not _submit_buttons(browser), "the draft page itself has a submit button"
    _open_review(browser, dossier_path)
    missing = problem(browser)
    assert "Còn thiếu giấy tờ bắt buộc" in missing, f"no missing-document alert on the review: {main_text(browser)[:600]}"
    mandatory_names = [_slot_name(browser, n) for n in mandatory]
    assert all(name in missing for name in mandatory_names), f"the alert {missing!r} does not name {mandatory_names}"
    assert_no_blocking_axe(browser, "the review of an incomplete draft")
    # Whether or not the page offers "Nộp hồ sơ" here, submitting is refused and the dossier stays a draft.
    if _submit_buttons(browser):
        click_and_wait_for_new_page(browser, _submit_buttons(browser)[0], "the refusal of an incomplete dossier")
        assert response_status(browser) == 422, f"submitting an incomplete dossier answered {response_status(browser)}"
        assert h1(browser) == REVIEW and "Còn thiếu giấy tờ bắt buộc" in main_text(browser), main_text(browser)[:600]
        assert not DOSSIER_CODE_RE.search(main_text(browser)), "an incomplete dossier got a code"
    back = browser.find_element(By.XPATH, "//main//div[contains(@class,'alert-error')]//a[normalize-space()='Quay lại để đính kèm']")
    click_and_wait_for_new_page(browser, back, "the draft again")
    assert urllib.parse.urlsplit(browser.current_url).path == dossier_path and h1(browser) == "Hồ sơ nháp"

    # 4. A fake PDF is refused, in Vietnamese, and nothing is attached.
    _upload(browser, mandatory[0], fake_pdf, "the refusal of a fake PDF")
    assert response_status(browser) == 415, f"a fake PDF answered {response_status(browser)}"
    assert "không phải PDF" in problem(browser), f"refusal: {problem(browser)!r}"
    assert "Chưa có tệp." in _slots(browser)[mandatory[0]].text, "the fake PDF was attached anyway"
    assert_no_blocking_axe(browser, "the draft after a refused upload")

    # 5. A real PDF in every mandatory slot.
    for number in mandatory:
        _upload(browser, number, real_pdf, "the draft after an upload")
        assert urllib.parse.urlsplit(browser.current_url).path == dossier_path, browser.current_url
        assert notice(browser) == "Đã tải tệp lên.", main_text(browser)[:500]
        links = _slots(browser)[number].find_elements(By.CSS_SELECTOR, "a")
        assert [a.text for a in links] == [real_pdf.name], f"slot {number + 1} lists {[a.text for a in links]}"
        assert urllib.parse.urlsplit(links[0].get_attribute("href")).path.startswith(dossier_path + "/tep-dinh-kem/")

    # 6. The review step shows everything the agency will get, read-only; "Nộp hồ sơ" there submits.
    assert not _submit_buttons(browser), "the draft page itself has a submit button"
    _open_review(browser, dossier_path)
    assert not problem(browser), f"the review of a complete draft shows a problem: {problem(browser)!r}"
    assert info(browser, "Trạng thái") == "Hồ sơ nháp"
    assert info(browser, "Nội dung yêu cầu") == SUMMARY
    assert info(browser, "Nhận kết quả") == f"{POST}: {ADDRESS}"
    for value in typed.values():
        assert value in main_text(browser), f"the review does not show {value!r}"
    listed = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "main .document-slot a")]
    assert listed == [real_pdf.name] * len(mandatory), f"the review lists the files {listed}"
    step = browser.find_elements(By.CSS_SELECTOR, "main .filing-steps [aria-current=step]")
    assert step and "Xem lại" in step[0].text, "the review step is not marked as the current step"
    assert_no_blocking_axe(browser, "the review step")
    before = datetime.now(VIETNAM)
    click_and_wait_for_new_page(browser, button(browser, "Nộp hồ sơ"), "the confirmation")
    after = datetime.now(VIETNAM)
    assert h1(browser) == "Đã nộp hồ sơ thành công", f"{h1(browser)!r}: {main_text(browser)[:600]}"
    found = DOSSIER_CODE_RE.search(main_text(browser))
    assert found, f"no dossier code on the confirmation: {main_text(browser)[:600]}"
    code = found.group(0)
    assert found.group(1) == AGENCY_CODE, code
    assert found.group(2) in {before.strftime("%y%m%d"), after.strftime("%y%m%d")}, \
        f"{code}: the date part is not today in Vietnam ({before:%y%m%d})"
    assert person.email in main_text(browser)
    assert_no_blocking_axe(browser, "the confirmation of a submitted dossier")

    # 7. The acknowledgement mail, with the code and a lookup link to this portal.
    mail = mailbox.wait_for(person.email, subject=code)
    assert code in mail.text, mail.text
    lookup = urllib.parse.urlsplit(mail.link("/tra-cuu"))
    assert f"{lookup.scheme}://{lookup.netloc}" == server.url, f"the mail links to {mail.links}, not to {server.url}"
    assert urllib.parse.parse_qs(lookup.query).get("ma") == [code], mail.links

    # 8. "Hồ sơ của tôi": the dossier, registered; the status filter.
    click_and_wait_for_new_page(browser, header_link(browser, "/ho-so"), "my dossiers")
    assert h1(browser) == "Hồ sơ của tôi"
    assert header_link(browser, "/ho-so").get_attribute("aria-current") == "page"
    rows = table_rows(browser)
    assert list(rows) == [code], f"my dossiers lists {rows}"
    assert PROCEDURE_NAME in rows[code] and AGENCY_NAME in rows[code] and REGISTERED in rows[code], rows[code]
    _filter_status(browser, WITHDRAWN)
    assert table_rows(browser) == {}, f"filtering by {WITHDRAWN} still lists {table_rows(browser)}"
    assert "Chưa có hồ sơ nào" in main_text(browser)
    _filter_status(browser, REGISTERED)
    assert list(table_rows(browser)) == [code]
    assert Select(browser.find_element(By.ID, "trang-thai")).first_selected_option.text == REGISTERED

    # 9. Signed out, anyone can look the code up — and sees no personal data.
    sign_out(browser)
    click_and_wait_for_new_page(browser, header_link(browser, "/tra-cuu"), "the lookup page")
    assert h1(browser) == "Tra cứu hồ sơ"
    _lookup(browser, code)
    assert response_status(browser) == 200
    assert code in browser.find_element(By.CSS_SELECTOR, ".lookup-result h2").text
    assert info(browser, "Thủ tục") == PROCEDURE_NAME
    assert info(browser, "Cơ quan giải quyết") == AGENCY_NAME
    assert info(browser, "Tình trạng") == REGISTERED
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", info(browser, "Ngày nộp")), info(browser, "Ngày nộp")
    assert info(browser, "Ngày nộp")[:10] in {before.strftime("%d/%m/%Y"), after.strftime("%d/%m/%Y")}
    info(browser, "Ngày hẹn trả kết quả")
    source = browser.page_source
    private = [person.name, person.email, person.email.split("@")[0], SUMMARY, ADDRESS, real_pdf.name,
               *[v for v in typed.values() if v.startswith("Nội dung riêng") or "@" in v]]
    leaked = [p for p in private if p in source]
    assert not leaked, f"the public lookup shows personal data: {leaked}"
    # An unknown code: 404 and a message.
    _lookup(browser, UNKNOWN_CODE)
    assert response_status(browser) == 404, f"an unknown code answered {response_status(browser)}"
    assert "Không tìm thấy hồ sơ" in problem(browser), main_text(browser)[:400]
    assert not browser.find_elements(By.CSS_SELECTOR, ".lookup-result")

    # 10. Signed in again: withdraw it with a reason.
    click_and_wait_for_new_page(browser, header_link(browser, "/dang-nhap"), "the sign-in page")
    sign_in_form(browser, person.email, person.password, "the page after signing in")
    click_and_wait_for_new_page(browser, header_link(browser, "/ho-so"), "my dossiers")
    link = browser.find_element(By.XPATH, f"//main//table//a[normalize-space()='{code}']")
    click_and_wait_for_new_page(browser, link, "the dossier page")
    assert urllib.parse.urlsplit(browser.current_url).path == dossier_path
    assert h1(browser) == f"Hồ sơ {code}"
    assert info(browser, "Mã hồ sơ") == code and info(browser, "Trạng thái") == REGISTERED
    assert not browser.find_elements(By.CSS_SELECTOR, "main input[type=file]"), "a submitted dossier still takes files"
    assert "Bạn đã nộp hồ sơ trực tuyến." in browser.find_element(By.CSS_SELECTOR, "main .history").text
    browser.find_element(By.ID, "ly-do").send_keys(REASON)
    click_and_wait_for_new_page(browser, button(browser, "Rút hồ sơ"), "the withdrawn dossier")
    assert urllib.parse.urlsplit(browser.current_url).path == dossier_path, browser.current_url
    assert notice(browser) == "Đã rút hồ sơ.", main_text(browser)[:500]
    assert info(browser, "Trạng thái") == WITHDRAWN
    history = browser.find_element(By.CSS_SELECTOR, "main .history").text
    assert "Bạn đã rút hồ sơ." in history and REASON in history, history
    assert not browser.find_elements(By.CSS_SELECTOR, "main form[action$='/rut']"), "a withdrawn dossier can be withdrawn again"
    click_and_wait_for_new_page(browser, header_link(browser, "/ho-so"), "my dossiers")
    assert WITHDRAWN in table_rows(browser)[code]
    browser.get(server.url + "/tra-cuu?ma=" + code)
    assert info(browser, "Tình trạng") == WITHDRAWN

    # 11. Someone else's dossier does not exist for another citizen.
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    sign_in_as("citizen")
    browser.get(server.url + dossier_path)
    assert response_status(browser) == 404, f"another citizen opening {dossier_path} got {response_status(browser)}"
    assert code not in main_text(browser) and person.name not in browser.page_source


def test_dossier_form_errors_are_tied_to_their_inputs(browser, server, sign_in_as):
    """Every error of the start form sits next to its input, which is aria-invalid and points at it with
    aria-describedby (a screen reader reads the error with the field). The browser's own checks are
    switched off (form.noValidate) to reach the server's: empty required fields, an over-long request
    (its maxlength removed), the post chosen without an address; then no delivery chosen at all."""
    sign_in_as("citizen")
    start = server.url + PROCEDURE + "/nop-ho-so"
    browser.get(start)
    required = [el.get_attribute("id") for el in browser.find_elements(By.CSS_SELECTOR, "main form [name^='f_'][required]")]
    assert required, "the procedure's form has no required field"
    summary = browser.find_element(By.CSS_SELECTOR, "main textarea[name=request_summary]")
    summary_id = summary.get_attribute("id")
    same = len(browser.find_elements(By.ID, summary_id))
    assert same == 1, f"the request textarea's id {summary_id!r} is on {same} elements: its <label for> ties to the first"
    browser.execute_script("arguments[0].removeAttribute('maxlength'); arguments[0].value = 'x'.repeat(2001)", summary)
    click(browser, browser.find_element(By.ID, "nhan-post"))
    _submit_unchecked(browser)
    assert response_status(browser) == 422, response_status(browser)
    for field_id in required:
        assert field_error(browser, field_id), f"no error next to the empty required field #{field_id}"
    assert "2000" in field_error(browser, summary_id), "no error next to the over-long request"
    assert "địa chỉ" in field_error(browser, "dia-chi-nhan"), "no error next to the missing post address"

    browser.get(start)
    _submit_unchecked(browser)
    assert response_status(browser) == 422, response_status(browser)
    fieldset = browser.find_element(By.XPATH, "//main//fieldset[.//input[@name='delivery_method']]")
    errors = fieldset.find_elements(By.CSS_SELECTOR, ".field-error")
    assert errors and "cách nhận kết quả" in errors[0].text, f"no error in the delivery choices: {fieldset.text!r}"
    assert errors[0].get_attribute("id") in (fieldset.get_attribute("aria-describedby") or "").split(), \
        "the delivery choices do not point at their error (aria-describedby on the fieldset)"


def _submit_unchecked(browser) -> None:
    form = browser.find_element(By.CSS_SELECTOR, "main form[action$='/nop-ho-so']")
    browser.execute_script("arguments[0].noValidate = true", form)
    click_and_wait_for_new_page(browser, button(browser, "Lưu và tiếp tục"), "the dossier form with errors")
