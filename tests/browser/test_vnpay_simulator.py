"""The VNPay simulator itself (no portal, no browser): it must refuse what VNPay refuses, or the payment journeys'
"the gateway accepted the portal's URL" would prove nothing, and what it sends back must verify with the secret."""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

import pytest

from vnpay_simulator import VIETNAM, VNPaySimulator, canonical

SECRET = "K8P2QW9ZR4TX7MNB3VCD6FGH5JLA1SEY"


@pytest.fixture
def sim():
    s = VNPaySimulator(terminal_code="CANTHO01", hash_secret=SECRET).start()
    yield s
    s.stop()


def _payment_query(**changes) -> dict[str, str]:
    now = datetime.now(VIETNAM)
    params = {
        "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "CANTHO01", "vnp_Amount": "10000000",
        "vnp_CurrCode": "VND", "vnp_TxnRef": "1T17965R59", "vnp_OrderInfo": "Nop phi, le phi ho so 000.00.09.H13-261206-0001",
        "vnp_OrderType": "other", "vnp_Locale": "vn", "vnp_ReturnUrl": "http://127.0.0.1:9/thanh-toan/vnpay/ket-qua",
        "vnp_IpAddr": "127.0.0.1", "vnp_CreateDate": now.strftime("%Y%m%d%H%M%S"),
        "vnp_ExpireDate": (now + timedelta(minutes=15)).strftime("%Y%m%d%H%M%S"),
    }
    params.update(changes)
    return params


def _signed(params: dict[str, str], secret: str = SECRET) -> str:
    data = canonical(params)
    return data + "&vnp_SecureHash=" + hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def _get(sim, query: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{sim.payment_url}?{query}", timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_a_payment_url_signed_as_vnpay_says_is_shown_with_its_amount(sim):
    status, page = _get(sim, _signed(_payment_query()))
    assert status == 200 and "100.000 đ" in page and "Thanh toán" in page and "Hủy giao dịch" in page, page
    assert [c.reference for c in sim.checkouts] == ["1T17965R59"] and not sim.refusals


@pytest.mark.parametrize("query, code", [
    (lambda: _signed(_payment_query()).replace("vnp_Amount=10000000", "vnp_Amount=100"), "97"),  # tampered amount
    (lambda: _signed(_payment_query(), secret="another-secret"), "97"),
    (lambda: _signed(_payment_query()).split("&vnp_SecureHash=")[0], "97"),  # unsigned
    # The right HMAC over the right values, but the query not in VNPay's order: not the string that was signed.
    (lambda: "&".join(reversed(_signed(_payment_query()).split("&vnp_SecureHash=")[0].split("&")))
     + "&vnp_SecureHash=" + _signed(_payment_query()).split("&vnp_SecureHash=")[1], "97"),
    (lambda: _signed(_payment_query(vnp_TmnCode="OTHER001")), "02"),
    (lambda: _signed(_payment_query(vnp_CurrCode="USD")), "03"),
    (lambda: _signed(_payment_query(vnp_Amount="10000050")), "03"),
    (lambda: _signed(_payment_query(vnp_ExpireDate=(datetime.now(VIETNAM) - timedelta(minutes=1)).strftime("%Y%m%d%H%M%S"))), "11"),
], ids=["tampered-amount", "wrong-secret", "unsigned", "unsorted", "foreign-terminal", "currency", "hundredths", "expired"])
def test_what_vnpay_refuses_is_refused(sim, query, code):
    status, page = _get(sim, query())
    assert status == 400 and f"Mã lỗi {code}" in page, page
    assert not sim.checkouts and [r.code for r in sim.refusals] == [code]


def test_the_result_is_signed_and_a_finished_reference_is_refused(sim):
    _get(sim, _signed(_payment_query()))
    location, notification = sim.finish(sim.checkouts[0], pay=True)
    assert notification.rsp_code is None and notification.http_status is None  # no ipn_url: nobody answered
    query = urllib.parse.urlsplit(location).query
    params = dict(urllib.parse.parse_qsl(query))
    assert params["vnp_ResponseCode"] == "00" and params["vnp_TransactionStatus"] == "00" and params["vnp_Amount"] == "10000000"
    assert hmac.compare_digest(params["vnp_SecureHash"],
                               hmac.new(SECRET.encode(), canonical(params).encode(), hashlib.sha512).hexdigest())
    status, page = _get(sim, _signed(_payment_query()))
    assert status == 400 and "Mã lỗi 02" in page, page
