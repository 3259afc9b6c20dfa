import Foundation
import Testing

/// Python's standard library as the independent reference for the payment tests: hmac, hashlib,
/// urllib.parse, binascii, unicodedata and datetime, none of which shares code with ours.
enum PaymentPython {
    static var available: Bool { ExternalTool.has("python3") }

    /// Runs `script` with one JSON argument and returns its standard output (trailing newline removed).
    static func run(_ script: String, _ input: [String: Any]) throws -> String {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys]), as: UTF8.self)
        let result = try ExternalTool.run("python3", ["-c", script, json])
        guard result.status == 0 else { throw PythonFailed(errors: result.errors) }
        return result.output.hasSuffix("\n") ? String(result.output.dropLast()) : result.output
    }

    struct PythonFailed: Error, CustomStringConvertible {
        var errors: String
        var description: String { "python3 failed: \(errors)" }
    }

    /// A VNPay 2.1.0 payment URL as the sandbox documentation describes it, written from the documentation
    /// alone: the order info without diacritics, times as yyyyMMddHHmmss in GMT+7, parameters sorted by name
    /// and form-encoded (urllib's quote_plus), HMAC-SHA512 hex with the secret, appended as vnp_SecureHash.
    static let vnpayPaymentURL = #"""
    import sys, json, hmac, hashlib, unicodedata, urllib.parse
    from datetime import datetime, timezone, timedelta
    p = json.loads(sys.argv[1])
    vn = timezone(timedelta(hours=7))
    def stamp(ms): return datetime.fromtimestamp(ms // 1000, vn).strftime('%Y%m%d%H%M%S')
    def ascii_text(s):
        s = s.replace('đ', 'd').replace('Đ', 'D')
        return ''.join(c for c in unicodedata.normalize('NFD', s) if not unicodedata.combining(c))
    params = {
        'vnp_Version': '2.1.0', 'vnp_Command': 'pay', 'vnp_TmnCode': p['tmn'],
        'vnp_Amount': str(p['amount'] * 100), 'vnp_CurrCode': 'VND', 'vnp_TxnRef': p['ref'],
        'vnp_OrderInfo': ascii_text(p['info']), 'vnp_OrderType': 'other', 'vnp_Locale': 'vn',
        'vnp_ReturnUrl': p['returnUrl'], 'vnp_IpAddr': p['ip'],
        'vnp_CreateDate': stamp(p['created']), 'vnp_ExpireDate': stamp(p['expires']),
    }
    query = urllib.parse.urlencode(sorted(params.items()))
    digest = hmac.new(p['secret'].encode(), query.encode(), hashlib.sha512).hexdigest()
    print(p['base'] + '?' + query + '&vnp_SecureHash=' + digest)
    """#

    /// What VNPay sends to the return URL and the IPN: the given vnp_ parameters, signed the same way, plus
    /// vnp_SecureHashType (not signed) and vnp_SecureHash, as a query string. Empty values are signed only
    /// with "signEmpty" (as VNPay's PHP sample would).
    static let vnpaySignedQuery = #"""
    import sys, json, hmac, hashlib, urllib.parse
    p = json.loads(sys.argv[1])
    params = p['params']
    signed = urllib.parse.urlencode(sorted((k, v) for k, v in params.items() if v != '' or p.get('signEmpty')))
    digest = hmac.new(p['secret'].encode(), signed.encode(), hashlib.sha512).hexdigest()
    print(urllib.parse.urlencode(list(params.items()) + [('vnp_SecureHashType', 'HmacSHA512'), ('vnp_SecureHash', digest)]))
    """#

    /// The JSON body of a VNPay 2.1.0 querydr request, written from the documentation alone: the order info
    /// without diacritics, both times yyyyMMddHHmmss in GMT+7, and vnp_SecureHash the HMAC-SHA512 hex of
    /// RequestId|Version|Command|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo. Printed as JSON.
    static let vnpayQueryRequest = #"""
    import sys, json, hmac, hashlib, unicodedata
    from datetime import datetime, timezone, timedelta
    p = json.loads(sys.argv[1])
    vn = timezone(timedelta(hours=7))
    def stamp(ms): return datetime.fromtimestamp(ms // 1000, vn).strftime('%Y%m%d%H%M%S')
    def ascii_text(s):
        s = s.replace('đ', 'd').replace('Đ', 'D')
        return ''.join(c for c in unicodedata.normalize('NFD', s) if not unicodedata.combining(c))
    f = {
        'vnp_RequestId': p['requestId'], 'vnp_Version': '2.1.0', 'vnp_Command': 'querydr', 'vnp_TmnCode': p['tmn'],
        'vnp_TxnRef': p['ref'], 'vnp_TransactionDate': stamp(p['created']), 'vnp_CreateDate': stamp(p['now']),
        'vnp_IpAddr': p['ip'], 'vnp_OrderInfo': ascii_text(p['info']),
    }
    order = ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_TransactionDate',
             'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo']
    data = '|'.join(f[k] for k in order)
    f['vnp_SecureHash'] = hmac.new(p['secret'].encode(), data.encode(), hashlib.sha512).hexdigest()
    print(json.dumps(f, sort_keys=True))
    """#

    /// A querydr answer as VNPay's merchant API sends it: the given fields and vnp_SecureHash, the HMAC-SHA512 hex
    /// of ResponseId|Command|ResponseCode|Message|TmnCode|TxnRef|Amount|BankCode|PayDate|TransactionNo|
    /// TransactionType|TransactionStatus|OrderInfo|PromotionCode|PromotionAmount (a missing field as ""; a number
    /// as its digits). Printed as JSON, numbers left numbers.
    static let vnpayQueryAnswer = #"""
    import sys, json, hmac, hashlib
    p = json.loads(sys.argv[1])
    f = p['fields']
    order = ['vnp_ResponseId', 'vnp_Command', 'vnp_ResponseCode', 'vnp_Message', 'vnp_TmnCode', 'vnp_TxnRef',
             'vnp_Amount', 'vnp_BankCode', 'vnp_PayDate', 'vnp_TransactionNo', 'vnp_TransactionType',
             'vnp_TransactionStatus', 'vnp_OrderInfo', 'vnp_PromotionCode', 'vnp_PromotionAmount']
    data = '|'.join(str(f.get(k, '')) for k in order)
    f['vnp_SecureHash'] = hmac.new(p['secret'].encode(), data.encode(), hashlib.sha512).hexdigest()
    print(json.dumps(f))
    """#

    /// Unix milliseconds of a "yyyyMMddHHmmss" stamp in GMT+7.
    static let vnpayStampToMilliseconds = #"""
    import sys, json
    from datetime import datetime, timezone, timedelta
    p = json.loads(sys.argv[1])
    d = datetime.strptime(p['stamp'], '%Y%m%d%H%M%S').replace(tzinfo=timezone(timedelta(hours=7)))
    print(int(d.timestamp()) * 1000)
    """#
}
