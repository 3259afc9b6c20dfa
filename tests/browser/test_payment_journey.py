"""Paying a dossier's fee in a real browser: Cần Thơ's exam fee (procedure 2.000596 of 000.00.09.H13, "Phí dự thi nâng
ngạch" 100.000 đ, charged at submission).

A. Online, through the session's VNPay simulator (vnpay_simulator.py; conftest's `vnpay` fixture is Cần Thơ's terminal):
   a new citizen signs in, fills the procedure's form, attaches the four mandatory PDFs, reads the fee and "Tổng cộng"
   on the review step, submits: the dossier asks for the fee ("Yêu cầu nộp phí, lệ phí"). On the payment page,
   "Thanh toán 100.000 đ qua VNPay" leads to the gateway, where "Hủy giao dịch" brings them back to a page saying it
   did not go through; the dossier still awaits the fee. A second attempt, "Thanh toán": the gateway notifies the
   portal (IPN, answered RspCode 00 exactly once for that attempt) before sending the browser back to "Thanh toán
   thành công"; the dossier waits at the desk ("Mới đăng ký, chờ tiếp nhận") with a receipt whose PDF downloads.
B. By bank transfer: the payment page's VietQR code, read back by zbarimg from Chromium's picture of it, is the NAPAS
   EMVCo payload for Agribank (BIN 970405), account 7300201004417, 100000 đồng and the dossier's code (CRC checked);
   the desk (Cần Thơ's demo receptionist) refuses an amount that does not match ("không khớp", nothing changes), then
   confirms the transfer FT26340012345 of 100000; the dossier moves to "Mới đăng ký, chờ tiếp nhận" and the citizen
   sees and downloads the receipt.
C. The browser comes back before the IPN: the return page waits ("Đang chờ xác nhận thanh toán"), then says paid.
D. The desk imports a bank statement (CSV): the line with a dossier's code pays it, the others are listed with reasons.
The pay button is pressed for real: Chromium applies the payment page's CSP form-action to the redirect to the gateway
(another origin), which HTTP-level tests cannot see. Each page of the payment side is checked with axe-core for every WCAG 2.1 A/AA rule (any impact fails here, not only
serious and critical): the payment page, the gateway's return page, the desk's dossier with its fee panel and the
bank statement page.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import urllib.parse
from datetime import datetime

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium_axe_python import Axe

from conftest import (VNPAY_AGENCY, _sign_in_http, signed_in_client, submit_dossier_http,
                      upload_mandatory_documents_http)
from helpers import (
    ARTIFACTS,
    DOSSIER_CODE_RE,
    PDF_BYTES,
    Credentials,
    artifact_name,
    button,
    click,
    click_and_wait_for_new_page,
    h1,
    info,
    main_text,
    markup_problems,
    notice,
    problem,
    response_status,
    sign_in_form,
    wait_until,
)
from helpers import _is_stale  # noqa: PLC2701  (the same staleness test as click_and_wait_for_new_page)
from test_backoffice_journey import REGISTERED, VIETNAM, _become, _open_in_back_office
from test_paper_journey import _decode_qr, _pdf_text

PROCEDURE = f"/thu-tuc/{VNPAY_AGENCY}/2.000596"
FEE = "100.000 đ"
FEE_REQUESTED = "Yêu cầu nộp phí, lệ phí"
PAY_ONLINE = f"Thanh toán {FEE} qua VNPay"
DESK = "tiepnhan.h13@motcua.demo"  # Cần Thơ's demo receptionist (password printed by the server)
BANK_BIN, ACCOUNT = "970405", "7300201004417"
TRANSFER_REFERENCE = "FT26340012345"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- helpers -------------------------------------------------------------------------------------


def _assert_wcag21_aa(browser, request, what: str) -> None:
    """axe-core, every rule tagged WCAG 2.0/2.1 A and AA: no violation of any impact; plus the suite's markup checks."""
    axe = Axe(browser)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results["violations"]
    if violations:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = artifact_name(request.node.nodeid) + "." + re.sub(r"\W+", "-", what).strip("-") + ".axe.json"
        (ARTIFACTS / name).write_text(json.dumps(violations, indent=2, ensure_ascii=False), encoding="utf-8")
    found = [f"[{v['impact']}] {v['id']}: {v['help']} at "
             + "; ".join(f"{' '.join(map(str, n['target']))} {n['html'][:120]}" for n in v["nodes"][:5])
             for v in violations]
    assert not found, f"{what} ({browser.current_url}) breaks WCAG 2.1 AA:\n  " + "\n  ".join(found)
    assert results["passes"], "axe ran no check at all"
    problems = markup_problems(browser)
    assert not problems, f"{what} ({browser.current_url}):\n  " + "\n  ".join(problems)


def _path(browser) -> str:
    return urllib.parse.urlsplit(browser.current_url).path


def _cookies(browser) -> dict[str, str]:
    return {c["name"]: c["value"] for c in browser.get_cookies()}


def _fee_section(browser):
    return browser.find_element(By.CSS_SELECTOR, "main section[aria-labelledby=phi-le-phi]")


def _receipt_links(browser) -> list:
    return _fee_section(browser).find_elements(By.CSS_SELECTOR, "table a[href*='/bien-lai/']")


def _download_receipt(browser, link, code: str) -> bytes:
    """GETs the receipt link with the browser's cookies: a PDF (bytes start with %PDF-) named after the dossier's code;
    returns its bytes."""
    url = link.get_attribute("href")
    resp = requests.get(url, cookies=_cookies(browser), timeout=15, allow_redirects=False)
    assert resp.status_code == 200, f"GET {url}: {resp.status_code} {resp.text[:300]}"
    assert resp.headers.get("Content-Type", "").startswith("application/pdf"), resp.headers
    assert resp.content.startswith(b"%PDF-"), resp.content[:40]
    assert code in (resp.headers.get("Content-Disposition") or ""), resp.headers.get("Content-Disposition")
    return resp.content


def _sign_in(browser, server, who: Credentials, then: str = "/ho-so") -> None:
    """A fresh visitor types the person's sign-in on /dang-nhap, then opens `then`."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.get(server.url + "/dang-nhap")
    sign_in_form(browser, who.email, who.password, f"the page after {who.email} signed in")
    browser.get(server.url + then)


def _sign_in_quickly(browser, server, who: Credentials, then: str) -> None:
    """The person's session cookies, made over HTTP, put into the browser (no typing), then `then` opened."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    host = urllib.parse.urlsplit(server.url).hostname
    for name, value in _sign_in_http(server.url, who).items():
        browser.execute_cdp_cmd("Network.setCookie", {"name": name, "value": value, "domain": host, "path": "/",
                                                      "httpOnly": True, "sameSite": "Lax"})
    browser.get(server.url + then)


def _desk(demo_logins) -> Credentials:
    login = demo_logins[DESK]
    return Credentials(login.email, login.password, login.role)


def _open_payment_page(browser, dossier_path: str) -> None:
    """On the dossier page (awaiting the fee): its "Phí, lệ phí" section says what is due and links to the payment page."""
    section = _fee_section(browser)
    assert f"Phải nộp {FEE}: Phí dự thi nâng ngạch." in section.text, section.text
    link = section.find_element(By.XPATH, ".//a[normalize-space()='Nộp phí, lệ phí']")
    assert urllib.parse.urlsplit(link.get_attribute("href")).path == dossier_path + "/thanh-toan"
    click_and_wait_for_new_page(browser, link, "the payment page")
    assert _path(browser) == dossier_path + "/thanh-toan", browser.current_url
    assert h1(browser) == "Nộp phí, lệ phí", main_text(browser)[:400]
    assert info(browser, "Khoản phải nộp") == "Phí dự thi nâng ngạch"
    assert info(browser, "Số tiền") == FEE


def _to_gateway(browser, server, vnpay) -> str:
    """"Thanh toán 100.000 đ qua VNPay" on the payment page: the portal answers the form with a 303 to the gateway's
    payment URL, which the gateway accepts and shows; returns the attempt's reference. Browsers apply the page's CSP
    form-action to that redirect too: a payment page whose form-action names only 'self' leaves the browser where it
    was, with a CSP violation in the console (reported as such here)."""
    before, refused = vnpay.checkout_count(), len(vnpay.refusals)
    old = browser.find_element(By.TAG_NAME, "html")
    browser.get_log("browser")  # only what this press logs
    click(browser, button(browser, PAY_ONLINE))
    console: list[str] = []

    def left_or_blocked(driver) -> bool:
        console.extend(e.get("message", "") for e in driver.get_log("browser"))
        return _is_stale(old) or any("form-action" in line for line in console)

    wait_until(browser, left_or_blocked, "the gateway (or a CSP violation in the console)")
    assert _is_stale(old), f"the browser stayed on the payment page: the redirect to the gateway was blocked: {console}"
    wait_until(browser, lambda d: d.execute_script("return document.readyState") == "complete", "the gateway")
    assert browser.current_url.startswith(vnpay.payment_url + "?"), browser.current_url
    assert len(vnpay.refusals) == refused, f"the gateway refused the portal's payment URL: {vnpay.refusals[refused:]}"
    assert vnpay.checkout_count() == before + 1
    checkout = vnpay.checkouts[-1]
    assert browser.find_element(By.ID, "amount").text == FEE
    assert checkout.amount == 100_000 and checkout.params["vnp_Amount"] == "10000000"
    assert checkout.params["vnp_ReturnUrl"] == server.url + "/thanh-toan/vnpay/ket-qua"
    return checkout.reference


def _gateway_button(browser, label: str) -> None:
    """A button of the gateway's page; the gateway notifies the portal, then sends the browser to the return page."""
    click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']"),
                                f"the return page after {label!r}")


def _file_fee_dossier_http(server, who: Credentials) -> tuple[int, str]:
    """Files a complete dossier of PROCEDURE over HTTP for `who` (the form's fields, four PDFs, the review's submit)."""
    client = signed_in_client(server.url, _sign_in_http(server.url, who))
    status, body, headers = client.post_form(PROCEDURE + "/nop-ho-so", {
        "request_summary": "Đăng ký dự thi nâng ngạch chuyên viên", "f_district": "Quận Cái Răng",
        "f_exam_grade": "Cán sự", "f_candidate_count": "1", "delivery_method": "desk"})
    m = re.fullmatch(r"/ho-so/(\d+)(\?.*)?", headers.get("Location") or "")
    assert status == 303 and m, f"starting a dossier of {PROCEDURE} answered {status}: {body[:500]}"
    dossier_id = int(m.group(1))
    upload_mandatory_documents_http(client, dossier_id)
    return dossier_id, submit_dossier_http(client, dossier_id)


def _picture_of(browser, css: str, width: float = 480) -> bytes:
    """Chromium's picture of the element as the page draws it, scaled to about `width` pixels, captured beyond the
    viewport should it be taller than the window."""
    element = browser.find_element(By.CSS_SELECTOR, css)
    browser.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", element)
    box = browser.execute_async_script(
        "const [el, done] = arguments; requestAnimationFrame(() => requestAnimationFrame(() => {"
        "const r = el.getBoundingClientRect();"
        "done({x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}); }));", element)
    assert box["width"] > 0 and box["height"] > 0, f"{css} is not drawn: {box}"
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "clip": {**box, "scale": min(2.0, width / box["width"])}})
    return base64.b64decode(shot["data"])


def _emv_fields(payload: str) -> dict[str, str]:
    """The top-level TLV fields of an EMVCo QR payload (2-digit tag, 2-digit length, value)."""
    fields, i = {}, 0
    while i < len(payload):
        tag, length = payload[i:i + 2], int(payload[i + 2:i + 4])
        fields[tag] = payload[i + 4:i + 4 + length]
        assert len(fields[tag]) == length, f"truncated field {tag} in {payload!r}"
        i += 4 + length
    return fields


# --- A. online, through the VNPay simulator -----------------------------------------------------------------


def test_citizen_files_and_pays_the_exam_fee_online_after_a_cancelled_attempt(browser, server, new_citizen, vnpay,
                                                                              request, tmp_path):
    citizen = new_citizen("thi.sinh.vnpay@example.vn", name="Huỳnh Văn Nâng Ngạch")
    _sign_in(browser, server, citizen, then=PROCEDURE)

    # The procedure's page → its form.
    start = browser.find_element(By.CSS_SELECTOR, f"main a[href='{PROCEDURE}/nop-ho-so']")
    click_and_wait_for_new_page(browser, start, "the dossier form")
    assert h1(browser) == "Nộp hồ sơ trực tuyến", main_text(browser)[:300]
    form = browser.find_element(By.CSS_SELECTOR, f"main form[action='{PROCEDURE}/nop-ho-so']")
    form.find_element(By.NAME, "request_summary").send_keys("Đăng ký dự thi nâng ngạch chuyên viên năm 2026")
    form.find_element(By.NAME, "f_district").send_keys("Quận Ninh Kiều")
    Select(form.find_element(By.NAME, "f_exam_grade")).select_by_visible_text("Chuyên viên")
    form.find_element(By.NAME, "f_candidate_count").send_keys("2")
    click(browser, form.find_element(By.ID, "nhan-desk"))
    click_and_wait_for_new_page(browser, button(browser, "Lưu và tiếp tục"), "the draft")
    dossier_path = _path(browser)
    assert re.fullmatch(r"/ho-so/\d+", dossier_path), f"{browser.current_url}: {main_text(browser)[:400]}"

    # The four mandatory documents, a PDF each.
    pdf = tmp_path / "giay-to-du-thi.pdf"
    pdf.write_bytes(PDF_BYTES)
    slots = browser.find_elements(By.CSS_SELECTOR, "main .document-slot")
    mandatory = [i for i, s in enumerate(slots) if "Bắt buộc" in s.find_element(By.TAG_NAME, "h3").text]
    assert len(mandatory) == 4, f"{len(mandatory)} mandatory documents: {[s.text[:60] for s in slots]}"
    for i in mandatory:
        slot = browser.find_elements(By.CSS_SELECTOR, "main .document-slot")[i]
        upload = slot.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")
        upload.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(pdf))
        click_and_wait_for_new_page(browser, upload.find_element(By.XPATH, ".//button[normalize-space()='Tải tệp lên']"),
                                    f"the upload of document {i + 1}")
    attached = browser.find_elements(By.XPATH, f"//main//li[contains(@class,'document-slot')]//a[normalize-space()='{pdf.name}']")
    assert len(attached) == 4, main_text(browser)[:800]

    # The review step names the fee and the total, then submits.
    click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, "//main//a[normalize-space()='Xem lại và nộp hồ sơ']"),
                                "the review step")
    assert _path(browser) == dossier_path + "/xem-lai", browser.current_url
    fees = browser.find_element(By.CSS_SELECTOR, "main section[aria-labelledby=phi-khi-nop]")
    assert [li.text for li in fees.find_elements(By.TAG_NAME, "li")] == [f"Phí dự thi nâng ngạch: {FEE}"], fees.text
    assert f"Tổng cộng: {FEE}" in fees.text, fees.text
    click_and_wait_for_new_page(browser, button(browser, "Nộp hồ sơ"), "the submitted dossier")
    assert h1(browser) == "Đã nộp hồ sơ thành công", main_text(browser)[:400]
    code = DOSSIER_CODE_RE.search(main_text(browser)).group(0)
    assert code.startswith(VNPAY_AGENCY + "-"), code
    click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, "//main//a[normalize-space()='Xem hồ sơ']"),
                                "the dossier")
    assert _path(browser) == dossier_path
    assert info(browser, "Trạng thái") == FEE_REQUESTED
    assert not _receipt_links(browser)

    # First attempt: cancelled at the gateway.
    _open_payment_page(browser, dossier_path)
    assert info(browser, "Mã hồ sơ") == code
    _assert_wcag21_aa(browser, request, "the payment page")
    cancelled = _to_gateway(browser, server, vnpay)
    _gateway_button(browser, "Hủy giao dịch")
    assert _path(browser) == "/thanh-toan/vnpay/ket-qua", browser.current_url
    assert h1(browser) == "Thanh toán không thành công", main_text(browser)[:400]
    assert "Bạn đã hủy giao dịch." in problem(browser), main_text(browser)[:400]
    [ipn] = vnpay.notifications_for(cancelled)
    assert (ipn.response_code, ipn.transaction_status, ipn.rsp_code) == ("24", "02", "00"), ipn
    assert vnpay.acknowledged_payments(cancelled) == 0
    _assert_wcag21_aa(browser, request, "the return page of a cancelled payment")
    click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, f"//main//a[normalize-space()='Xem hồ sơ {code}']"),
                                "the dossier after the cancelled payment")
    assert info(browser, "Trạng thái") == FEE_REQUESTED
    assert not _receipt_links(browser)

    # Second attempt: paid. The payment page lists the cancelled one.
    _open_payment_page(browser, dossier_path)
    attempts = browser.find_element(By.CSS_SELECTOR, "main section[aria-labelledby=giao-dich]").text
    assert "Bạn đã hủy giao dịch." in attempts, attempts
    paid = _to_gateway(browser, server, vnpay)
    assert paid != cancelled, "a new attempt reuses the order reference of the cancelled one"
    _gateway_button(browser, "Thanh toán")
    assert _path(browser) == "/thanh-toan/vnpay/ket-qua", browser.current_url
    assert h1(browser) == "Thanh toán thành công", main_text(browser)[:400]
    assert f"Cổng đã ghi nhận khoản nộp {FEE}." in notice(browser), main_text(browser)[:400]
    assert vnpay.acknowledged_payments(paid) == 1, vnpay.notifications_for(paid)
    assert len(vnpay.notifications_for(paid)) == 1
    _assert_wcag21_aa(browser, request, "the return page of a paid payment")

    # The dossier waits at the desk, with a receipt.
    click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, f"//main//a[normalize-space()='Xem hồ sơ {code}']"),
                                "the paid dossier")
    assert _path(browser) == dossier_path
    assert info(browser, "Trạng thái") == REGISTERED
    section = _fee_section(browser)
    assert f"Đã nộp: {FEE}" in section.text and "Trực tuyến qua VNPay" in section.text, section.text
    assert "Nộp phí, lệ phí" not in [a.text for a in section.find_elements(By.TAG_NAME, "a")]
    [receipt] = _receipt_links(browser)
    pdf_bytes = _download_receipt(browser, receipt, code)
    receipt_pdf = tmp_path / "bien-lai.pdf"
    receipt_pdf.write_bytes(pdf_bytes)
    text = _pdf_text(receipt_pdf)
    assert code in text and "100.000" in text, text[:800]
    # VNPay sends the same IPN again (as its retries do): "already confirmed", still one receipt.
    again = vnpay.replay(vnpay.notifications_for(paid)[0])
    assert (again.http_status, again.rsp_code) == (200, "02"), again
    browser.refresh()
    assert len(_receipt_links(browser)) == 1 and info(browser, "Trạng thái") == REGISTERED
    # The payment page is closed once paid; the gateway was told "paid" once, and nothing else was paid.
    closed = requests.get(server.url + dossier_path + "/thanh-toan", cookies=_cookies(browser), timeout=15,
                          allow_redirects=False)
    assert closed.status_code == 409 and "không ở trạng thái chờ nộp phí" in closed.text, closed.status_code
    assert vnpay.acknowledged_payments(paid) == 1 and vnpay.acknowledged_payments(cancelled) == 0


# --- B. VietQR transfer, confirmed at the desk ------------------------------------------------------------------


def test_vietqr_transfer_confirmed_by_the_desk(browser, server, new_citizen, demo_logins, request, tmp_path):
    citizen = new_citizen("thi.sinh.vietqr@example.vn", name="Lâm Thị Chuyển Khoản")
    dossier_id, code = _file_fee_dossier_http(server, citizen)
    dossier_path = f"/ho-so/{dossier_id}"
    _sign_in(browser, server, citizen, then=dossier_path)
    assert info(browser, "Trạng thái") == FEE_REQUESTED

    # The payment page: the agency's account and a VietQR code that reads back as the NAPAS payload.
    _open_payment_page(browser, dossier_path)
    transfer = browser.find_element(By.CSS_SELECTOR, "main section[aria-labelledby=chuyen-khoan]")
    assert info(browser, "Số tài khoản", "//main//section[@aria-labelledby='chuyen-khoan']") == ACCOUNT
    assert info(browser, "Nội dung chuyển khoản", "//main//section[@aria-labelledby='chuyen-khoan']") == code
    assert transfer.find_elements(By.CSS_SELECTOR, "svg.lookup-qr"), transfer.get_attribute("innerHTML")[:400]
    payload = _decode_qr(_picture_of(browser, "main section[aria-labelledby=chuyen-khoan] svg.lookup-qr"), tmp_path,
                         "vietqr")
    for part in (BANK_BIN, ACCOUNT, "100000", code):
        assert part in payload, f"{part!r} is not in the VietQR payload {payload!r}"
    fields = _emv_fields(payload)
    assert fields["00"] == "01" and fields["53"] == "704" and fields["54"] == "100000" and fields["58"] == "VN", fields
    account = _emv_fields(fields["38"])
    assert account["00"] == "A000000727", account
    assert _emv_fields(account["01"]) == {"00": BANK_BIN, "01": ACCOUNT}, account
    assert _emv_fields(fields["62"]).get("08") == code, fields["62"]
    crc = binascii.crc_hqx(payload[:-4].encode(), 0xFFFF)
    assert payload[-8:-4] == "6304" and payload[-4:] == f"{crc:04X}", f"bad CRC in {payload!r}"

    # The desk: the fee panel of the dossier; a wrong amount is refused and changes nothing.
    _become(browser, server, _desk(demo_logins))
    office = _open_in_back_office(browser, code)
    assert office == f"/mot-cua/ho-so/{dossier_id}"
    assert info(browser, "Trạng thái") == FEE_REQUESTED
    _assert_wcag21_aa(browser, request, "the desk's dossier with the fee panel")

    def confirm(amount: str, reference: str) -> None:
        form = browser.find_element(By.CSS_SELECTOR, f"main form[action='{office}/nop-phi']")
        assert form.find_element(By.TAG_NAME, "h3").text == "Xác nhận đã nộp phí"
        assert form.find_element(By.CSS_SELECTOR, "input[name=method][value=transfer]").is_selected()
        box = form.find_element(By.ID, "so-tien-nop")
        assert box.get_attribute("value") == "100000", box.get_attribute("value")
        box.clear()
        box.send_keys(amount)
        form.find_element(By.ID, "ma-giao-dich").send_keys(reference)
        click_and_wait_for_new_page(browser, form.find_element(By.XPATH, ".//button[normalize-space()='Xác nhận đã nộp phí']"),
                                    f"the desk's confirmation of {amount}")

    confirm("90000", TRANSFER_REFERENCE)
    assert response_status(browser) == 422, response_status(browser)
    assert "không khớp" in problem(browser), main_text(browser)[:600]
    assert info(browser, "Trạng thái") == FEE_REQUESTED
    assert not _receipt_links(browser)

    confirm("100000", TRANSFER_REFERENCE)
    assert response_status(browser) == 200, main_text(browser)[:600]
    assert _path(browser) == office, browser.current_url
    assert notice(browser), main_text(browser)[:600]
    assert info(browser, "Trạng thái") == REGISTERED
    [receipt] = _receipt_links(browser)
    assert "Chuyển khoản" in _fee_section(browser).text, _fee_section(browser).text
    assert not browser.find_elements(By.CSS_SELECTOR, f"main form[action='{office}/nop-phi']"), "still asks to confirm"

    # The bank statement page of the desk.
    browser.get(server.url + "/mot-cua/sao-ke")
    assert h1(browser) == "Đối chiếu sao kê ngân hàng", main_text(browser)[:300]
    _assert_wcag21_aa(browser, request, "the bank statement page")

    # The citizen sees the dossier at the desk and downloads the receipt.
    _sign_in(browser, server, citizen, then=dossier_path)
    assert info(browser, "Trạng thái") == REGISTERED
    section = _fee_section(browser)
    assert f"Đã nộp: {FEE}" in section.text and "Chuyển khoản" in section.text, section.text
    [receipt] = _receipt_links(browser)
    _download_receipt(browser, receipt, code)


def test_return_before_the_ipn_says_waiting_then_paid(browser, server, new_citizen, vnpay, request):
    """The browser comes back before VNPay's IPN: the return page does not trust it ("Đang chờ xác nhận thanh toán",
    the dossier still awaits the fee); once the IPN is recorded the same return page says "Thanh toán thành công"."""
    citizen = new_citizen("thi.sinh.ipn.tre@example.vn")
    dossier_id, code = _file_fee_dossier_http(server, citizen)
    _sign_in(browser, server, citizen, then=f"/ho-so/{dossier_id}/thanh-toan")
    reference = _to_gateway(browser, server, vnpay)
    vnpay.hold_ipn = True
    request.addfinalizer(vnpay.release_held)  # never leaves the session's gateway holding IPNs back
    _gateway_button(browser, "Thanh toán")
    assert _path(browser) == "/thanh-toan/vnpay/ket-qua", browser.current_url
    assert not vnpay.notifications_for(reference), "the IPN went before the browser returned"
    assert h1(browser) == "Đang chờ xác nhận thanh toán", main_text(browser)[:400]
    assert "bạn không cần thanh toán lại" in main_text(browser), main_text(browser)[:400]
    _assert_wcag21_aa(browser, request, "the return page waiting for the IPN")
    status = requests.get(f"{server.url}/ho-so/{dossier_id}", cookies=_cookies(browser), timeout=15)
    assert FEE_REQUESTED in status.text and "/bien-lai/" not in status.text

    [ipn] = vnpay.release_held()
    assert (ipn.reference, ipn.rsp_code) == (reference, "00"), ipn
    browser.refresh()
    assert h1(browser) == "Thanh toán thành công", main_text(browser)[:400]
    click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, f"//main//a[normalize-space()='Xem hồ sơ {code}']"),
                                "the paid dossier")
    assert info(browser, "Trạng thái") == REGISTERED
    assert len(_receipt_links(browser)) == 1
    assert vnpay.acknowledged_payments(reference) == 1


def test_the_desk_imports_a_bank_statement(browser, server, new_citizen, demo_logins, request, tmp_path):
    """/mot-cua/sao-ke: a CSV statement with a line paying one dossier (its code without punctuation, as banks keep
    notes), a line for another dossier with the wrong amount and a line without a code: one paid with its receipt, two
    listed as not matching with their reasons, the second dossier unchanged; importing the same file again pays
    nothing twice."""
    citizen = new_citizen("thi.sinh.sao.ke@example.vn")
    (paid_id, paid_code), (short_id, short_code) = (_file_fee_dossier_http(server, citizen) for _ in range(2))
    today = datetime.now(VIETNAM).strftime("%d/%m/%Y")
    statement = tmp_path / "sao-ke-agribank.csv"
    statement.write_text(
        "Ngày giao dịch,Số bút toán,Số tiền ghi có,Nội dung\r\n"
        f"{today},FT26340099001,100000,IBFT {re.sub(r'[^0-9A-Z]', '', paid_code)} NOP PHI DU THI\r\n"
        f'{today},FT26340099002,"90.000",{short_code} nop phi\r\n'
        f"{today},FT26340099003,250000,CHUYEN TIEN AN TRUA\r\n", encoding="utf-8")

    _sign_in_quickly(browser, server, _desk(demo_logins), "/mot-cua/sao-ke")
    assert h1(browser) == "Đối chiếu sao kê ngân hàng", main_text(browser)[:300]

    def upload() -> dict[str, list[str]]:
        browser.find_element(By.ID, "tep-sao-ke").send_keys(str(statement))
        click_and_wait_for_new_page(browser, button(browser, "Đối chiếu"), "the statement's matching")
        assert response_status(browser) == 200, main_text(browser)[:600]
        return {cells[1]: cells for cells in (
            [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in browser.find_elements(By.CSS_SELECTOR, "main .data-table tbody tr"))}

    rows = upload()
    assert notice(browser) == "Đã ghi nhận 1 khoản nộp; 2 dòng không khớp (xem lý do bên dưới).", main_text(browser)[:600]
    assert set(rows) == {"FT26340099001", "FT26340099002", "FT26340099003"}, rows
    assert rows["FT26340099001"][4].startswith("Khớp") and paid_code in rows["FT26340099001"][4], rows["FT26340099001"]
    assert rows["FT26340099002"][4] == f"Không khớp Số tiền không khớp: hồ sơ {short_code} phải nộp {FEE}.", rows
    assert rows["FT26340099003"][4] == "Không khớp Nội dung chuyển khoản không có mã hồ sơ.", rows
    _assert_wcag21_aa(browser, request, "the bank statement page with its matching")

    # Again: nothing paid twice.
    rows = upload()
    assert notice(browser).startswith("Đã ghi nhận 0 khoản nộp"), main_text(browser)[:600]
    assert "đã được ghi nhận trước đó" in rows["FT26340099001"][4], rows["FT26340099001"]

    # The paid dossier waits at the desk with a transfer receipt; the other one still awaits its fee.
    browser.get(f"{server.url}/mot-cua/ho-so/{paid_id}")
    assert info(browser, "Trạng thái") == REGISTERED
    assert len(_receipt_links(browser)) == 1 and "Chuyển khoản" in _fee_section(browser).text, _fee_section(browser).text
    browser.get(f"{server.url}/mot-cua/ho-so/{short_id}")
    assert info(browser, "Trạng thái") == FEE_REQUESTED
    assert not _receipt_links(browser)


def test_the_vietqr_code_is_drawn_at_a_scannable_size_beside_its_details(browser, server, new_citizen):
    """The payment page once drew the code as wide as its column (1024 × 1024 CSS px in a 1280 px window, the account
    details below the fold; found here, fixed in 55fbda8): it must stay a size a phone scans, beside its details."""
    citizen = new_citizen("thi.sinh.qr.size@example.vn")
    dossier_id, _ = _file_fee_dossier_http(server, citizen)
    _sign_in_quickly(browser, server, citizen, f"/ho-so/{dossier_id}/thanh-toan")
    box = browser.execute_script(
        "const r = document.querySelector('main svg.lookup-qr').getBoundingClientRect(); return [r.width, r.height];")
    assert 150 <= box[0] <= 400 and 150 <= box[1] <= 400, f"the VietQR code is drawn {box[0]:.0f} × {box[1]:.0f} CSS px"
