"""A citizen uses the public catalog: search, filter, read a procedure, download a form, get lost and back.

Every step goes through the real server and a real Chromium, the way a person would (clicks and
typing, or the keyboard alone).
"""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from helpers import (
    PROCEDURE_URL_RE,
    TABS,
    active,
    click,
    click_and_wait_for_new_page,
    describe,
    press_and_wait_for_new_page,
    result_count,
    result_links,
    shown_range,
    tab,
    wait_for_file,
    wait_until,
)

QUERY = "nang bac luong"  # typed without diacritics, as many people do
HCM = "Sở Nội vụ Thành phố Hồ Chí Minh"


def _search_from_home(browser, server, query: str) -> None:
    browser.get(server.url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "form.search-form #tu-khoa")
    box.send_keys(query)
    button = browser.find_element(By.CSS_SELECTOR, "form.search-form button[type=submit]")
    click_and_wait_for_new_page(browser, button, "the search results")


def test_search_filter_open_procedure_read_tabs_and_download_a_form(browser, server, downloads):
    # 1. Search from the home page, without diacritics.
    _search_from_home(browser, server, QUERY)
    assert "/thu-tuc" in browser.current_url
    total = result_count(browser)
    titles = [a.text for a in result_links(browser)]
    assert total > 0, "searching 'nang bac luong' found nothing"
    shown = shown_range(browser)
    assert shown and shown[0] == 1, f"result count does not say which results are shown: {shown}"
    assert len(titles) == shown[1] - shown[0] + 1 <= total, f"count says {total} {shown}, page lists {titles}"
    with_phrase = [t for t in titles if "nâng bậc lương" in t.casefold()]
    assert len(with_phrase) >= 2, f"expected titles with 'Nâng bậc lương', got {titles}"
    assert any("Nâng bậc lương" in t for t in titles), titles

    # 2. Narrow down to one agency with the select, submit the filter form.
    Select(browser.find_element(By.ID, "co-quan")).select_by_visible_text(HCM)
    submit = browser.find_element(By.CSS_SELECTOR, "form.filter-form button[type=submit]")
    click_and_wait_for_new_page(browser, submit, "the filtered results")
    filtered = result_count(browser)
    items = browser.find_elements(By.CSS_SELECTOR, ".procedure-item")
    assert 0 < filtered < total, f"filtering by {HCM} gave {filtered} of {total}"
    assert len(items) == filtered
    for item in items:
        meta = item.find_element(By.CSS_SELECTOR, ".procedure-meta").text
        assert HCM in meta, f"a result of another agency after filtering: {meta!r}"
        title = item.find_element(By.CSS_SELECTOR, ".procedure-title").text
        assert "lương" in title.casefold(), f"filtering lost the search words: {title!r}"
    assert Select(browser.find_element(By.ID, "co-quan")).first_selected_option.text == HCM, \
        "the agency select does not show the chosen agency after filtering"

    # 3. Open the first procedure.
    link = result_links(browser)[0]
    name = link.text
    click_and_wait_for_new_page(browser, link, "the procedure page")
    assert PROCEDURE_URL_RE.search(browser.current_url), browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == name

    # 4. Walk through the six tabs.
    for label, value in TABS:
        tab_link = browser.find_element(By.XPATH, f'//nav[contains(@class,"tabs")]//a[normalize-space()="{label}"]')
        click_and_wait_for_new_page(browser, tab_link, f"the tab {label}")
        if value:
            assert f"tab={value}" in browser.current_url, (label, browser.current_url)
        current = browser.find_elements(By.CSS_SELECTOR, 'nav.tabs a[aria-current="page"]')
        assert [a.text for a in current] == [label], f"tab {label}: current tab is {[a.text for a in current]}"
        panel = browser.find_element(By.CSS_SELECTOR, ".tab-panel")
        assert panel.find_element(By.TAG_NAME, "h2").text == label
        body = panel.text.replace(label, "", 1).strip()
        assert len(body) > 20, f"tab {label} is empty: {panel.text!r}"
        assert browser.find_element(By.TAG_NAME, "h1").text == name, f"tab {label} shows another procedure"

    # 5. Back on "Biểu mẫu" (the walk ended on the last tab), download the first form template (a .docx, i.e. a
    # zip: starts with PK).
    tab_link = browser.find_element(By.XPATH, '//nav[contains(@class,"tabs")]//a[normalize-space()="Biểu mẫu"]')
    click_and_wait_for_new_page(browser, tab_link, "the tab Biểu mẫu")
    templates = browser.find_elements(By.CSS_SELECTOR, ".template-list a")
    assert templates, "the Biểu mẫu tab offers no template"
    listed = templates[0].find_element(By.XPATH, "..").text
    click(browser, templates[0])
    file = wait_for_file(downloads)
    data = file.read_bytes()
    assert data[:2] == b"PK", f"{file.name} does not start with PK: {data[:16]!r}"
    assert file.suffix.lower() == ".docx", f"downloaded {file.name!r}"
    m = re.search(r"\((\w+), (\d+) KB\)", listed)
    assert m, f"template size/type not shown: {listed!r}"
    assert m.group(1).lower() == "docx"
    assert abs(len(data) / 1024 - int(m.group(2))) <= 1, f"listed {m.group(2)} KB, downloaded {len(data)} bytes"
    # Still on the procedure page: a download must not navigate away.
    assert PROCEDURE_URL_RE.search(browser.current_url), browser.current_url


def test_search_box_keeps_what_the_citizen_typed(browser, server):
    """The results page repeats the query as typed: a browser sends spaces as '+' (form encoding)."""
    _search_from_home(browser, server, QUERY)
    shown = browser.find_element(By.ID, "tu-khoa").get_attribute("value")
    assert shown == QUERY, f"search box shows {shown!r} after searching {QUERY!r}"
    assert QUERY in browser.title, f"page title is {browser.title!r}"
    # Searching again from the results page must not change the results.
    first = result_count(browser)
    submit = browser.find_element(By.CSS_SELECTOR, "form.filter-form button[type=submit]")
    click_and_wait_for_new_page(browser, submit, "the same search again")
    assert result_count(browser) == first
    assert browser.find_element(By.ID, "tu-khoa").get_attribute("value") == QUERY


def test_browse_the_whole_catalog_page_by_page(browser, server):
    browser.get(server.url + "/thu-tuc")
    total = result_count(browser)
    first, last = shown_range(browser)
    page1 = [a.text for a in result_links(browser)]
    assert first == 1 and len(page1) == last < total, f"{total} procedures, shown {first}–{last}: {len(page1)} links"

    nxt = browser.find_element(By.CSS_SELECTOR, 'nav[aria-label="Phân trang"] a[rel="next"]')
    click_and_wait_for_new_page(browser, nxt, "page 2")
    assert "page=2" in browser.current_url
    first2, last2 = shown_range(browser)
    page2 = [a.text for a in result_links(browser)]
    assert first2 == last + 1 and len(page2) == last2 - first2 + 1, (first2, last2, len(page2))
    assert not set(page1) & set(page2), "a procedure is listed on both pages"
    current = browser.find_element(By.CSS_SELECTOR, 'nav[aria-label="Phân trang"] [aria-current="page"]')
    assert current.text == "2"
    if last2 == total:
        assert not browser.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Phân trang"] a[rel="next"]'), \
            "the last page offers a next page"

    prev = browser.find_element(By.CSS_SELECTOR, 'nav[aria-label="Phân trang"] a[rel="prev"]')
    click_and_wait_for_new_page(browser, prev, "page 1 again")
    assert [a.text for a in result_links(browser)] == page1


@pytest.mark.parametrize("path", ["/khong-co-trang-nay", "/thu-tuc/000.00.08.H06/9.999999"],
                         ids=["unknown-path", "unknown-procedure"])
def test_lost_citizen_finds_the_way_home_from_the_404_page(browser, server, path):
    assert server.status(path) == 404
    browser.get(server.url + path)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không tìm thấy trang"
    home = browser.find_element(By.XPATH, '//main//a[normalize-space()="Về trang chủ"]')
    click_and_wait_for_new_page(browser, home, "the home page")
    assert browser.current_url == server.url + "/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dịch vụ công trực tuyến"


def test_keyboard_only_search_and_open_a_result(browser, server):
    """Tab and Enter only: skip link, search box, results, first result."""
    browser.get(server.url + "/")
    skip = browser.find_element(By.CSS_SELECTOR, ".skip-link")
    hidden_rect = skip.rect
    assert hidden_rect["y"] + hidden_rect["height"] <= 0, f"skip link visible before focus: {hidden_rect}"

    # Tab 1: the skip link, now focused and on screen.
    first = tab(browser)
    assert first and "skip-link" in first["cls"], f"first Tab focused {describe(first)}, not the skip link"
    wait_until(browser, lambda d: (active(d) or {}).get("inViewport"), "the skip link to slide into view", 3)
    assert skip.is_displayed()
    assert active(browser)["indicator"], "the focused skip link has no focus indicator"

    # Enter: focus moves to main content; next Tab is the search box.
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait_until(browser, lambda d: (active(d) or {}).get("id") == "noi-dung", "focus on main#noi-dung")
    assert browser.current_url.endswith("#noi-dung")
    box = tab(browser)
    assert box and box["id"] == "tu-khoa", f"Tab after the skip link focused {describe(box)}, not the search box"
    assert box["indicator"], "the focused search box has no focus indicator"

    # Type and press Enter.
    ActionChains(browser).send_keys(QUERY).perform()
    press_and_wait_for_new_page(browser, Keys.ENTER, "the search results")
    assert "/thu-tuc" in browser.current_url and "q=" in browser.current_url, browser.current_url
    assert result_count(browser) > 0
    target = result_links(browser)[0]
    target_href = target.get_attribute("href")
    target_name = target.text

    # Tab from the top of the results page to the first result.
    trail = []
    for _ in range(40):
        now = tab(browser)
        trail.append(describe(now))
        if now is None:
            continue
        assert now["indicator"], f"no visible focus indicator on {describe(now)}"
        assert now["inViewport"], f"focused element not scrolled into view: {describe(now)}"
        if now["tag"] == "a" and now["href"] and target_href.endswith(now["href"]):
            break
    else:
        pytest.fail("Tab never reached the first result; focus went: " + " → ".join(trail))
    assert len(trail) <= 16, "too many Tabs to reach the first result: " + " → ".join(trail)

    press_and_wait_for_new_page(browser, Keys.ENTER, "the procedure page")
    assert PROCEDURE_URL_RE.search(browser.current_url), browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == target_name
