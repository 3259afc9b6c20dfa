"""Notice templates in a real browser: the system administrator edits the text of one notice, and the next notice
of that kind goes out with it.

The system administrator follows "Mẫu thông báo" in the header, opens "Tiếp nhận hồ sơ và hẹn trả kết quả", types a
subject with a broken tag and is refused (the field marked, nothing saved), fixes it, previews it on sample values,
adds an SMS text and saves; the history lists the version with the administrator's name. Then a citizen files a
dossier and the receptionist accepts it: the acceptance mail that reaches the real SMTP sink has the new subject,
and the outbox page lists the SMS (no gateway is configured for this server, so SMS are logged and listed there)
with the new text. At the end the shipped text is restored, for the journeys that wait for the usual subjects.
"""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By

from conftest import _sign_in_http, file_dossier_http, signed_in_client, staff_action_http
from helpers import click_and_wait_for_new_page, h1, main_text, notice, problem

SUBJECT = "[Sở Nội vụ] Hồ sơ {{ma_ho_so}} đã được tiếp nhận, hẹn {{ngay_hen}}"
SMS = "So Noi vu: ho so {{ma_ho_so}} da duoc tiep nhan, hen tra {{ngay_hen}}"


def _set(browser, element_id: str, text: str) -> None:
    field = browser.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def test_system_admin_edits_a_template_and_the_next_notice_uses_it(browser, server, users, staff, new_citizen, mailbox,
                                                                   sign_in_as):
    sign_in_as("system_admin")
    browser.get(server.url + "/")
    link = browser.find_elements(By.XPATH, "//header//a[normalize-space()='Mẫu thông báo']")
    assert link, "the system administrator has no 'Mẫu thông báo' link in the header"
    click_and_wait_for_new_page(browser, link[0], "the list of notice templates")
    assert h1(browser) == "Mẫu thông báo"
    click_and_wait_for_new_page(browser, browser.find_element(By.LINK_TEXT, "Tiếp nhận hồ sơ và hẹn trả kết quả"),
                                "the template of the acceptance notice")
    assert h1(browser) == "Tiếp nhận hồ sơ và hẹn trả kết quả"
    assert "{{ngay_hen}}" in main_text(browser) and "Ngày hẹn trả kết quả" in main_text(browser)
    admin = signed_in_client(server.url, _sign_in_http(server.url, users["system_admin"]))
    try:
        # A broken tag: refused, the subject marked, what was typed kept.
        _set(browser, "mail_subject", SUBJECT[:-2])
        click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Lưu mẫu']"),
                                    "the form refused")
        assert "bị hỏng" in problem(browser), main_text(browser)[:600]
        subject = browser.find_element(By.ID, "mail_subject")
        assert subject.get_attribute("aria-invalid") == "true" and subject.get_attribute("value") == SUBJECT[:-2]
        assert "Chưa sửa lần nào" in main_text(browser)

        # Fixed, with an SMS text, previewed on the sample values, then saved.
        _set(browser, "mail_subject", SUBJECT)
        _set(browser, "sms_text", SMS)
        click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Xem trước']"),
                                    "the preview")
        preview = browser.find_element(By.ID, "preview-subject").text
        assert re.fullmatch(r"\[Sở Nội vụ\] Hồ sơ \S+ đã được tiếp nhận, hẹn \d\d/\d\d/\d{4} \d\d:\d\d", preview), preview
        assert "1 tin" in main_text(browser) or "2 tin" in main_text(browser)
        click_and_wait_for_new_page(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Lưu mẫu']"),
                                    "the saved template")
        assert "Đã lưu mẫu thông báo" in notice(browser), main_text(browser)[:600]
        history = browser.find_elements(By.CSS_SELECTOR, ".template-history summary")
        assert len(history) == 1 and "Quản trị hệ thống" in history[0].text, [h.text for h in history]

        # A citizen files; the desk accepts: the mail and the SMS carry the new text.
        citizen = new_citizen("mau.thong.bao@example.vn", name="Hoàng Thị Mẫu")
        dossier_id, code = file_dossier_http(signed_in_client(server.url, _sign_in_http(server.url, citizen)))
        desk = signed_in_client(server.url, _sign_in_http(server.url, staff["receptionist"]))
        staff_action_http(desk, dossier_id, "accept")
        mail = mailbox.wait_for(citizen.email, subject=f"[Sở Nội vụ] Hồ sơ {code} đã được tiếp nhận, hẹn ")
        assert re.search(r"hẹn \d\d/\d\d/\d{4} \d\d:\d\d$", mail.subject), mail.subject

        browser.get(server.url + "/quan-tri/thu-dien")
        assert h1(browser) == "Hộp thư đi"
        rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")]
        sms_rows = [r for r in rows if "SMS" in r and "0912" in r]
        assert sms_rows, rows[:5]
        texts = [p.get_attribute("textContent") for p in
                 browser.find_elements(By.XPATH, "//main//tr[td[normalize-space()='SMS']]//pre[contains(@class,'mail-body')]")]
        assert any(t.startswith(f"So Noi vu: ho so {code} da duoc tiep nhan, hen tra ") for t in texts), texts[:3]
    finally:
        status, body, _ = admin.post_form("/quan-tri/mau-thong-bao/tiep-nhan/mac-dinh", {},
                                          page="/quan-tri/mau-thong-bao/tiep-nhan")
        assert status == 303, f"restoring the shipped template answered {status}: {body[:300]}"
