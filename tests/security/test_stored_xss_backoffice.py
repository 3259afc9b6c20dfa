"""Stored XSS across the two sides of a dossier (marked backoffice; contract /tmp/backoffice-contract.md):
what a citizen typed, seen by the staff of the agency; what the staff wrote (supplement request, refusal
and stop reasons, result file names), seen by the citizen; the staff list, the dossier page for staff,
the receipt slip, the staff API. Pages are captured by the `backoffice` fixture (stored_backoffice.py).
"""

from __future__ import annotations

import urllib.parse

import pytest
import requests

import portal
from inert import assert_inert, assert_plain_json_string, long_payload, shown_file_name
from stored import INDIVIDUAL_DOSSIER, ORGANIZATION_DOSSIER
from stored_backoffice import NOTES, RESULT_FILES

pytestmark = pytest.mark.backoffice


def citizen_data(individual) -> list[str]:
    """What the payload citizen stored that its dossier shows to the staff."""
    spec = INDIVIDUAL_DOSSIER
    return [individual.account.name, individual.account.email, spec["summary"], *spec["values"].values(),
            spec["address"], shown_file_name(spec["page_file"]), shown_file_name(spec["api_file"])]


def test_staff_list_shows_the_applicant_name_as_text(backoffice, individual):
    assert_inert(backoffice.pages["staff list"], "/mot-cua", shown=[individual.account.name])


def test_staff_dossier_page_shows_the_citizens_payloads_as_text(backoffice, individual):
    assert_inert(backoffice.pages["staff dossier, submitted"], "/mot-cua/ho-so/{id}", shown=citizen_data(individual))


def test_staff_page_with_a_textarea_field_shows_payloads_as_text(backoffice, organization):
    spec = ORGANIZATION_DOSSIER
    assert_inert(backoffice.pages["staff dossier with a textarea field"], "/mot-cua/ho-so/{id} (Sơn La)",
                 shown=[organization.account.name, spec["summary"], *spec["values"].values(), spec["address"],
                        shown_file_name(spec["page_file"])])
    assert_inert(backoffice.pages["staff list (Sơn La)"], "/mot-cua (Sơn La)", shown=[organization.account.name])


def test_supplement_request_is_shown_to_the_citizen_as_text(backoffice):
    assert_inert(backoffice.pages["citizen dossier, supplement requested"], "/ho-so/{id} with a supplement request",
                 shown=[NOTES["requestSupplement"]])
    assert_inert(backoffice.pages["staff dossier, supplement requested"], "/mot-cua/ho-so/{id} (supplement requested)",
                 shown=[NOTES["requestSupplement"]])


def test_citizens_supplement_note_is_shown_to_the_staff_as_text(backoffice):
    assert_inert(backoffice.pages["staff dossier, supplemented"], "/mot-cua/ho-so/{id} after the supplement",
                 shown=[NOTES["supplement"], NOTES["requestSupplement"]])


def test_receipt_slip_shows_the_citizens_payloads_as_text(backoffice, individual):
    assert_inert(backoffice.pages["receipt slip"], "/mot-cua/ho-so/{id}/phieu-tiep-nhan",
                 shown=[individual.account.name, individual.filed_code])


def test_result_file_names_are_shown_as_text_to_both_sides(backoffice):
    names = [shown_file_name(RESULT_FILES["api"]), shown_file_name(RESULT_FILES["page"])]
    assert_inert(backoffice.pages["citizen dossier, returned"], "/ho-so/{id} with its results", shown=names)
    assert_inert(backoffice.pages["staff dossier, returned"], "/mot-cua/ho-so/{id} with its results", shown=names)


def test_refusal_reason_is_shown_to_the_citizen_as_text(backoffice):
    assert_inert(backoffice.pages["citizen dossier, refused"], "/ho-so/{id} refused", shown=[NOTES["refuse"]])


def test_stop_reason_is_shown_as_text(backoffice):
    assert_inert(backoffice.pages["citizen dossier, stopped"], "/ho-so/{id} stopped", shown=[NOTES["stop"]])
    assert_inert(backoffice.pages["staff dossier, stopped"], "/mot-cua/ho-so/{id} stopped", shown=[NOTES["stop"]])


def test_staff_list_filter_reflects_its_values_as_text(backoffice, staff_client):  # noqa: ARG001
    code = long_payload("q66")
    answer = staff_client("tiepnhan.h06").get_page("/mot-cua?" + urllib.parse.urlencode({"ma": code, "trang-thai": "\"><b>"}))
    assert answer.status_code in (200, 400), portal.describe(answer)
    assert_inert(answer.text, "/mot-cua?ma=payload")


def test_outbox_with_the_back_offices_mails_is_inert(backoffice, admin):  # noqa: ARG001
    answer = admin.get_page("/quan-tri/thu-dien")
    assert answer.status_code == 200
    assert_inert(answer.text, "/quan-tri/thu-dien after the decisions")


def test_staff_api_returns_payloads_as_plain_strings(server, backoffice, individual):
    headers = {"Authorization": f"Bearer {backoffice.tokens['tiepnhan.h06']}"}
    listed = assert_plain_json_string(requests.get(
        f"{server.url}/api/v1/staff/dossiers", params={"code": individual.filed_code}, headers=headers,
        timeout=portal.TIMEOUT), "staff list JSON")
    assert [item["applicantName"] for item in listed["items"]] == [individual.account.name], listed
    dossier = assert_plain_json_string(requests.get(
        f"{server.url}/api/v1/staff/dossiers/{individual.filed}", headers=headers, timeout=portal.TIMEOUT), "staff JSON")
    assert dossier["applicant"]["name"] == individual.account.name
    assert dossier["applicant"]["email"] == individual.account.email
    assert dossier["requestSummary"] == INDIVIDUAL_DOSSIER["summary"]
    notes = [event["note"] for event in dossier["history"]]
    assert NOTES["requestSupplement"] in notes and NOTES["supplement"] in notes, notes


def test_citizen_api_returns_staff_payloads_as_plain_strings(server, backoffice, individual):
    dossier = assert_plain_json_string(portal.api_dossier(server.url, individual.token, individual.filed), "JSON")
    notes = [event["note"] for event in dossier["history"]]
    assert NOTES["requestSupplement"] in notes and NOTES["supplement"] in notes, notes
    results = {f["displayName"] for f in dossier["files"] if f.get("kind") == "result"}
    assert results == {shown_file_name(RESULT_FILES["api"]), shown_file_name(RESULT_FILES["page"])}, dossier["files"]
    refused = assert_plain_json_string(portal.api_dossier(server.url, individual.token, backoffice.refused), "JSON")
    assert NOTES["refuse"] in [event["note"] for event in refused["history"]]
