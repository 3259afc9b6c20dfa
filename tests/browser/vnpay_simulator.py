"""A VNPay 2.1.0 payment gateway of our own for the browser suite (the real one is not reachable from here).

Standard library only (http.server in a thread, hmac/hashlib, urllib). It lives in the tests, never in the product.

What it does, as VNPay's documentation describes the gateway's side:
  GET  /paymentv2/vpcpay.html?<vnp_ params>&vnp_SecureHash=<hex>
       The portal's payment URL. The signature is checked the way VNPay's reference code checks it: every vnp_
       parameter except vnp_SecureHash and vnp_SecureHashType (empty values left out), sorted by name, form-encoded
       with urllib.parse.urlencode (quote_plus; the same as PHP's urlencode for everything the portal sends),
       HMAC-SHA512 with the terminal's secret, hex. Then version, command, terminal, currency, amount, return URL
       and expiry. A refused request gets an error page (HTTP 400) naming VNPay's code, and is recorded in
       `.refusals`. An accepted one gets a small page with the amount (vnp_Amount / 100) and two buttons:
       "Thanh toán" and "Hủy giao dịch".
  POST /paymentv2/vpcpay.html   (the buttons)
       Builds the signed result: vnp_Amount, vnp_BankCode=NCB, vnp_BankTranNo (paid only: a cancelled transaction
       never reached a bank, as with VNPay), vnp_CardType=ATM, vnp_OrderInfo, vnp_PayDate (yyyyMMddHHmmss, GMT+7),
       vnp_ResponseCode (00 paid, 24 cancelled), vnp_TmnCode, vnp_TransactionNo ("0" when cancelled, as VNPay
       sends), vnp_TransactionStatus (00 / 02), vnp_TxnRef, then vnp_SecureHash over them. First it calls the
       merchant's IPN server to server (GET `ipn_url`?<signed result>) and records the answer's RspCode in
       `.notifications`; then it sends the browser (302) to vnp_ReturnUrl?<the same signed result>.
       A reference already paid or cancelled here is refused (code 02 "đã được xử lý"), like the real gateway.

Knobs for the tests: `hold_ipn = True` keeps the next IPNs back (the browser returns before the portal knows),
`release_held()` sends them; `replay(notification)` sends an IPN again, as VNPay's retries do.

The IPN address is the merchant's setting at VNPay, not a parameter of the payment URL: set `ipn_url` once the
portal's address is known. The port is bound when the simulator is made, so the portal's configuration
(MOTCUA_VNPAY_FILE, `settings()`) can name it before the portal starts.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAY_PATH = "/paymentv2/vpcpay.html"
QUERY_PATH = "/merchant_webapi/api/transaction"
VIETNAM = timezone(timedelta(hours=7))
UNSIGNED = ("vnp_SecureHash", "vnp_SecureHashType")
REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef", "vnp_OrderInfo",
            "vnp_OrderType", "vnp_Locale", "vnp_ReturnUrl", "vnp_IpAddr", "vnp_CreateDate", "vnp_ExpireDate")


def canonical(params: dict[str, str]) -> str:
    """The signed data: vnp_ parameters but the hash ones, non-empty, sorted, form-encoded, joined with "&"."""
    signed = sorted((k, v) for k, v in params.items() if k.startswith("vnp_") and k not in UNSIGNED and v != "")
    return urllib.parse.urlencode(signed)


def sign(params: dict[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha512).hexdigest()


def signed_query(params: dict[str, str], secret: str) -> str:
    """<canonical>&vnp_SecureHash=<hex>: what VNPay appends to the return URL and the IPN URL."""
    return canonical(params) + "&vnp_SecureHash=" + sign(params, secret)


def dong(amount: int) -> str:
    """100000 -> "100.000 đ"."""
    return f"{amount:,}".replace(",", ".") + " đ"


@dataclass(frozen=True)
class Checkout:
    """A payment URL the gateway accepted."""
    reference: str
    amount: int  # đồng
    params: dict[str, str]


@dataclass(frozen=True)
class Refusal:
    """A payment URL the gateway refused: VNPay's code and why."""
    code: str
    reason: str
    query: str


@dataclass(frozen=True)
class Notification:
    """One IPN call: what the gateway told the merchant and what the merchant answered."""
    reference: str
    response_code: str  # vnp_ResponseCode sent
    transaction_status: str  # vnp_TransactionStatus sent
    http_status: int | None  # None: no answer at all (connection refused, timeout)
    rsp_code: str | None  # the merchant's RspCode
    message: str | None
    query: str  # the signed query sent


@dataclass
class VNPaySimulator:
    terminal_code: str = "CANTHO01"
    hash_secret: str = "K8P2QW9ZR4TX7MNB3VCD6FGH5JLA1SEY"
    ipn_url: str | None = None
    ipn_timeout: float = 10.0
    # True: the IPN of the next results is held back (the browser returns first, as when VNPay's call is late);
    # release_held() sends them.
    hold_ipn: bool = False
    checkouts: list[Checkout] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.RLock()  # refuse() records under the lock its caller may hold
        self._finished: dict[str, str] = {}  # reference -> response code sent
        self._held: list[tuple[str, dict[str, str], str]] = []  # IPNs not sent yet: (reference, result, query)
        self._transaction_numbers = itertools.count(14_730_001)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> "VNPaySimulator":
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="vnpay-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    # --- what the portal's configuration needs ------------------------------------------------

    @property
    def payment_url(self) -> str:
        return self.url + PAY_PATH

    @property
    def query_url(self) -> str:
        return self.url + QUERY_PATH

    def settings(self) -> dict[str, str]:
        """One agency's entry of MOTCUA_VNPAY_FILE."""
        return {"paymentURL": self.payment_url, "queryURL": self.query_url, "terminalCode": self.terminal_code,
                "hashSecret": self.hash_secret}

    # --- what the tests read --------------------------------------------------------------

    def notifications_for(self, reference: str) -> list[Notification]:
        with self._lock:
            return [n for n in self.notifications if n.reference == reference]

    def acknowledged_payments(self, reference: str) -> int:
        """How many IPNs of a successful payment of `reference` the merchant answered with RspCode "00"."""
        return sum(1 for n in self.notifications_for(reference) if n.response_code == "00" and n.rsp_code == "00")

    def checkout_count(self) -> int:
        with self._lock:
            return len(self.checkouts)

    # --- the protocol -----------------------------------------------------------------------

    def read_payment_request(self, query: str, record: bool = True) -> tuple[Checkout | None, Refusal | None]:
        """Checks a payment URL's query as VNPay does: (the checkout, None) or (None, the refusal). `record`: a new
        visit of the payment page (kept in `.checkouts`), not the buttons' form sending the same query back."""
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))

        def refuse(code: str, reason: str):
            refusal = Refusal(code, reason, query)
            with self._lock:
                self.refusals.append(refusal)
            return None, refusal

        given = params.get("vnp_SecureHash", "")
        if not given or not hmac.compare_digest(given.lower(), sign(params, self.hash_secret)):
            return refuse("97", "Chữ ký không hợp lệ")
        # The signed string must be the query as sent (the portal's own encoding), not only the same values.
        sent = query.split("&vnp_SecureHash=", 1)[0]
        if sent != canonical(params):
            return refuse("97", f"Chuỗi ký không theo thứ tự và cách mã hóa của VNPay: {sent[:200]}")
        missing = [name for name in REQUIRED if not params.get(name)]
        if missing:
            return refuse("03", "Thiếu tham số " + ", ".join(missing))
        if params["vnp_Version"] != "2.1.0" or params["vnp_Command"] != "pay":
            return refuse("03", "Sai phiên bản hoặc lệnh")
        if params["vnp_TmnCode"] != self.terminal_code:
            return refuse("02", "Website chưa được phê duyệt (vnp_TmnCode)")
        if params["vnp_CurrCode"] != "VND":
            return refuse("03", "Loại tiền tệ không hỗ trợ")
        amount = params["vnp_Amount"]
        if not amount.isdigit() or int(amount) % 100 or int(amount) <= 0:
            return refuse("03", "Số tiền không hợp lệ")
        try:
            expires = datetime.strptime(params["vnp_ExpireDate"], "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
            datetime.strptime(params["vnp_CreateDate"], "%Y%m%d%H%M%S")
        except ValueError:
            return refuse("03", "Sai định dạng thời gian")
        if expires <= datetime.now(VIETNAM):
            return refuse("11", "Giao dịch đã hết hạn chờ thanh toán")
        return_url = urllib.parse.urlsplit(params["vnp_ReturnUrl"])
        if return_url.scheme not in ("http", "https") or not return_url.netloc:
            return refuse("03", "Địa chỉ trả về không hợp lệ")
        with self._lock:
            if params["vnp_TxnRef"] in self._finished:
                return refuse("02", "Giao dịch đã được xử lý (vnp_TxnRef trùng)")
            checkout = Checkout(params["vnp_TxnRef"], int(amount) // 100, params)
            if record:
                self.checkouts.append(checkout)
        return checkout, None

    def finish(self, checkout: Checkout, pay: bool) -> tuple[str, Notification | None]:
        """The payer pressed a button: the signed result, sent to the IPN first (unless hold_ipn). Returns (return URL,
        the IPN call or None when held)."""
        params = checkout.params
        with self._lock:
            if checkout.reference in self._finished:
                raise ValueError("Giao dịch đã được xử lý")
            self._finished[checkout.reference] = "00" if pay else "24"
            number = next(self._transaction_numbers)
        result = {
            "vnp_Amount": params["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": params["vnp_OrderInfo"],
            "vnp_PayDate": datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S"),
            "vnp_ResponseCode": "00" if pay else "24",
            "vnp_TmnCode": params["vnp_TmnCode"],
            "vnp_TransactionNo": str(number) if pay else "0",
            "vnp_TransactionStatus": "00" if pay else "02",
            "vnp_TxnRef": checkout.reference,
        }
        if pay:
            result["vnp_BankTranNo"] = f"VNP{number}"
        query = signed_query(result, self.hash_secret)
        if self.hold_ipn:
            with self._lock:
                self._held.append((checkout.reference, result, query))
            notification = None
        else:
            notification = self.notify(checkout.reference, result, query)
        separator = "&" if "?" in params["vnp_ReturnUrl"] else "?"
        return params["vnp_ReturnUrl"] + separator + query, notification

    def release_held(self) -> list[Notification]:
        """Sends the IPNs held back (hold_ipn), oldest first, and stops holding."""
        with self._lock:
            held, self._held = self._held, []
            self.hold_ipn = False
        return [self.notify(reference, result, query) for reference, result, query in held]

    def replay(self, notification: Notification) -> Notification:
        """Sends an IPN again, unchanged (VNPay retries when it got no "00" or "02"; the merchant must not pay twice)."""
        result = dict(urllib.parse.parse_qsl(notification.query))
        return self.notify(notification.reference, result, notification.query)

    def notify(self, reference: str, result: dict[str, str], query: str) -> Notification:
        """GET ipn_url?query, server to server, as VNPay calls the merchant; records what it answered."""
        status = rsp = message = None
        if self.ipn_url:
            try:
                with urllib.request.urlopen(self.ipn_url + "?" + query, timeout=self.ipn_timeout) as resp:
                    status, body = resp.status, resp.read()
            except urllib.error.HTTPError as e:
                status, body = e.code, e.read()
            except OSError:
                body = b""
            try:
                answer = json.loads(body or b"{}")
                rsp, message = answer.get("RspCode"), answer.get("Message")
            except ValueError:
                pass
        notification = Notification(reference, result["vnp_ResponseCode"], result["vnp_TransactionStatus"], status, rsp,
                                    message, query)
        with self._lock:
            self.notifications.append(notification)
        return notification


# --- pages -----------------------------------------------------------------------------------


def _page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}"
            "button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}</style></head>"
            f"<body><main>{body}</main></body></html>").encode()


def _checkout_page(checkout: Checkout, query: str) -> bytes:
    p = checkout.params
    return _page("Cổng thanh toán VNPay (mô phỏng)", (
        "<h1>Cổng thanh toán VNPay (mô phỏng)</h1>"
        "<dl>"
        f"<dt>Nhà cung cấp</dt><dd id=\"terminal\">{html.escape(p['vnp_TmnCode'])}</dd>"
        f"<dt>Mã giao dịch</dt><dd id=\"txn-ref\">{html.escape(checkout.reference)}</dd>"
        f"<dt>Nội dung</dt><dd id=\"order-info\">{html.escape(p['vnp_OrderInfo'])}</dd>"
        f"<dt>Số tiền</dt><dd id=\"amount\">{dong(checkout.amount)}</dd>"
        "</dl>"
        f"<form method=\"post\" action=\"{PAY_PATH}\">"
        f"<input type=\"hidden\" name=\"q\" value=\"{html.escape(query)}\">"
        "<button type=\"submit\" name=\"action\" value=\"pay\">Thanh toán</button>"
        "<button type=\"submit\" name=\"action\" value=\"cancel\">Hủy giao dịch</button>"
        "</form>"))


def _error_page(code: str, reason: str) -> bytes:
    return _page("Thông báo lỗi", f"<h1>Giao dịch không thành công</h1><p id=\"error\">Mã lỗi {html.escape(code)}: "
                                  f"{html.escape(reason)}</p>")


def _handler_for(sim: VNPaySimulator):
    class Handler(BaseHTTPRequestHandler):
        server_version = "VNPaySimulator/1.0"

        def log_message(self, format, *args):  # noqa: A002  quiet: the tests read the records instead
            pass

        def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            path, _, query = self.path.partition("?")
            if path != PAY_PATH:
                self._send(404, _error_page("404", "Không tìm thấy trang"))
                return
            checkout, refusal = sim.read_payment_request(query)
            if refusal is not None:
                self._send(400, _error_page(refusal.code, refusal.reason))
                return
            self._send(200, _checkout_page(checkout, query))

        def do_POST(self):  # noqa: N802
            if self.path != PAY_PATH:
                self._send(404, json.dumps({"RspCode": "99", "Message": "Not found"}).encode(), "application/json")
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("ascii", "replace")))
            action = form.get("action")
            if action not in ("pay", "cancel"):
                self._send(400, _error_page("03", "Thiếu lựa chọn thanh toán hoặc hủy"))
                return
            checkout, refusal = sim.read_payment_request(form.get("q", ""), record=False)
            if refusal is not None:
                self._send(400, _error_page(refusal.code, refusal.reason))
                return
            try:
                location, _ = sim.finish(checkout, pay=action == "pay")
            except ValueError as e:
                self._send(400, _error_page("02", str(e)))
                return
            self._send(HTTPStatus.FOUND, b"", headers={"Location": location})

    return Handler
