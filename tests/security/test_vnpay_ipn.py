"""Fuzzing VNPay's IPN and the browser return (issue 13, "the security suite fuzzes the IPN").

The session's server gives Cần Thơ's Sở Nội vụ (000.00.09.H13) a VNPay terminal (conftest.VNPAY_SETTINGS).
One citizen files three dossiers of procedure 2.000596 over the JSON API (fee 100.000 đ due at submission,
status 6) and starts one online payment for each: the GENUINE one is paid by a real signed IPN, the two
BYSTANDERS stay unpaid. Then a few hundred mutated IPN queries (seeded: MOTCUA_IPN_FUZZ_SEED, printed on
failure) go to GET /api/v1/payments/vnpay/ipn: random, missing and duplicated parameters, 100 kB values,
non-UTF-8 and broken percent escapes, unicode and control characters, SQL metacharacters, odd amounts,
signatures whose case, length or alphabet changed, a valid signature over a wrong amount, currency or
terminal, replays of the genuine success. None of them may pay a bystander (valid signatures are only
ever made over a bystander's reference with a wrong amount, currency or terminal).

Asserted: every answer is 200 `application/json` with RspCode in {00, 01, 02, 04, 97, 99} (never a 5xx,
never another body); the targeted cases get the code the protocol calls for; afterwards the genuine
dossier is paid exactly once (status 1, paid 100000, one receipt, one `pay` event, its attempt paid) and
nothing else changed (the bystanders still status 6 with their attempt pending, no receipt, no event; no
receipt in the database for any other attempt). The browser return page
/thanh-toan/vnpay/ket-qua?<garbage> answers 400 or 200 HTML and never reflects injected markup.

Two deliberate details:
- A query whose request head exceeds 80 KiB (the 100 kB values) is refused by the HTTP server itself
  (NIO's head limit: an empty 400, before any route runs); that is accepted as a clean refusal (400, 414
  or 431; never a 5xx or a dropped connection) and counted in the printed summary. Below the limit
  (8 KiB and 33 KiB values, 3000 parameters) the protocol's answer is required.
- Malformed or non-UTF-8 percent-escapes have their own test: QueryEncodingMiddleware (global) answers
  them 400 application/problem+json before the IPN handler runs, where the protocol wants 200 with
  RspCode 97/99. That test fails until the IPN route is exempted (or the middleware answers it in kind).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import random
import sqlite3
import string
import time
import urllib.parse
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
import requests

import portal
from conftest import VNPAY_AGENCY, VNPAY_SECRET, VNPAY_TERMINAL

PROCEDURE = "2.000596"
FEE = 100_000
IPN = "/api/v1/payments/vnpay/ipn"
RETURN = "/thanh-toan/vnpay/ket-qua"
CODES = {"00", "01", "02", "04", "97", "99"}
SEED = int(os.environ.get("MOTCUA_IPN_FUZZ_SEED", "1303"))
FUZZ_CASES = int(os.environ.get("MOTCUA_IPN_FUZZ_CASES", "400"))
HUGE = 100 * 1024
# The HTTP server refuses a request head over 80 KiB with an empty 400 before any route runs (NIO's limit):
# a longer query cannot get the protocol's answer; it must be refused cleanly (4xx, never 5xx or a hang).
HEAD_LIMIT = 80 * 1024
HEAD_REFUSALS = {400, 414, 431}

SQL = ["' OR '1'='1", "1; DROP TABLE payment_receipts; --", "\" OR \"\"=\"", "') OR 1=1 --", "1 UNION SELECT sha256 FROM "
       "payment_receipts", "%' AND 1=0 --", "\\'; UPDATE payment_attempts SET state='paid' --", "0x27", "`", "$1", "?"]
UNICODE = ["Nộp phí hồ sơ", "𝓿𝓷𝓹𝓪𝔂 💸", "\u202eyapnv", "e\u0301\u0301\u0301", "\u0000", "\ufeff00", "١٢٣", "١٠٠٠٠٠٠٠",
           "\u200b00", "ＣＡＮＴＨＯ０１", "Ⅻ", "\ud7ff", "\U0010ffff"]
MARKUP = ['<script>alert("fz")</script>', '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>",
          "javascript:alert(1)", "</title><h1>fz</h1>", "{{7*7}}", "<!--", "&lt;b&gt;"]
BAD_ESCAPES = ["%ff%fe", "%c3%28", "%80", "%", "%g1", "%e2%82", "%ed%a0%80", "%f8%88%80%80%80", "%c0%af", "%2", "%%", "%u0041"]
AMOUNTS = ["-10000000", "1e7", "10000000.00", " 10000000", "010000000", "99999999999999999999", "0", "", "10000001",
           "1000000000", "10000000\u0000", "１００００００００", "0x989680", "NaN", "9223372036854775807", "9223372036854775808",
           "10000000 ", "+10000000"]


def vn_now() -> str:
    return datetime.now(timezone(timedelta(hours=7))).strftime("%Y%m%d%H%M%S")


def sign(params: list[tuple[str, str]] | dict[str, str], secret: str = VNPAY_SECRET) -> str:
    """hex HMAC-SHA512 of the sorted, form-encoded parameters (how VNPay signs)."""
    items = sorted(params.items() if isinstance(params, dict) else params)
    return hmac.new(secret.encode(), urllib.parse.urlencode(items).encode(), hashlib.sha512).hexdigest()


def signed_query(params: dict[str, str], secret: str = VNPAY_SECRET) -> str:
    return urllib.parse.urlencode(list(params.items()) + [("vnp_SecureHashType", "HmacSHA512"),
                                                          ("vnp_SecureHash", sign(params, secret))])


@dataclass
class Filed:
    dossier_id: int
    code: str
    reference: str
    transaction_no: str

    def paid_params(self, **changes: str) -> dict[str, str]:
        """The parameters of VNPay's IPN saying this attempt was paid (changes applied; None removes)."""
        params = {
            "vnp_Amount": str(FEE * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": f"VNP{self.transaction_no}",
            "vnp_CardType": "ATM", "vnp_OrderInfo": f"Nop phi, le phi ho so {self.code}", "vnp_PayDate": vn_now(),
            "vnp_ResponseCode": "00", "vnp_TmnCode": VNPAY_TERMINAL, "vnp_TransactionNo": self.transaction_no,
            "vnp_TransactionStatus": "00", "vnp_TxnRef": self.reference,
        }
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
            else:
                params[k] = v
        return params


class Payments:
    """One citizen's three dossiers of 2.000596 awaiting payment, each with one VNPay attempt."""

    def __init__(self, server, citizen_factory):
        self.base = server.url
        self.db_path = server.data_dir / "motcua.sqlite"
        _, client = citizen_factory()
        self.token = portal.create_api_token(client, "vnpay-ipn-fuzz")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {self.token}"
        self.started_at = int(time.time() * 1000)
        self.genuine = self.file(1)
        self.bystanders = [self.file(2), self.file(3)]

    def file(self, n: int) -> Filed:
        s, base = self.session, self.base
        draft = s.post(f"{base}/api/v1/dossiers", timeout=portal.TIMEOUT, json={
            "agencyCode": VNPAY_AGENCY, "procedureCode": PROCEDURE, "deliveryMethod": "desk",
            "requestSummary": f"Thi nâng ngạch, kiểm thử IPN {n}",
            "values": {"district": "Quận Cái Răng", "exam_grade": "Cán sự", "candidate_count": "2"}})
        assert draft.status_code == 201, portal.describe(draft)
        did = draft.json()["id"]
        for position in (1, 2, 3, 4):
            up = portal.upload_api(base, self.token, did, position, file_name=f"giay-to-{position}.pdf")
            assert up.status_code == 201, portal.describe(up)
        done = s.post(f"{base}/api/v1/dossiers/{did}/submit", timeout=portal.TIMEOUT)
        assert done.status_code == 200 and done.json()["status"] == 6, portal.describe(done)
        pay = s.post(f"{base}/api/v1/dossiers/{did}/payments", timeout=portal.TIMEOUT)
        assert pay.status_code == 201 and pay.json()["amount"] == FEE, portal.describe(pay)
        return Filed(did, done.json()["code"], pay.json()["reference"], str(15_000_000 + did))

    def state(self, f: Filed) -> dict:
        """What the API and the database say about the dossier's payment."""
        d = self.session.get(f"{self.base}/api/v1/dossiers/{f.dossier_id}", timeout=portal.TIMEOUT)
        p = self.session.get(f"{self.base}/api/v1/dossiers/{f.dossier_id}/payments", timeout=portal.TIMEOUT)
        assert d.status_code == 200 and p.status_code == 200, (portal.describe(d), portal.describe(p))
        pay = p.json()
        return {
            "status": d.json()["status"], "paid": pay["paid"], "due": pay["due"], "receipts": len(pay["receipts"]),
            "attempts": [(a["reference"], a["state"]) for a in pay["attempts"]],
            "pay events": self.sql("SELECT COUNT(*) FROM dossier_events WHERE action = 'pay' AND dossier_id = ?",
                                   f.dossier_id)[0][0],
            "db receipts": self.sql("SELECT COUNT(*) FROM payment_receipts WHERE dossier_id = ?", f.dossier_id)[0][0],
        }

    def sql(self, query: str, *args) -> list[tuple]:
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def ipn(self, query: str) -> requests.Response:
        return requests.get(f"{self.base}{IPN}?{query}", timeout=portal.TIMEOUT)


@pytest.fixture(scope="module")
def payments(server, citizen_factory) -> Payments:
    return Payments(server, citizen_factory)


def check_answer(r: requests.Response, what: str) -> str | None:
    """The RspCode, or a description of what is wrong with the answer."""
    ctype = r.headers.get("Content-Type", "")
    if r.status_code != 200 or not ctype.startswith("application/json"):
        return f"{what}: HTTP {r.status_code} {ctype!r}: {r.text[:200]!r}"
    try:
        body = r.json()
    except ValueError:
        return f"{what}: not JSON: {r.text[:200]!r}"
    if not isinstance(body, dict) or body.get("RspCode") not in CODES or not isinstance(body.get("Message"), str):
        return f"{what}: body {r.text[:200]!r}"
    return None


def send(payments: Payments, query: str, what: str) -> tuple[str | None, str | None]:
    """(RspCode, problem); RspCode "head" when a query over the HTTP server's head limit was refused cleanly."""
    try:
        r = payments.ipn(query)
    except requests.RequestException as e:
        return None, f"{what}: no answer ({type(e).__name__}: {e})"
    if len(query) > HEAD_LIMIT - 1024 and r.status_code in HEAD_REFUSALS:
        return "head", None
    problem = check_answer(r, what)
    return (None if problem else r.json()["RspCode"]), problem


# ---------------------------------------------------------------------------------------------
# The genuine payment and the targeted cases
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def genuine_paid(payments) -> str:
    """The genuine attempt paid by its real IPN; returns that query (replayed later)."""
    query = signed_query(payments.genuine.paid_params())
    code, problem = send(payments, query, "the genuine IPN")
    assert problem is None, problem
    assert code == "00", f"the genuine IPN answered {code}"
    return query


def targeted_cases(payments: Payments, genuine_query: str) -> list[tuple[str, str, set[str]]]:
    """(what, query, the codes the protocol allows)."""
    g, b = payments.genuine, payments.bystanders[0]
    sig = dict(urllib.parse.parse_qsl(genuine_query))["vnp_SecureHash"]
    unsigned_genuine = genuine_query.rsplit("&vnp_SecureHash=", 1)[0]
    return [
        ("replay of the genuine success", genuine_query, {"02"}),
        ("replay with the signature in upper case", f"{unsigned_genuine}&vnp_SecureHash={sig.upper()}", {"02", "97"}),
        ("replay with the signature in mixed case", f"{unsigned_genuine}&vnp_SecureHash="
         + "".join(c.upper() if i % 2 else c for i, c in enumerate(sig)), {"02", "97"}),
        ("replay with vnp_SecureHashType and parameters reordered",
         urllib.parse.urlencode(list(reversed(urllib.parse.parse_qsl(genuine_query)))), {"02"}),
        ("bystander, no signature", urllib.parse.urlencode(b.paid_params()), {"97"}),
        ("bystander, empty signature", urllib.parse.urlencode(b.paid_params()) + "&vnp_SecureHash=", {"97"}),
        ("bystander, the genuine's signature", urllib.parse.urlencode(b.paid_params()) + f"&vnp_SecureHash={sig}",
         {"97"}),
        ("bystander, signed with another secret", signed_query(b.paid_params(), "WRONGSECRETWRONGSECRETWRONGSECRE"),
         {"97"}),
        ("bystander, signature one bit off", urllib.parse.urlencode(b.paid_params()) + "&vnp_SecureHash="
         + sign(b.paid_params())[:-1] + ("0" if sign(b.paid_params())[-1] != "0" else "1"), {"97"}),
        ("bystander, signature truncated", urllib.parse.urlencode(b.paid_params()) + "&vnp_SecureHash="
         + sign(b.paid_params())[:64], {"97"}),
        ("bystander, SHA-256 signature", urllib.parse.urlencode(b.paid_params()) + "&vnp_SecureHash=" + hmac.new(
            VNPAY_SECRET.encode(), urllib.parse.urlencode(sorted(b.paid_params().items())).encode(),
            hashlib.sha256).hexdigest(), {"97"}),
        ("bystander, valid signature, amount one đồng less", signed_query(b.paid_params(vnp_Amount=str((FEE - 1) * 100))),
         {"04"}),
        ("bystander, valid signature, amount ×10", signed_query(b.paid_params(vnp_Amount=str(FEE * 1000))), {"04"}),
        ("bystander, valid signature, amount 1 đ", signed_query(b.paid_params(vnp_Amount="100")), {"04"}),
        ("bystander, valid signature, currency USD", signed_query(b.paid_params(vnp_CurrCode="USD")), {"04"}),
        ("bystander, valid signature, another terminal", signed_query(b.paid_params(vnp_TmnCode="HANOI001")), {"97", "01"}),
        ("bystander, valid signature, terminal in lower case", signed_query(b.paid_params(vnp_TmnCode="cantho01")),
         {"97", "01"}),
        ("valid signature, unknown reference", signed_query(g.paid_params(vnp_TxnRef="999999T1R1")), {"01"}),
        ("valid signature, SQL in the reference", signed_query(g.paid_params(vnp_TxnRef=f"{b.reference}' OR '1'='1")),
         {"01"}),
        ("valid signature, reference with a trailing space", signed_query(g.paid_params(vnp_TxnRef=b.reference + " ")),
         {"01"}),
        ("genuine, valid signature, wrong amount", signed_query(g.paid_params(vnp_Amount=str(FEE * 200))), {"04"}),
        ("genuine, valid signature, another transaction number", signed_query(g.paid_params(vnp_TransactionNo="1")),
         {"02"}),
        ("genuine, valid signature, now failed", signed_query(g.paid_params(vnp_ResponseCode="24",
                                                                            vnp_TransactionStatus="02")), {"02"}),
    ]


def test_ipn_targeted_cases_get_the_protocols_answer(payments, genuine_paid):
    problems = []
    seen = {}
    for what, query, allowed in targeted_cases(payments, genuine_paid):
        code, problem = send(payments, query, what)
        if problem:
            problems.append(problem)
        elif code not in allowed:
            problems.append(f"{what}: RspCode {code}, expected one of {sorted(allowed)}")
        seen[what] = code
    assert not problems, "\n".join(problems)
    print("targeted answers:", seen)


# ---------------------------------------------------------------------------------------------
# Random mutations
# ---------------------------------------------------------------------------------------------


def random_text(rng: random.Random, n: int | None = None) -> str:
    n = rng.randint(0, 40) if n is None else n
    alphabet = string.printable + "ĐđơưắằẵẫạệỗỹỴ€😀\u0000\u202e\ufffd"
    return "".join(rng.choice(alphabet) for _ in range(n))


class Mutator:
    """Mutated IPN queries; a valid signature is only ever made over the genuine reference, an unknown one, or
    a bystander's with a wrong amount, currency or terminal (never a query that could pay a bystander)."""

    def __init__(self, rng: random.Random, payments: Payments):
        self.rng = rng
        self.g = payments.genuine
        self.bystanders = payments.bystanders

    def base(self) -> tuple[dict[str, str], bool]:
        """A paid IPN's parameters and whether a valid signature over them may be made."""
        rng = self.rng
        target = rng.choice([self.g, self.g, *self.bystanders])
        params = target.paid_params()
        if target is self.g:
            return params, True
        # A bystander: only signable with something that cannot pay it.
        fix = rng.choice(["amount", "currency", "terminal"])
        if fix == "amount":
            params["vnp_Amount"] = str(rng.choice([1, 99_999, 100_001, 10**9, rng.randint(2, 10**8)]) * 100)
        elif fix == "currency":
            params["vnp_CurrCode"] = rng.choice(["USD", "vnd", "VN", "", "VNĐ"]) or "EUR"
        else:
            params["vnp_TmnCode"] = rng.choice(["CANTHO02", "HANOI001", "cantho01", "CANTHO0", "CANTHO011"])
        return params, True

    def safe(self, params: dict[str, str]) -> bool:
        """Whether a valid signature over `params` cannot change a bystander's attempt: it names none, or its
        terminal, currency or amount is surely wrong (an amount counts as right unless it is plain digits
        that differ from the fee's)."""
        if params.get("vnp_TxnRef") not in {b.reference for b in self.bystanders}:
            return True
        amount = params.get("vnp_Amount", "")
        return (params.get("vnp_TmnCode") != VNPAY_TERMINAL or params.get("vnp_CurrCode", "VND") not in ("VND", "")
                or (amount.isascii() and amount.isdigit() and int(amount) != FEE * 100))

    def bad_escape(self) -> tuple[str, str]:
        """A query with a percent-escape that is malformed or not UTF-8, in a name or a value."""
        rng = self.rng
        params, _ = self.base()
        if rng.random() < 0.25:
            return "raw bytes", rng.choice([
                urllib.parse.quote(os.urandom(rng.randint(1, 300))), "%ff" * 2000, "%", "%%", "a=%",
                f"vnp_TmnCode={VNPAY_TERMINAL}&" + "%ff" * 500 + "=1", f"vnp_TmnCode={VNPAY_TERMINAL}%",
                "".join(rng.choice("&=%+;#?/\\\"'<>") for _ in range(rng.randint(1, 200)))])
        name = rng.choice(sorted(params))
        escape = rng.choice(BAD_ESCAPES)
        q = urllib.parse.urlencode(params)
        q = q.replace(f"{name}=", f"{name}={escape}" if rng.random() < 0.7 else f"{name}{escape}=", 1)
        if rng.random() < 0.5:
            q += "&vnp_SecureHash=" + sign(params)
        return f"{escape} in {name}", q

    def query(self) -> tuple[str, str]:
        """(what, raw query string)."""
        rng = self.rng
        params, signable = self.base()
        kind = rng.choice(["random params", "missing param", "duplicated param", "huge value",
                           "unicode", "sql", "amount", "signature case", "signature junk", "name case", "raw garbage",
                           "many params", "markup"])
        signed = signable and rng.random() < 0.5
        extra = ""
        if kind == "random params":
            params = {random_text(rng, rng.randint(1, 12)): random_text(rng) for _ in range(rng.randint(0, 15))}
            if rng.random() < 0.5:
                params["vnp_TmnCode"] = VNPAY_TERMINAL
        elif kind == "missing param":
            for _ in range(rng.randint(1, 4)):
                params.pop(rng.choice(sorted(params)), None)
        elif kind == "duplicated param":
            name = rng.choice(sorted(params))
            value = rng.choice([params[name], random_text(rng), self.bystanders[0].reference, str(FEE * 100)])
            extra = "&" + urllib.parse.urlencode([(name, value)])
        elif kind == "huge value":
            name = rng.choice(sorted(params) + ["vnp_SecureHash", "vnp_Junk", "x"])
            params[name] = rng.choice(["A", "9", "%", "ệ", "<"]) * rng.choice([HUGE, HUGE // 3, 8 * 1024])
            signed = signed and name != "vnp_SecureHash"
        elif kind == "unicode":
            for _ in range(rng.randint(1, 3)):
                params[rng.choice(sorted(params))] = rng.choice(UNICODE)
        elif kind == "sql":
            for _ in range(rng.randint(1, 3)):
                name = rng.choice(sorted(params))
                params[name] = rng.choice([params[name] + s for s in SQL] + SQL)
        elif kind == "amount":
            params["vnp_Amount"] = rng.choice(AMOUNTS)
            signed = signed and params.get("vnp_TxnRef") == self.g.reference
        elif kind == "signature case":
            sig = sign(params if self.safe(params) else self.g.paid_params())
            sig = rng.choice([sig.upper(), sig.swapcase(), "".join(rng.choice([c, c.upper()]) for c in sig),
                              " " + sig, sig + " ", sig + "0", sig[:-2]])
            return kind, urllib.parse.urlencode(params) + "&vnp_SecureHash=" + urllib.parse.quote(sig)
        elif kind == "signature junk":
            junk = rng.choice(["", "0" * 128, "g" * 128, "zz", random_text(rng, 128), "00" * 64 + "00",
                               sign(params)[::-1], "%00" * 64, "null", "undefined", "-1"])
            return kind, urllib.parse.urlencode(params) + "&vnp_SecureHash=" + junk
        elif kind == "name case":
            name = rng.choice(sorted(params))
            params[rng.choice([name.upper(), name.lower(), name + "[]", name + " ", " " + name, name + "\u0000"])] = \
                params.pop(name)
        elif kind == "raw garbage":
            return kind, rng.choice([
                "", "&", "&&&", "=", "==", "?", "%", "vnp_TmnCode", "vnp_TmnCode=", f"vnp_TmnCode={VNPAY_TERMINAL}",
                f"vnp_TmnCode={VNPAY_TERMINAL}&vnp_TmnCode={VNPAY_TERMINAL}", "vnp_SecureHash=" + "a" * 128,
                "".join(rng.choice("&=+;#?/\\\"'<>ÿ") for _ in range(rng.randint(1, 200))),
                urllib.parse.quote(os.urandom(rng.randint(1, 300)).decode("utf-8", "replace")),
                f"vnp_TmnCode={VNPAY_TERMINAL}&" + "%00" * 500 + "=1", "%25" * 3000,
            ])
        elif kind == "many params":
            for i in range(rng.choice([100, 1000, 3000])):
                params[f"vnp_X{i}"] = str(i)
            signed = signed and len(params) < 2000
        elif kind == "markup":
            for _ in range(rng.randint(1, 3)):
                params[rng.choice(sorted(params))] = rng.choice(MARKUP)
        body = urllib.parse.urlencode(params) + extra
        signed = signed and self.safe(params)
        if signed:
            body += "&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=" + sign(params)
        elif rng.random() < 0.5:
            body += "&vnp_SecureHash=" + sign(params)[: rng.choice([0, 10, 127, 128])] + rng.choice(["", "0"])
        return f"{kind}{' (validly signed)' if signed else ''}", body


def test_ipn_fuzz_always_answers_the_protocol_and_pays_nothing_else(payments, genuine_paid):
    before = {f.dossier_id: payments.state(f) for f in payments.bystanders}
    rng = random.Random(SEED)
    mutator = Mutator(rng, payments)
    problems: list[str] = []
    codes: dict[str, int] = {}
    for n in range(FUZZ_CASES):
        if n % 50 == 25:  # the gateway replays the real success among the garbage
            what, query = "replay of the genuine success", genuine_paid
        else:
            what, query = mutator.query()
        code, problem = send(payments, query, f"case {n} ({what}, {len(query)} bytes)")
        if problem:
            problems.append(problem)
        else:
            codes[code] = codes.get(code, 0) + 1
            if code == "00":  # the genuine attempt was paid before: nothing may be recorded any more
                problems.append(f"case {n} ({what}): RspCode 00 — something was recorded: {query[:300]!r}")
    summary = f"seed {SEED}: {FUZZ_CASES} mutated IPNs, answers " + " ".join(
        f"{k}×{v}" if k != "head" else f"{v} over {HEAD_LIMIT // 1024} KiB refused by the HTTP server"
        for k, v in sorted(codes.items()))
    print(summary)

    # The genuine dossier paid exactly once; nothing else changed.
    g = payments.state(payments.genuine)
    assert g == {"status": 1, "paid": FEE, "due": 0, "receipts": 1, "attempts": [(payments.genuine.reference, "paid")],
                 "pay events": 1, "db receipts": 1}, f"genuine dossier {payments.genuine.dossier_id}: {g}"
    after = {f.dossier_id: payments.state(f) for f in payments.bystanders}
    for f in payments.bystanders:
        assert after[f.dossier_id] == before[f.dossier_id], f"bystander {f.dossier_id} changed: {before[f.dossier_id]} -> {after[f.dossier_id]}"
        assert after[f.dossier_id]["status"] == 6 and after[f.dossier_id]["receipts"] == 0
        assert after[f.dossier_id]["attempts"] == [(f.reference, "pending")]
    others = payments.sql("SELECT r.dossier_id, a.reference FROM payment_receipts r JOIN payment_attempts a ON a.id = r.attempt_id "
                          "WHERE r.issued_at >= ?", payments.started_at)
    assert others == [(payments.genuine.dossier_id, payments.genuine.reference)], f"receipts issued: {others}"
    assert not problems, f"{summary}; {len(problems)} bad answers:\n" + "\n".join(problems[:25])


def test_ipn_with_malformed_percent_escapes_gets_the_protocols_answer(payments, genuine_paid):
    """A query whose percent-escapes are malformed or not UTF-8 is still VNPay's IPN: it must be answered 200
    with RspCode 97 or 99 like any unreadable notification (the handler does so: VNPayQuery.decode refuses the
    escape, PaymentService answers 99), not a 400 problem document the gateway does not understand."""
    rng = random.Random(SEED + 2)
    mutator = Mutator(rng, payments)
    problems, codes = [], {}
    for n in range(60):
        what, query = mutator.bad_escape()
        code, problem = send(payments, query, f"case {n} ({what}, {len(query)} bytes)")
        if problem:
            problems.append(problem)
        else:
            codes[code] = codes.get(code, 0) + 1
            if code not in ("97", "99", "01"):
                problems.append(f"case {n} ({what}): RspCode {code}")
    assert payments.state(payments.genuine)["receipts"] == 1
    for f in payments.bystanders:
        assert payments.state(f)["attempts"] == [(f.reference, "pending")]
    assert not problems, (f"{len(problems)} of 60 IPNs with malformed escapes not answered by the protocol "
                          f"(answers {codes}):\n" + "\n".join(problems[:12]))


# ---------------------------------------------------------------------------------------------
# The browser return page
# ---------------------------------------------------------------------------------------------


def test_browser_return_answers_400_or_200_and_reflects_no_markup(server, payments, genuine_paid):
    rng = random.Random(SEED + 1)
    mutator = Mutator(rng, payments)
    g = payments.genuine
    cases: list[tuple[str, str, list[str]]] = [("no query", "", []), ("the genuine success", genuine_paid, [])]
    for n in range(120):
        payload = rng.choice(MARKUP) + f"fz{n}"
        name = rng.choice(["vnp_OrderInfo", "vnp_TxnRef", "vnp_TmnCode", "vnp_Amount", "vnp_ResponseCode", "vnp_BankCode",
                           "vnp_Junk", "vnp_SecureHash"])
        params = g.paid_params(**{name: payload}) if name != "vnp_SecureHash" else g.paid_params()
        if name == "vnp_SecureHash":
            query = urllib.parse.urlencode(params) + "&vnp_SecureHash=" + urllib.parse.quote(payload)
        elif name == "vnp_TmnCode" or rng.random() < 0.5:
            query = urllib.parse.urlencode(params) + "&vnp_SecureHash=" + sign(params)  # signed: read further
        else:
            query = urllib.parse.urlencode(params)
        cases.append((f"markup in {name}", query, [payload]))
    for n in range(60):
        what, query = mutator.query()
        cases.append((what, query, [m for m in MARKUP if urllib.parse.quote_plus(m) in query]))
    problems = []
    statuses: dict[int, int] = {}
    for n, (what, query, injected) in enumerate(cases):
        try:
            r = requests.get(f"{server.url}{RETURN}?{query}", timeout=portal.TIMEOUT, allow_redirects=False)
        except requests.RequestException as e:
            problems.append(f"case {n} ({what}): no answer ({type(e).__name__})")
            continue
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        if len(query) > HEAD_LIMIT - 1024 and r.status_code in HEAD_REFUSALS:
            continue  # refused by the HTTP server before any route: nothing reflected
        if r.status_code not in (200, 400):
            problems.append(f"case {n} ({what}, {len(query)} bytes): HTTP {r.status_code}: {r.text[:200]!r}")
            continue
        if not r.headers.get("Content-Type", "").startswith("text/html"):
            problems.append(f"case {n} ({what}): Content-Type {r.headers.get('Content-Type')!r}")
        for payload in injected:
            if "<" in payload and payload != "<!--" and payload in r.text:
                problems.append(f"case {n} ({what}): the page reflects {payload!r} unescaped")
    print("return page statuses:", statuses)
    assert statuses.get(200, 0) >= 1, f"the genuine success never showed a page: {statuses}"
    assert not problems, "\n".join(problems[:25])
    # The return page only shows: still paid once.
    assert payments.state(g)["receipts"] == 1
    for f in payments.bystanders:
        assert payments.state(f)["attempts"] == [(f.reference, "pending")]
