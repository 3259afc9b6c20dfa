"""Processing with timed steps in a real browser: one dossier through every step of its procedure's process.

The process of helpers.PROCEDURE (Bắc Kạn, 1.005384) has five steps: the desk receives ("Tiếp nhận, kiểm tra
hồ sơ", half a day), Phòng Công chức, viên chức works on it ("Tổng hợp phiếu đăng ký…", then "Trưởng phòng kiểm
tra, trình ký"), Lãnh đạo Sở approves, the desk returns the result. Four different staff accounts (the `staff`
fixture: each made by `motcua create-user --unit`, the head made the unit's head by the agency admin) take it
through, each signing in with the sign-in form in a browser without the previous person's cookies:

the receptionist accepts and forwards without choosing a person → the unit head finds it under "Chờ phân công"
(count 1) and assigns it to the processor → the processor finds it under "Tôi đang xử lý", while the desk sees it
read-only → the processor uploads the result and forwards it through the unit's second step to the leader, chosen
by name → the leader finds it under "Chờ phê duyệt" and sends it back with a note → the processor gets it back and
forwards it again → (its hand-over row's due moment is moved into the past in the server's SQLite database) → the
leader approves → the desk finds it under "Chờ trả kết quả" and returns it. Then the control slip (mẫu 05,
"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"): one row per stay, the people who handed and received it, and a
mark on every row that follows the rule (done on a day before the due day: "Trước hạn"; by the due moment:
"Đúng hạn"; after it: "Trễ hạn"), worked out from the times the slip shows; printed without the site's chrome,
on A4.
"""

from __future__ import annotations

import re
import sqlite3
import time
import urllib.parse
from datetime import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from helpers import (
    DESK_UNIT,
    LEADERSHIP_UNIT,
    PDF_BYTES,
    PROCESSING_UNIT,
    assert_no_blocking_axe,
    click_and_wait_for_new_page,
    h1,
    header_link,
    info,
    main_text,
    notice,
    response_status,
)
from test_backoffice_journey import (
    ACCEPTED,
    FINISHED,
    PROCESSING,
    RETURNED,
    VIETNAM,
    _actions,
    _become,
    _forward,
    _open_in_back_office,
    _parse,
    _take,
)

# The steps of the procedure's process, as the catalog names them (their order is the process's).
STEPS = ["Tiếp nhận, kiểm tra hồ sơ", "Tổng hợp phiếu đăng ký", "Trưởng phòng kiểm tra, trình ký",
         "Lãnh đạo Sở xem xét, phê duyệt", "Trả kết quả"]
SLIP_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
SLIP_LINK = "Xem và in phiếu kiểm soát (mẫu 05)"
MARKS = {"Trước hạn", "Đúng hạn", "Trễ hạn"}
SEND_BACK_NOTE = "Bổ sung căn cứ pháp lý vào dự thảo quyết định trước khi trình ký."
# The actions only the holder of a step (or the unit's head) gets.
STEP_ACTIONS = {"Chuyển bước tiếp theo", "Phân công xử lý", "Trả lại bước trước", "Phê duyệt kết quả", "Trả kết quả",
                "Yêu cầu bổ sung", "Dừng xử lý"}
A4_POINTS = (595.3, 841.9)


# --- small steps ----------------------------------------------------------------------------


def _tabs(browser) -> dict[str, tuple[int, str]]:
    """The work lists' tabs of /mot-cua: {label: (count, href)}; a tab without a number counts 0."""
    out = {}
    for a in browser.find_elements(By.CSS_SELECTOR, "main nav.queue-tabs a"):
        count = a.find_elements(By.CSS_SELECTOR, ".count")
        label = a.text[: -len(count[0].text)].strip() if count else a.text.strip()
        out[label] = (int(count[0].text) if count else 0, a.get_attribute("href"))
    return out


def _open_tab(browser, label: str) -> list[str]:
    """From any page: "Một cửa" in the navigation, then the tab `label`; returns the codes it lists."""
    click_and_wait_for_new_page(browser, header_link(browser, "/mot-cua"), "the back office")
    tab = browser.find_element(By.XPATH, f"//main//nav[contains(@class,'queue-tabs')]//a[starts-with(normalize-space(), '{label}')]")
    click_and_wait_for_new_page(browser, tab, f"the tab {label}")
    current = browser.find_element(By.CSS_SELECTOR, "main nav.queue-tabs a[aria-current=page]")
    assert current.text.startswith(label), f"the current tab is {current.text!r}, not {label!r}"
    caption = browser.find_elements(By.CSS_SELECTOR, "main .data-table caption")
    assert not caption or caption[0].text.startswith(label), caption[0].text
    return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "main .data-table tbody tr td:first-child a")]


def _open_from_list(browser, code: str) -> None:
    link = browser.find_element(By.XPATH, f"//main//table//a[normalize-space()='{code}']")
    click_and_wait_for_new_page(browser, link, f"the dossier {code}")
    assert h1(browser).startswith(f"Hồ sơ {code}"), h1(browser)


def _progress(browser, label: str) -> str:
    return info(browser, label, "//main//section[@aria-labelledby='tien-do']")


def _slip_rows(browser) -> list[dict[str, str]]:
    """The rows of the hand-over table (partials/handover-table): one dict per row, by column heading."""
    table = browser.find_element(By.CSS_SELECTOR, "main table.handover-table")
    heads = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert heads == ["TT", "Bước", "Đơn vị", "Bên giao", "Bên nhận", "Thời gian nhận", "Hạn xử lý", "Thời gian chuyển",
                     "Kết quả"], heads
    rows = []
    for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
        cells = tr.find_elements(By.TAG_NAME, "td")
        row = dict(zip(heads, (td.text for td in cells)))
        row["step_name"] = row["Bước"].split("\n", 1)[0]
        row["note"] = row["Bước"].split("\n", 1)[1] if "\n" in row["Bước"] else ""
        row["mark_class"] = cells[-1].get_attribute("class")
        rows.append(row)
    return rows


def _rule(received: datetime, due: datetime, finished: datetime) -> str:
    """The mark the rule gives a finished step (times to the minute, as the slip shows them): after the due moment
    "Trễ hạn"; on a day before the due day "Trước hạn"; otherwise "Đúng hạn"."""
    assert received <= finished, f"finished {finished} before it was received {received}"
    assert finished != due, "finished in the minute it was due: the slip's minutes cannot tell the mark"
    if finished > due:
        return "Trễ hạn"
    return "Trước hạn" if finished.date() < due.date() else "Đúng hạn"


def _make_open_step_late(server, dossier_id: int) -> int:
    """In the running server's SQLite database: the open hand-over row of the dossier (and the dossier's step) is
    due three hours ago. Returns the new due moment (ms since the epoch)."""
    due = int(time.time() * 1000) - 3 * 3600 * 1000
    db = sqlite3.connect(server.data_dir / "motcua.sqlite", timeout=15)
    try:
        with db:
            changed = db.execute("UPDATE dossier_handovers SET due_at = ? WHERE dossier_id = ? AND finished_at IS NULL",
                                 (due, dossier_id)).rowcount
            db.execute("UPDATE dossiers SET step_due_at = ? WHERE id = ?", (due, dossier_id))
    finally:
        db.close()
    assert changed == 1, f"{changed} open hand-over rows of dossier {dossier_id}"
    return due


def _pdf_page_size(pdf: bytes) -> tuple[float, float]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no /MediaBox in the printed PDF"
    return float(boxes[0][0]), float(boxes[0][1])


# --- the journey ----------------------------------------------------------------------------


def test_one_dossier_through_every_step_with_four_people_and_the_control_slip(
        browser, server, new_citizen, staff, file_dossier, tmp_path):
    person = new_citizen("vu.thi.quy.trinh@example.vn", name="Vũ Thị Quy Trình")
    dossier_id, code = file_dossier(person)
    desk, head, processor, leader = staff["receptionist"], staff["head"], staff["processor"], staff["leader"]
    assert len({desk.email, head.email, processor.email, leader.email}) == 4
    result_file = tmp_path / "du-thao-quyet-dinh.pdf"
    result_file.write_bytes(PDF_BYTES.replace(b"%%EOF", b"% du thao\n%%EOF"))

    # 1. The receptionist accepts: the desk holds the process's first step; then forwards it to the unit the
    #    process names without choosing anyone (its head assigns).
    _become(browser, server, desk)
    office = _open_in_back_office(browser, code)
    _take(browser, "Tiếp nhận hồ sơ")
    assert info(browser, "Trạng thái") == ACCEPTED
    assert _progress(browser, "Bước hiện tại") == f"Bước 1/5: {STEPS[0]}"
    assert _progress(browser, "Đơn vị thực hiện") == DESK_UNIT
    assert _progress(browser, "Người đang giữ hồ sơ") == desk.name
    form = browser.find_element(By.XPATH, "//main//form[.//input[@name='action'][@value='forward']]")
    offered = [o.text for o in Select(form.find_element(By.CSS_SELECTOR, "select[name=to]")).options]
    assert offered[0] == "— Chưa chọn —" and processor.name in offered and head.name in offered, offered
    assert leader.name not in offered and desk.name not in offered, f"people outside the next step's unit: {offered}"
    _forward(browser, None)
    assert notice(browser) == "Đã chuyển hồ sơ sang bước tiếp theo.", main_text(browser)[:400]
    assert info(browser, "Trạng thái") == PROCESSING
    assert _progress(browser, "Bước hiện tại").startswith(f"Bước 2/5: {STEPS[1]}"), _progress(browser, "Bước hiện tại")
    assert _progress(browser, "Đơn vị thực hiện") == PROCESSING_UNIT
    assert _progress(browser, "Người đang giữ hồ sơ") == "Chờ phân công"
    assert not STEP_ACTIONS & set(_actions(browser)), f"the desk still acts after forwarding: {_actions(browser)}"

    # 2. The unit head: "Chờ phân công" counts it (1), lists it; assigns it to the processor (a required choice).
    _become(browser, server, head)
    click_and_wait_for_new_page(browser, header_link(browser, "/mot-cua"), "the back office")
    tabs = _tabs(browser)
    assert list(tabs) == ["Chờ phân công", "Tôi đang xử lý", "Sắp đến hạn", "Quá hạn", "Tất cả hồ sơ"], tabs
    assert tabs["Chờ phân công"][0] == 1, f"the head's tabs: {tabs}"
    assert _open_tab(browser, "Chờ phân công") == [code]
    _open_from_list(browser, code)
    assert "Phân công xử lý" in _actions(browser), _actions(browser)
    form = browser.find_element(By.XPATH, "//main//form[.//input[@name='action'][@value='assign']]")
    select = form.find_element(By.CSS_SELECTOR, "select[name=to]")
    assert select.get_attribute("required") is not None, "the assign form's choice is not required"
    label = browser.find_element(By.CSS_SELECTOR, f"label[for='{select.get_attribute('id')}']").text
    assert label == "Chuyên viên được phân công", label
    assert_no_blocking_axe(browser, "the head's dossier waiting for an assignment")
    Select(select).select_by_visible_text(processor.name)
    _take(browser, "Phân công xử lý")
    assert notice(browser) == "Đã phân công xử lý hồ sơ.", main_text(browser)[:400]
    assert _progress(browser, "Người đang giữ hồ sơ") == processor.name
    click_and_wait_for_new_page(browser, header_link(browser, "/mot-cua"), "the back office")
    assert _tabs(browser)["Chờ phân công"][0] == 0, _tabs(browser)

    # 3. The processor: "Tôi đang xử lý" lists it.
    _become(browser, server, processor)
    assert code in _open_tab(browser, "Tôi đang xử lý")

    # 4. The desk now sees it read-only: no step to take, no result to upload, but the progress and the slip.
    _become(browser, server, desk)
    browser.get(server.url + office)
    assert not STEP_ACTIONS & set(_actions(browser)), f"the desk can act on the processor's step: {_actions(browser)}"
    assert not browser.find_elements(By.CSS_SELECTOR, "main form[action*='/ket-qua']")
    assert _progress(browser, "Người đang giữ hồ sơ") == processor.name
    assert browser.find_elements(By.XPATH, f"//main//a[normalize-space()='{SLIP_LINK}']")

    # 5. The processor uploads the result and forwards it: the unit's second step (to themself), then the
    #    leader's, choosing the leader by name.
    _become(browser, server, processor)
    _open_tab(browser, "Tôi đang xử lý")
    _open_from_list(browser, code)
    assert "Chuyển bước tiếp theo" in _actions(browser) and "Phê duyệt kết quả" not in _actions(browser), _actions(browser)
    assert "Trả lại bước trước" not in _actions(browser), "a send-back from the unit's first step"
    upload = browser.find_element(By.CSS_SELECTOR, "main form[action*='/ket-qua']")
    upload.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(str(result_file))
    click_and_wait_for_new_page(browser, upload.find_element(By.XPATH, ".//button[normalize-space()='Tải lên kết quả']"),
                                "the dossier after the result upload")
    assert notice(browser) == "Đã tải lên tệp kết quả.", main_text(browser)[:400]
    _forward(browser, processor.name)
    assert _progress(browser, "Bước hiện tại").startswith(f"Bước 3/5: {STEPS[2]}")
    assert _progress(browser, "Người đang giữ hồ sơ") == processor.name
    form = browser.find_element(By.XPATH, "//main//form[.//input[@name='action'][@value='forward']]")
    offered = [o.text for o in Select(form.find_element(By.CSS_SELECTOR, "select[name=to]")).options]
    assert leader.name in offered and processor.name not in offered, f"the leader's step offers {offered}"
    _forward(browser, leader.name)
    assert _progress(browser, "Bước hiện tại").startswith(f"Bước 4/5: {STEPS[3]}")
    assert _progress(browser, "Đơn vị thực hiện") == LEADERSHIP_UNIT
    assert _progress(browser, "Người đang giữ hồ sơ") == leader.name
    assert not STEP_ACTIONS & set(_actions(browser)), f"the processor still acts on the leader's step: {_actions(browser)}"

    # 6. The leader: "Chờ phê duyệt" lists it; sends it back once, in writing (without a note it is refused).
    _become(browser, server, leader)
    assert code in _open_tab(browser, "Chờ phê duyệt")
    _open_from_list(browser, code)
    assert {"Phê duyệt kết quả", "Trả lại bước trước"} <= set(_actions(browser)), _actions(browser)
    form = browser.find_element(By.XPATH, "//main//form[.//input[@name='action'][@value='sendBack']]")
    browser.execute_script("arguments[0].noValidate = true", form)
    click_and_wait_for_new_page(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"), "a send-back without a note")
    assert response_status(browser) == 422, response_status(browser)
    assert _progress(browser, "Người đang giữ hồ sơ") == leader.name
    _take(browser, "Trả lại bước trước", SEND_BACK_NOTE)
    assert notice(browser) == "Đã trả hồ sơ về bước trước.", main_text(browser)[:400]
    assert _progress(browser, "Bước hiện tại").startswith(f"Bước 3/5: {STEPS[2]}")
    assert _progress(browser, "Người đang giữ hồ sơ") == processor.name

    # 7. The processor gets it back (with the leader's note) and forwards it to the leader again.
    _become(browser, server, processor)
    assert code in _open_tab(browser, "Tôi đang xử lý")
    _open_from_list(browser, code)
    assert SEND_BACK_NOTE in browser.find_element(By.CSS_SELECTOR, "main section[aria-labelledby=kiem-soat]").text
    _forward(browser, leader.name)

    # 8. The leader's step is overdue (its due moment moved three hours back in the database), then approved.
    _make_open_step_late(server, dossier_id)
    _become(browser, server, leader)
    assert code in _open_tab(browser, "Chờ phê duyệt")
    _open_from_list(browser, code)
    _take(browser, "Phê duyệt kết quả")
    assert notice(browser) == "Đã phê duyệt kết quả; người nộp đã được thông báo." and info(browser, "Trạng thái") == FINISHED

    # 9. The desk: "Chờ trả kết quả" lists it; returns it.
    _become(browser, server, desk)
    assert code in _open_tab(browser, "Chờ trả kết quả")
    _open_from_list(browser, code)
    assert "Trả kết quả" in _actions(browser), _actions(browser)
    _take(browser, "Trả kết quả")
    assert notice(browser) == "Đã trả kết quả." and info(browser, "Trạng thái") == RETURNED
    assert _actions(browser) == [], _actions(browser)
    history = browser.find_element(By.CSS_SELECTOR, "main .history").text
    for who in (desk.name, head.name, processor.name, leader.name):
        assert who in history, f"{who} is not in the history:\n{history}"
    on_page = _slip_rows(browser)

    # 10. The control slip (mẫu 05).
    link = browser.find_element(By.XPATH, f"//main//a[normalize-space()='{SLIP_LINK}']")
    assert urllib.parse.urlsplit(link.get_attribute("href")).path == office + "/phieu-kiem-soat"
    click_and_wait_for_new_page(browser, link, "the control slip")
    assert response_status(browser) == 200
    assert h1(browser) == SLIP_TITLE, h1(browser)
    slip = browser.find_element(By.CSS_SELECTOR, "main .slip")
    assert info(browser, "Mã hồ sơ") == code and info(browser, "Người nộp") == person.name
    rows = _slip_rows(browser)
    assert [{k: v for k, v in r.items() if k != "mark_class"} for r in rows] == \
        [{k: v for k, v in r.items() if k != "mark_class"} for r in on_page], "the slip differs from the dossier page's table"
    # One row per stay: the desk, the unit's two steps, the leader, back to the unit's second step (sent back),
    # the leader again, the desk's return.
    positions = [next(i for i, s in enumerate(STEPS) if r["step_name"].startswith(s)) for r in rows]
    assert positions == [0, 1, 2, 3, 2, 3, 4], [r["step_name"] for r in rows]
    assert [r["TT"] for r in rows] == [str(n) for n in range(1, 8)]
    assert [r["Đơn vị"] for r in rows] == [DESK_UNIT, PROCESSING_UNIT, PROCESSING_UNIT, LEADERSHIP_UNIT, PROCESSING_UNIT,
                                           LEADERSHIP_UNIT, DESK_UNIT]
    handed = [r["Bên giao"] for r in rows]
    received = [r["Bên nhận"] for r in rows]
    assert handed == ["Người nộp hồ sơ", desk.name, processor.name, processor.name, leader.name, processor.name, leader.name], handed
    assert received[:6] == [desk.name, processor.name, processor.name, leader.name, processor.name, leader.name], received
    assert rows[4]["note"] == SEND_BACK_NOTE, rows[4]
    people = {name for name in handed + received if name not in ("Người nộp hồ sơ", "Chờ phân công")}
    assert people == {desk.name, processor.name, leader.name}, people
    # The marks: every row has one, the one the rule gives for the times shown; the leader's last stay is late.
    today = datetime.now(VIETNAM).date()
    for n, row in enumerate(rows):
        assert row["Kết quả"] in MARKS, f"row {n + 1} has no mark: {row}"
        received_at, due_at, finished_at = (_parse(row[c]) for c in ("Thời gian nhận", "Hạn xử lý", "Thời gian chuyển"))
        assert finished_at.date() == today, f"row {n + 1} finished on {finished_at:%d/%m/%Y}"
        assert row["Kết quả"] == _rule(received_at, due_at, finished_at), f"row {n + 1}: {row}"
        assert row["mark_class"] == {"Trước hạn": "outcome-early", "Đúng hạn": "outcome-on_time",
                                     "Trễ hạn": "outcome-late"}[row["Kết quả"]], row
    assert rows[5]["Kết quả"] == "Trễ hạn", rows[5]
    assert all(r["Kết quả"] != "Trễ hạn" for i, r in enumerate(rows) if i != 5), [r["Kết quả"] for r in rows]
    assert_no_blocking_axe(browser, "the control slip")

    # Printed: without the site's header, footer and back link; on A4.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        chrome = [el for css in ("header.site-header", "footer.site-footer", "main .no-print")
                  for el in browser.find_elements(By.CSS_SELECTOR, css) if el.is_displayed()]
        assert not chrome, "the printed control slip shows the site's header, footer or the back link"
        assert slip.is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    import base64  # noqa: PLC0415
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    width, height = _pdf_page_size(pdf)
    assert abs(width - A4_POINTS[0]) < 3 and abs(height - A4_POINTS[1]) < 3, f"the slip prints on {width}x{height} pt, not A4"


def test_the_control_slip_names_who_returned_the_result(browser, server, backoffice_dossiers, sign_in_as):
    sign_in_as("receptionist")
    browser.get(f"{server.url}/mot-cua/ho-so/{backoffice_dossiers.returned_id}/phieu-kiem-soat")
    assert h1(browser) == SLIP_TITLE
    last = _slip_rows(browser)[-1]
    assert last["step_name"] == STEPS[-1] and last["Thời gian chuyển"] != "Đang xử lý", last
    assert last["Bên nhận"] != "Chờ phân công", f"the returned dossier's last row: {last}"
