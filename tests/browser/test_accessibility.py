"""Accessibility of every page type: axe-core (WCAG 2.1 A/AA), keyboard reach and phone width.

Each page type of helpers.PAGES is its own test case in each check, so a report names the page.
"""

from __future__ import annotations

import json
import warnings

import pytest
from selenium_axe_python import Axe

from helpers import ARTIFACTS, PAGES, PageType, artifact_name, describe, mark_focusable, markup_problems, open_page, tab

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PHONE = (375, 800)


class AxeFinding(UserWarning):
    """A minor or moderate axe-core violation: reported, does not fail the suite."""


def _format(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"    {target}\n        {node['html'][:160]}\n        {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more nodes")
    return "\n".join(lines)


def _ids(pages):
    return [p.id for p in pages]


def _open(request, browser, server, page: PageType) -> None:
    # The sign-in fixtures (which register an account) only for the pages behind a login.
    sign_in_as = request.getfixturevalue("sign_in_as") if page.user else None
    # What the page shows (a dossier, …), made once per session by the page's setup fixture.
    values = request.getfixturevalue(page.setup).values() if page.setup else None
    open_page(browser, server.url, page, sign_in_as, values)


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_axe_wcag21_aa(browser, server, page: PageType, request):
    _open(request, browser, server, page)
    axe = Axe(browser)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    minor = [v for v in violations if v.get("impact") not in BLOCKING]
    if minor:
        warnings.warn(AxeFinding(f"{page.id} ({page.path}):\n{_format(minor)}"))
    if blocking:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS / (artifact_name(request.node.nodeid) + ".axe.json")
        out.write_text(json.dumps(violations, indent=2, ensure_ascii=False), encoding="utf-8")
    assert not blocking, (
        f"{page.id} ({page.path}): {len(blocking)} serious/critical axe violation(s); all violations found:\n"
        + _format(violations)
    )
    assert results["passes"], "axe ran no check at all"
    problems = markup_problems(browser)
    assert not problems, f"{page.id} ({browser.current_url}):\n  " + "\n  ".join(problems)


# Elements sticking out to the right of the viewport, deepest first, for the failure message. Elements
# clipped by a scrolling ancestor (a .table-wrap) do not count, except absolutely positioned ones whose
# containing block is outside that ancestor: those escape its overflow and widen the page.
_OVERFLOW_JS = r"""
const w = document.documentElement.clientWidth;
function clipped(el) {
  const pos = getComputedStyle(el).position;
  if (pos === 'fixed') return false;
  let needBlock = pos === 'absolute';
  for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
    const cs = getComputedStyle(a);
    if (needBlock && (cs.position !== 'static' || cs.transform !== 'none')) needBlock = false;
    if (!needBlock && cs.overflowX !== 'visible') return true;
  }
  return false;
}
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width && r.right > w + 0.5 && !clipped(el)) {
    if (out.length && el.parentElement && out[out.length - 1].el === el.parentElement) out.pop();
    const pos = getComputedStyle(el).position;
    out.push({el, desc: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
              (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
              ' right=' + Math.round(r.right) + (pos === 'absolute' ? ' (position: absolute)' : '') + ' ' +
              JSON.stringify((el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40)) +
              ' in ' + (el.parentElement ? el.parentElement.tagName.toLowerCase() : '?')});
  }
}
return out.slice(0, 12).map(o => o.desc);
"""


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_phone_width_has_no_horizontal_scroll(browser, server, page: PageType, request):
    browser.set_window_size(*PHONE)
    _open(request, browser, server, page)
    inner = browser.execute_script("return window.innerWidth")
    assert inner == PHONE[0], f"could not emulate a {PHONE[0]} px wide phone: innerWidth is {inner}"
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    if scroll > PHONE[0]:
        culprits = browser.execute_script(_OVERFLOW_JS)
        pytest.fail(f"{page.id} ({page.path}) is {scroll} px wide at {PHONE[0]} px; sticking out:\n  "
                    + "\n  ".join(culprits))


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_keyboard_reaches_every_control_with_visible_focus(browser, server, page: PageType, request):
    """Tab from the top to the end of the page: every link and control gets focus, in view, with a ring."""
    _open(request, browser, server, page)
    expected = mark_focusable(browser)
    assert expected, "no focusable element on the page"
    reached: list[int] = []
    trail, problems = [], []
    # A date input takes four Tab stops (day, month, year, then its calendar button).
    parts = browser.execute_script("return document.querySelectorAll('input[type=date]').length")
    # A <summary> takes a Tab stop without being in our list (the outbox has one per message).
    summaries = browser.execute_script("return document.querySelectorAll('summary').length")
    for _ in range(len(expected) + 3 * parts + summaries + 5):
        now = tab(browser)
        if now is None:  # past the last element: focus left the document
            break
        trail.append(describe(now))
        if now["idx"] is None:
            continue  # focusable but not in our list (e.g. a scroll region): fine
        idx = int(now["idx"])
        if reached and idx == reached[-1]:
            continue  # the next part of the same control (day, month, year and calendar of an <input type=date>)
        if idx in reached:
            break  # wrapped around
        reached.append(idx)
        if not now["indicator"]:
            problems.append(f"no visible focus indicator: {describe(now)}")
        if not now["inViewport"]:
            problems.append(f"focused but off screen: {describe(now)}")
        elif now["obscuredBy"]:
            problems.append(f"focused but hidden under {now['obscuredBy']}: {describe(now)}")
    missed = [expected[i] for i in range(len(expected)) if i not in reached]
    assert not missed, f"{page.id}: Tab never reached {missed}; focus went: " + " → ".join(trail)
    assert not problems, f"{page.id}:\n  " + "\n  ".join(problems)
    assert reached == sorted(reached), (
        f"{page.id}: focus order differs from reading order: " + " → ".join(trail))
