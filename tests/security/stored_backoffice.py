"""The back office's part of the XSS sweep (pytest plugin loaded by conftest.py; contract:
/tmp/backoffice-contract.md): staff of Bắc Kạn (H06) act on the payload citizen's dossiers with payload
notes, and the citizen answers a supplement request with a payload note. Pages are captured at the
moment they show each payload (e.g. the citizen's page while the supplement request is open).

Marker map (continues stored.py):
  q60 supplement request (receptionist → citizen)   q61 supplement note (citizen → desk)
  q62 result file name (staff API, X-File-Name)     q63 result file name (staff upload form, multipart)
  q64 refusal reason                                q65 stop reason (leader)
  q66 staff list filter "ma" (reflected)
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
import requests

import portal
from inert import file_name_payload, long_payload

NOTES = {
    "requestSupplement": long_payload("q60"),
    "supplement": long_payload("q61"),
    "refuse": long_payload("q64"),
    "stop": long_payload("q65"),
}
RESULT_FILES = {"api": file_name_payload("q62"), "page": file_name_payload("q63", quote=False)}


@dataclass
class BackOffice:
    tokens: dict[str, str]                       # staff prefix -> API token
    pages: dict[str, str] = field(default_factory=dict)   # captured HTML by name
    refused: int = 0
    stopped: int = 0


def act(staff: portal.Client, dossier_id: int, action: str, note: str = "", **extra: str) -> None:
    """One decision through the staff page's form (POST /mot-cua/ho-so/{id}/xu-ly): 303 back to the same dossier."""
    data = {"action": action, **extra}
    if note:
        data["note"] = note
    answer = staff.post_form(f"/mot-cua/ho-so/{dossier_id}/xu-ly", data)
    assert answer.status_code == 303, f"{action}: " + portal.describe(answer)
    location = answer.headers.get("Location", "")
    assert location.startswith(f"/mot-cua/ho-so/{dossier_id}?"), f"{action}: redirected to {location!r}, not back to the dossier"


# Returning the result: whatever the applicant chose (desk, post, online), what the desk records.
RETURN_FIELDS = {"collector_name": "Nguyễn Văn An", "collector_id_number": "001099000111",
                 "tracking_number": "EL123456789VN",
                 "sent_on": (datetime.now(timezone(timedelta(hours=7)))).date().isoformat()}


def capture(client: portal.Client, path: str) -> str:
    answer = client.get_page(path)
    assert answer.status_code == 200, portal.describe(answer)
    return answer.text


@pytest.fixture(scope="session")
def backoffice(server, individual, organization, staff_client, payload_staff) -> BackOffice:
    receptionist, processor, leader = (staff_client(p) for p in ("tiepnhan.h06", "chuyenvien.h06", "lanhdao.h06"))
    payload_receptionist = portal.sign_in(server.url, payload_staff.email, payload_staff.password)
    office = BackOffice(tokens={p: portal.create_api_token(staff_client(p), "bo-phan-" + p)
                                for p in ("tiepnhan.h06", "chuyenvien.h06")})
    citizen, dossier = individual.client, individual.filed

    office.pages["staff list"] = capture(receptionist, "/mot-cua")
    office.pages["staff dossier, submitted"] = capture(receptionist, f"/mot-cua/ho-so/{dossier}")

    act(receptionist, dossier, "requestSupplement", NOTES["requestSupplement"])
    office.pages["citizen dossier, supplement requested"] = capture(citizen, f"/ho-so/{dossier}")
    office.pages["staff dossier, supplement requested"] = capture(receptionist, f"/mot-cua/ho-so/{dossier}")
    answer = citizen.post_form(f"/ho-so/{dossier}/bo-sung", {"note": NOTES["supplement"]})
    assert answer.status_code == 303, portal.describe(answer)
    office.pages["staff dossier, supplemented"] = capture(receptionist, f"/mot-cua/ho-so/{dossier}")

    # Accepted by the receptionist whose name and e-mail are payloads.
    act(payload_receptionist, dossier, "accept")
    office.pages["receipt slip"] = capture(receptionist, f"/mot-cua/ho-so/{dossier}/phieu-tiep-nhan")
    # The process: the desk forwards to the unit (its demo processor works there), the processor to the
    # unit's second step and to the leaders' unit; nobody is chosen, so each step waits in its unit's pool.
    act(receptionist, dossier, "forward")
    answer = requests.put(
        f"{server.url}/api/v1/staff/dossiers/{dossier}/result-files", data=portal.PDF_BYTES, timeout=portal.TIMEOUT,
        headers={"Authorization": f"Bearer {office.tokens['chuyenvien.h06']}", "Content-Type": "application/pdf",
                 "X-File-Name": urllib.parse.quote(RESULT_FILES["api"], safe="")})
    assert answer.status_code == 201, f"result file through the staff API: {answer.status_code} {answer.text[:300]}"
    answer = processor.post_file(f"/mot-cua/ho-so/{dossier}/ket-qua", "file", RESULT_FILES["page"],
                                 portal.PDF_BYTES + b"% 2\n%%EOF\n")
    assert answer.status_code == 303, "result file through the staff form: " + portal.describe(answer)
    act(processor, dossier, "forward")
    act(processor, dossier, "forward")
    act(leader, dossier, "finish")
    act(receptionist, dossier, "returnResult", **RETURN_FIELDS)
    office.pages["citizen dossier, returned"] = capture(citizen, f"/ho-so/{dossier}")
    office.pages["staff dossier, returned"] = capture(receptionist, f"/mot-cua/ho-so/{dossier}")

    office.refused = individual.spare[0]
    act(receptionist, office.refused, "refuse", NOTES["refuse"])
    office.pages["citizen dossier, refused"] = capture(citizen, f"/ho-so/{office.refused}")

    office.stopped = individual.spare[1]
    act(receptionist, office.stopped, "accept")
    act(receptionist, office.stopped, "forward")
    act(leader, office.stopped, "stop", NOTES["stop"])
    office.pages["citizen dossier, stopped"] = capture(citizen, f"/ho-so/{office.stopped}")
    office.pages["staff dossier, stopped"] = capture(leader, f"/mot-cua/ho-so/{office.stopped}")

    sonla = staff_client("tiepnhan.h52")
    office.pages["staff list (Sơn La)"] = capture(sonla, "/mot-cua")
    office.pages["staff dossier with a textarea field"] = capture(sonla, f"/mot-cua/ho-so/{organization.filed}")
    return office
