"""The paper side in a real browser: a walk-in dossier through to a postal return, and printing every slip.

1. A walk-in applicant without an account: the receptionist opens "Tiếp nhận hồ sơ giấy" from the back office,
   registers the paper dossier (name with diacritics, ID number, phone, address, result by post), scans a PDF into
   each mandatory document, "Đăng ký hồ sơ (cấp mã)" gives it a code; the desk accepts it and hands it to the
   processor, who uploads the result and forwards it through the unit's second step to the leader, who approves
   it; the desk returns it by post with a tracking number and the day sent. The dossier page then says so, and the
   anonymous public lookup (what the applicant has: the code on the receipt) shows it returned, with no personal data.
   Before it is registered, the intake page lists it under "Hồ sơ giấy đang nhập", and its link leads back to it.
2. Every slip 01–05, as the receptionist prints it: each print page (reached by its link on the dossier page)
   shows the slip's title, the dossier's code and the applicant's name with its diacritics; its QR code, taken
   from a screenshot of the page, reads back (zbarimg) as the dossier's public lookup URL; and the PDF issued at
   the step, downloaded by the browser, has the applicant's name in its text (pdftotext).

Tools: zbarimg (zbar-tools) and pdftotext (poppler-utils), which scripts/test installs; outside CI a missing one
skips the test with its package's name, in CI it fails.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import urllib.parse
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import _sign_in_http, signed_in_client, staff_action_http, upload_result_http
from helpers import (
    DOSSIER_CODE_RE,
    PDF_BYTES,
    assert_no_blocking_axe,
    click,
    click_and_wait_for_new_page,
    h1,
    header_link,
    info,
    main_text,
    notice,
    response_status,
    type_date,
    wait_for_file,
)
from test_backoffice_journey import ACCEPTED, FINISHED, RETURNED, VIETNAM, _actions, _become, _forward, _take

WALK_IN_NAME = "Lò Thị Hoa Ban"
TRACKING = "EL123456789VN"
SLIP_TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
# The PDF links of the dossier page's "Phiếu đã cấp (PDF)" (IssuedSlip.title).
PDF_TITLES = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)",
    "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)",
    "05": "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 05)",
}


def _tool(name: str, package: str) -> str:
    """The path of a Debian tool the test reads its output with: skipped without it, except in CI (fails there)."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is missing: apt-get install {package} (scripts/test does)"
    if os.environ.get("CI", "") not in ("", "false"):
        pytest.fail(message)
    pytest.skip(message)


def _decode_qr(png: bytes, tmp_path: Path, name: str) -> str:
    image = tmp_path / f"{name}.png"
    image.write_bytes(png)
    done = subprocess.run([_tool("zbarimg", "zbar-tools"), "--raw", "-q", str(image)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, f"zbarimg read no QR code in {name} (screenshot kept in {image}): {done.stderr}"
    return done.stdout.strip()


def _screenshot_of(browser, css: str) -> bytes:
    """Chromium's picture of the element, at twice the pixels (a QR module is then about six pixels): scrolled into
    the middle of the window at once (the site scrolls smoothly, which would leave a frame half drawn), then the
    region where it lies on the page."""
    element = browser.find_element(By.CSS_SELECTOR, css)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    box = browser.execute_async_script(
        "const [el, done] = arguments; requestAnimationFrame(() => requestAnimationFrame(() => {"
        "const r = el.getBoundingClientRect();"
        "done({x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}); }));", element)
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": {**box, "scale": 2}})
    return base64.b64decode(shot["data"])


def _pdf_text(path: Path) -> str:
    done = subprocess.run([_tool("pdftotext", "poppler-utils"), "-layout", str(path), "-"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, f"pdftotext failed on {path.name}: {done.stderr}"
    return done.stdout


def _next_working_day_after(day: date, days: int) -> date:
    out = day + timedelta(days=days)
    while out.weekday() >= 5:
        out += timedelta(days=1)
    return out


# --- 1. a walk-in dossier through to a postal return ----------------------------------------------


def test_walk_in_dossier_registered_scanned_processed_and_returned_by_post(browser, server, staff, tmp_path):
    desk, processor, leader = staff["receptionist"], staff["processor"], staff["leader"]
    scan = tmp_path / "ban-quet-phieu-dang-ky.pdf"
    scan.write_bytes(PDF_BYTES.replace(b"%%EOF", b"% ban quet\n%%EOF"))
    result = tmp_path / "quyet-dinh.pdf"
    result.write_bytes(PDF_BYTES.replace(b"%%EOF", b"% ket qua\n%%EOF"))

    # The receptionist registers the paper dossier from the back office.
    _become(browser, server, desk)
    click_and_wait_for_new_page(browser, header_link(browser, "/mot-cua"), "the back office")
    click_and_wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "main a[href='/mot-cua/tiep-nhan-ho-so-giay']"),
                                "the paper intake form")
    assert h1(browser) == "Tiếp nhận hồ sơ giấy", main_text(browser)[:300]
    form = browser.find_element(By.CSS_SELECTOR, "main form[action='/mot-cua/tiep-nhan-ho-so-giay']")
    Select(form.find_element(By.NAME, "procedure")).select_by_value("1.005384")
    Select(form.find_element(By.NAME, "channel")).select_by_value("1")
    Select(form.find_element(By.NAME, "kind")).select_by_value("individual")
    for name, value in {"name": WALK_IN_NAME, "id_number": "014199004321", "phone": "0987 654 321",
                        "address": "Bản Phiêng, xã Chiềng Cơi, Sơn La",
                        "delivery_address": "Bản Phiêng, xã Chiềng Cơi, thành phố Sơn La, tỉnh Sơn La"}.items():
        form.find_element(By.NAME, name).send_keys(value)
    Select(form.find_element(By.NAME, "delivery_method")).select_by_value("post")
    click_and_wait_for_new_page(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"), "the paper dossier")
    assert response_status(browser) == 200, main_text(browser)[:500]
    assert notice(browser).startswith("Đã lưu hồ sơ giấy."), main_text(browser)[:400]
    office = urllib.parse.urlsplit(browser.current_url).path
    assert re.fullmatch(r"/mot-cua/ho-so/\d+", office), browser.current_url
    assert WALK_IN_NAME in main_text(browser)

    # A scan into each mandatory document.
    mandatory = [slot.find_element(By.TAG_NAME, "h3").text.replace("Bắt buộc", "").strip()
                 for slot in browser.find_elements(By.CSS_SELECTOR, "main li.document-slot")
                 if slot.find_elements(By.CSS_SELECTOR, ".badge-info")]
    assert mandatory, "the procedure has no mandatory document to scan"
    for title in mandatory:
        slot = browser.find_element(By.XPATH, f"//main//li[contains(@class,'document-slot')][h3[starts-with(normalize-space(), "
                                              f"'{title}')]]")
        slot.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(scan))
        click_and_wait_for_new_page(browser, slot.find_element(By.CSS_SELECTOR, "button[type=submit]"), f"the scan of {title}")
        assert notice(browser) == "Đã lưu bản quét.", main_text(browser)[:400]
    scanned = browser.find_elements(By.XPATH, f"//main//li[contains(@class,'document-slot')]//a[normalize-space()='{scan.name}']")
    assert len(scanned) == len(mandatory), f"{len(scanned)} scans listed for {len(mandatory)} mandatory documents"

    # Not lost while unregistered: the intake page lists it under "Hồ sơ giấy đang nhập", and its link leads back.
    click_and_wait_for_new_page(browser, header_link(browser, "/mot-cua"), "the back office")
    click_and_wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "main a[href='/mot-cua/tiep-nhan-ho-so-giay']"),
                                "the paper intake form")
    section = browser.find_element(By.CSS_SELECTOR, "main section[aria-labelledby=dang-nhap-giay]")
    row = section.find_element(By.XPATH, f".//tr[.//a[normalize-space()='{WALK_IN_NAME}']]")
    assert "Trực tiếp" in row.text and str(len(mandatory)) in row.text.split(), row.text
    assert_no_blocking_axe(browser, "the intake page with a paper dossier in progress")
    click_and_wait_for_new_page(browser, row.find_element(By.TAG_NAME, "a"), "the paper dossier again")
    assert urllib.parse.urlsplit(browser.current_url).path == office, browser.current_url

    # Registered: a code; then accepted and handed to the processor.
    _take(browser, "Đăng ký hồ sơ (cấp mã)")
    match = DOSSIER_CODE_RE.search(h1(browser))
    assert match, f"no dossier code in {h1(browser)!r}"
    code = match.group(0)
    assert notice(browser) == "Đã đăng ký hồ sơ và cấp mã; tiếp theo: tiếp nhận hồ sơ.", main_text(browser)[:400]
    _take(browser, "Tiếp nhận hồ sơ")
    assert info(browser, "Trạng thái") == ACCEPTED
    _forward(browser, processor.name)

    # The processor: the result, the unit's second step, the leader.
    _become(browser, server, processor)
    browser.get(server.url + office)
    upload = browser.find_element(By.CSS_SELECTOR, "main form[action*='/ket-qua']")
    upload.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(str(result))
    click_and_wait_for_new_page(browser, upload.find_element(By.CSS_SELECTOR, "button[type=submit]"), "the result upload")
    assert notice(browser) == "Đã tải lên tệp kết quả.", main_text(browser)[:400]
    _forward(browser, processor.name)
    _forward(browser, leader.name)

    # The leader approves.
    _become(browser, server, leader)
    browser.get(server.url + office)
    _take(browser, "Phê duyệt kết quả")
    assert info(browser, "Trạng thái") == FINISHED

    # The desk returns it by post: a tracking number with odd characters is refused beside its field, a good one kept.
    _become(browser, server, desk)
    browser.get(server.url + office)
    assert "Trả kết quả" in _actions(browser), _actions(browser)
    today = datetime.now(VIETNAM).date().isoformat()

    def return_by_post(tracking: str) -> None:
        form = browser.find_element(By.XPATH, "//main//form[contains(@class,'action-form')][.//input[@name='action'][@value='returnResult']]")
        assert form.find_elements(By.NAME, "tracking_number") and not form.find_elements(By.NAME, "collector_name"), \
            "the return form of a dossier whose result goes by post asks for the tracking number only"
        box = form.find_element(By.NAME, "tracking_number")
        box.clear()
        box.send_keys(tracking)
        type_date(form.find_element(By.NAME, "sent_on"), today)
        click_and_wait_for_new_page(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"), "the return")

    return_by_post("EL 12#45 VN")
    assert response_status(browser) == 422, response_status(browser)
    assert "Số hiệu bưu gửi gồm 6–30 chữ cái in hoa" in main_text(browser), main_text(browser)[:600]
    assert info(browser, "Trạng thái") == FINISHED
    return_by_post(TRACKING)
    assert notice(browser) == "Đã trả kết quả.", main_text(browser)[:400]
    assert info(browser, "Trạng thái") == RETURNED
    sent = datetime.now(VIETNAM).strftime("%d/%m/%Y")
    assert f"Đã gửi qua dịch vụ bưu chính công ích ngày {sent}, số hiệu bưu gửi {TRACKING}." in main_text(browser)

    # The applicant has the code on paper: the public lookup, signed out, shows the dossier returned.
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.get(server.url + "/tra-cuu")
    box = browser.find_element(By.ID, "ma-ho-so")
    box.send_keys(code)
    click_and_wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/tra-cuu'] button[type=submit]"),
                                "the lookup")
    assert info(browser, "Tình trạng") == "Đã trả kết quả", main_text(browser)[:500]
    assert WALK_IN_NAME not in main_text(browser) and "0987" not in main_text(browser), "the public lookup shows personal data"


# --- 2. printing every slip ----------------------------------------------------------------------


def _issue_every_slip(server, staff, person, file_dossier) -> dict[str, tuple[int, str]]:
    """Three dossiers of `person`, moved on over HTTP with the back office's forms: one accepted (01), apologised for
    (04), processed and returned (05); one asked for a supplement (02); one refused (03). {form: (id, code)}."""
    returned, supplemented, refused = (file_dossier(person) for _ in range(3))
    desk = signed_in_client(server.url, _sign_in_http(server.url, staff["receptionist"]))
    processor = signed_in_client(server.url, _sign_in_http(server.url, staff["processor"]))
    leader = signed_in_client(server.url, _sign_in_http(server.url, staff["leader"]))
    dossier_id = returned[0]
    staff_action_http(desk, dossier_id, "accept")
    staff_action_http(desk, dossier_id, "forward", to=staff["processor"].name)
    page = f"/mot-cua/ho-so/{dossier_id}"
    new_day = _next_working_day_after(datetime.now(VIETNAM).date(), 75).isoformat()
    status, body, _ = desk.post_form(page + "/xu-ly", {"action": "apologize", "note": "Chờ ý kiến thẩm định của Bộ Nội vụ.",
                                                        "new_due_date": new_day}, page=page)
    assert status == 303, f"the apology answered {status}: {body[:600]}"
    upload_result_http(processor, dossier_id)
    staff_action_http(processor, dossier_id, "forward", to=staff["processor"].name)
    staff_action_http(processor, dossier_id, "forward", to=staff["leader"].name)
    staff_action_http(leader, dossier_id, "finish")
    staff_action_http(desk, dossier_id, "returnResult")
    staff_action_http(desk, supplemented[0], "requestSupplement",
                      "Bản sao văn bằng có chứng thực.\nẢnh chân dung 4x6 chụp trong 6 tháng gần nhất.")
    staff_action_http(desk, refused[0], "refuse", "Thủ tục không thuộc thẩm quyền giải quyết của Sở Nội vụ.")
    return {"01": returned, "02": supplemented, "03": refused, "04": returned, "05": returned}


def _print_link(browser, form: str):
    """The print page's link on the staff dossier page."""
    xpath = {
        "01": "//main//a[normalize-space()='Giấy tiếp nhận hồ sơ và hẹn trả kết quả']",
        "02": "//main//a[starts-with(normalize-space(), 'Xem và in mẫu 02')]",
        "03": "//main//a[starts-with(normalize-space(), 'Xem và in mẫu 03')]",
        "04": "//main//a[normalize-space()='In phiếu (mẫu 04)']",
        "05": "//main//a[normalize-space()='Xem và in phiếu kiểm soát (mẫu 05)']",
    }[form]
    links = browser.find_elements(By.XPATH, xpath)
    assert len(links) == 1, f"{len(links)} print links of mẫu {form} on the dossier page"
    return links[0]


def test_printing_each_slip_with_its_qr_code_and_its_pdf(browser, server, staff, new_citizen, file_dossier, downloads,
                                                          tmp_path):
    _tool("zbarimg", "zbar-tools")
    _tool("pdftotext", "poppler-utils")
    person = new_citizen("dang.thi.ngoc.anh@example.vn", name="Đặng Thị Ngọc Ánh")
    dossiers = _issue_every_slip(server, staff, person, file_dossier)
    _become(browser, server, staff["receptionist"])
    for form, (dossier_id, code) in dossiers.items():
        office = f"{server.url}/mot-cua/ho-so/{dossier_id}"
        browser.get(office)
        click_and_wait_for_new_page(browser, _print_link(browser, form), f"the print page of mẫu {form}")
        assert response_status(browser) == 200, f"mẫu {form}: {response_status(browser)} {main_text(browser)[:300]}"
        assert h1(browser) == SLIP_TITLES[form], h1(browser)
        slip = browser.find_element(By.CSS_SELECTOR, "main .slip").text
        assert code in slip and person.name in slip, f"mẫu {form} lacks the code or {person.name}:\n{slip[:800]}"
        if form in ("02", "03"):
            assert re.search(r"Số: \d{4}/\d{4}", slip), slip[:400]
            assert_no_blocking_axe(browser, f"the print page of mẫu {form}")
            # Printed by Chromium itself: A5, as the form is.
            pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
            box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
            assert box and abs(float(box.group(1)) - 419.5) < 3 and abs(float(box.group(2)) - 595.3) < 3, \
                f"mẫu {form} prints on {box.groups() if box else 'no page'}, not A5"
        qr = browser.find_element(By.CSS_SELECTOR, "main .slip .slip-qr svg")
        assert qr.is_displayed() and not browser.find_elements(By.CSS_SELECTOR, "main .slip script")
        # The browser's own picture of the figure (the SVG with its quiet zone and caption), as a phone sees the page.
        read = _decode_qr(_screenshot_of(browser, "main .slip figure.slip-qr"), tmp_path, f"mau-{form}")
        assert read == f"{server.url}/tra-cuu?ma={code}", f"the QR code of mẫu {form} reads {read!r}"

        # The PDF issued at the step: downloaded from the dossier page, the applicant's name in its text.
        browser.get(office)
        pdf_link = browser.find_element(By.XPATH, f"//main//a[normalize-space()='{PDF_TITLES[form]}']")
        for old in downloads.iterdir():
            old.unlink()
        click(browser, pdf_link)
        pdf = wait_for_file(downloads)
        assert pdf.read_bytes().startswith(b"%PDF-"), f"mẫu {form}: {pdf.name} is not a PDF"
        text = _pdf_text(pdf)
        assert person.name in text and code in text, f"the PDF of mẫu {form} lacks {person.name} or {code}:\n{text[:800]}"
