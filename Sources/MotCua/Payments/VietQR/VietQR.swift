import HTTPTypes

// VietQR: the NAPAS profile of the EMVCo merchant-presented QR code, which every Vietnamese banking app scans
// to fill in a transfer (bank, account, amount and note).
//
// Our own code: no Swift package for VietQR or EMVCo QR payloads is among those available to this project (the
// local package mirror and the installed-package list have none); the payload is a string of tag–length–value fields and a CRC, and the QR
// symbol comes from our encoder (Documents/QRCode.swift). The layout, from NAPAS's "QR code format" technical
// specification (v1.5.2) on top of EMVCo QRCPS-MPM:
//   00 "01"                 payload format indicator
//   01 "11" | "12"          point of initiation: static (no amount), dynamic (with an amount)
//   38 {                    consumer account information, NAPAS:
//     00 "A000000727"         GUID of NAPAS
//     01 { 00 BIN (6 digits), 01 account or card number (up to 19) }   beneficiary organisation
//     02 "QRIBFTTA" | "QRIBFTTC"   service: transfer to an account | to a card
//   }
//   53 "704"                currency, VND
//   54 amount               digits, whole đồng (dynamic codes only)
//   58 "VN"                 country
//   62 { 08 purpose }       additional data: the transfer note, up to 25 characters (EMVCo)
//   63 CRC                  CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of everything before it
//                           including "6304", four upper-case hex digits.
// Each field is a two-digit tag, a two-digit length and the value; lengths count characters, and our payloads
// are ASCII only, so characters and bytes agree.

/// A beneficiary: the bank's NAPAS BIN and the account number there. Configuration of an agency.
public struct VietQRAccount: Sendable, Equatable {
    /// The bank's 6-digit BIN (e.g. BIDV 970418, Vietcombank 970436).
    public let bin: String
    public let accountNumber: String

    public init(bin: String, accountNumber: String) throws(VietQRError) {
        guard bin.utf8.count == 6, bin.utf8.allSatisfy(VietQR.isDigit) else { throw .invalidBIN }
        guard (1...19).contains(accountNumber.utf8.count),
              accountNumber.utf8.allSatisfy({ VietQR.isDigit($0) || VietQR.isLetter($0) }) else {
            throw .invalidAccountNumber
        }
        self.bin = bin
        self.accountNumber = accountNumber
    }
}

/// A VietQR transfer: what the payload says, built from checked inputs or read from a scanned payload.
public struct VietQR: Sendable, Equatable {
    public enum Service: String, Sendable {
        case toAccount = "QRIBFTTA"
        case toCard = "QRIBFTTC"
    }

    public let account: VietQRAccount
    public let service: Service
    /// Set: a dynamic code, the app fills in the amount. Nil: a static code, the payer types it.
    public let amount: Money?
    /// The transfer note (62/08), ASCII.
    public let note: String?
    /// The bill number (62/01), which some codes carry; we never write one.
    public let billNumber: String?

    /// The most a note may hold: EMVCo's length for the purpose of transaction (62/08).
    public static let maximumNoteLength = 25
    /// The amount field is at most 13 characters.
    public static let maximumAmount = Money(dong: 9_999_999_999_999)

    /// A code for a transfer of `amount` (nil for a static code) to `account`, with `note` (the dossier code)
    /// as the transfer note. The note is folded to ASCII (Vietnamese loses its diacritics) and must then hold
    /// only letters, digits, spaces and "-._,/" and fit 25 characters; otherwise a Vietnamese refusal.
    public init(account: VietQRAccount, amount: Money?, note: String?, service: Service = .toAccount) throws(VietQRError) {
        if let amount {
            guard amount.isPositive else { throw .amountNotPositive }
            guard amount <= Self.maximumAmount else { throw .amountTooLarge }
        }
        var folded: String?
        if let note {
            let text = PaymentText.foldToASCII(note)
            guard !text.isEmpty else { throw .noteEmpty }
            let refused = text.filter { !Self.isNoteCharacter($0) }
            guard refused.isEmpty else {
                var seen: [Character] = []
                for character in refused where !seen.contains(character) { seen.append(character) }
                throw .noteCharacters(seen.map(String.init))
            }
            guard text.count <= Self.maximumNoteLength else { throw .noteTooLong(text.count) }
            folded = text
        }
        self.init(account: account, service: service, amount: amount, note: folded, billNumber: nil)
    }

    private init(account: VietQRAccount, service: Service, amount: Money?, note: String?, billNumber: String?) {
        self.account = account
        self.service = service
        self.amount = amount
        self.note = note
        self.billNumber = billNumber
    }

    /// What banking apps keep in a note: ASCII letters and digits, the space, and "-._,/".
    static func isNoteCharacter(_ character: Character) -> Bool {
        guard character.isASCII, let byte = character.asciiValue else { return false }
        return isDigit(byte) || isLetter(byte) || " -._,/".utf8.contains(byte)
    }

    // MARK: Payload

    /// The text the QR code carries.
    public var payload: String {
        var beneficiary = Self.field("00", account.bin) + Self.field("01", account.accountNumber)
        beneficiary = Self.field("00", "A000000727") + Self.field("01", beneficiary) + Self.field("02", service.rawValue)
        var text = Self.field("00", "01") + Self.field("01", amount == nil ? "11" : "12") + Self.field("38", beneficiary)
        text += Self.field("53", "704")
        if let amount { text += Self.field("54", amount.plainDigits) }
        text += Self.field("58", "VN")
        var additional = ""
        if let billNumber { additional += Self.field("01", billNumber) }
        if let note { additional += Self.field("08", note) }
        if !additional.isEmpty { text += Self.field("62", additional) }
        text += "6304"
        return text + Self.crcHex(text)
    }

    /// The QR symbol of the payload (level M, as banks print theirs).
    public func qrCode(errorCorrection: QRCode.ErrorCorrection = .medium) throws -> QRCode {
        try QRCode(text: payload, errorCorrection: errorCorrection)
    }

    private static func field(_ tag: String, _ value: String) -> String {
        let length = value.utf8.count
        precondition((1...99).contains(length), "an EMVCo field holds 1 to 99 characters")
        return tag + (length < 10 ? "0" : "") + String(length) + value
    }

    /// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
    static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    static func crcHex(_ text: String) -> String {
        let value = crc16(text.utf8)
        let digits = Array("0123456789ABCDEF")
        return String([12, 8, 4, 0].map { digits[Int(value >> UInt16($0) & 0xF)] })
    }

    // MARK: Reading

    /// Reads a scanned payload: the CRC must match, the fields must be well formed, and it must be a NAPAS
    /// transfer in đồng. Tags this portal has no use for (merchant name, city, …) are skipped.
    public static func parse(_ payload: String) throws(VietQRError) -> VietQR {
        guard payload.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw .malformed("ký tự ngoài bảng ASCII") }
        guard payload.utf8.count > 8, payload.dropLast(4).hasSuffix("6304"),
              payload.suffix(4).allSatisfy(\.isHexDigit) else { throw .malformed("thiếu mã kiểm tra (63)") }
        let checked = String(payload.dropLast(4))
        guard crcHex(checked) == payload.suffix(4).uppercased() else { throw .badChecksum }
        let root = try fields(of: Substring(checked.dropLast(4)))
        guard root["00"] == "01" else { throw .malformed("chỉ báo định dạng (00)") }
        guard let napas = root["38"] else { throw .notVietQR }
        let transfer = try fields(of: Substring(napas))
        guard transfer["00"] == "A000000727" else { throw .notVietQR }
        guard let beneficiary = transfer["01"] else { throw .malformed("đơn vị thụ hưởng (38/01)") }
        let bank = try fields(of: Substring(beneficiary))
        guard let bin = bank["00"], let number = bank["01"] else { throw .malformed("BIN hoặc số tài khoản (38/01)") }
        let account = try VietQRAccount(bin: bin, accountNumber: number)
        guard let service = transfer["02"].flatMap(Service.init(rawValue:)) else { throw .malformed("mã dịch vụ (38/02)") }
        guard root["53"] == "704" else { throw .wrongCurrency }
        guard root["58"] == "VN" else { throw .malformed("mã quốc gia (58)") }
        var amount: Money?
        if let text = root["54"] {
            guard text.utf8.allSatisfy(isDigit), let value = Int64(text), value > 0 else { throw .malformed("số tiền (54)") }
            amount = Money(dong: value)
        }
        guard root["01"] == nil || root["01"] == "11" || root["01"] == "12" else {
            throw .malformed("phương thức khởi tạo (01)")
        }
        var note: String?
        var billNumber: String?
        if let additional = root["62"] {
            let extra = try fields(of: Substring(additional))
            note = extra["08"]
            billNumber = extra["01"]
        }
        return VietQR(account: account, service: service, amount: amount, note: note, billNumber: billNumber)
    }

    /// Tag → value of one level of TLV fields; a tag twice, a bad length or a short value is refused.
    private static func fields(of text: Substring) throws(VietQRError) -> [String: String] {
        var bytes = Array(text.utf8)[...]
        var result: [String: String] = [:]
        while !bytes.isEmpty {
            guard bytes.count >= 4, bytes.prefix(4).allSatisfy(isDigit) else { throw .malformed("độ dài trường") }
            let tag = String(decoding: bytes.prefix(2), as: UTF8.self)
            let length = Int(bytes[bytes.startIndex + 2] - 0x30) * 10 + Int(bytes[bytes.startIndex + 3] - 0x30)
            bytes = bytes.dropFirst(4)
            guard length > 0, bytes.count >= length else { throw .malformed("trường \(tag)") }
            guard result[tag] == nil else { throw .malformed("trường \(tag) lặp lại") }
            result[tag] = String(decoding: bytes.prefix(length), as: UTF8.self)
            bytes = bytes.dropFirst(length)
        }
        return result
    }

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
}

/// Why a VietQR code was not made or not read; `message` is Vietnamese and safe to show.
public enum VietQRError: PortalErrorConvertible, Equatable, Sendable {
    case invalidBIN
    case invalidAccountNumber
    case amountNotPositive
    case amountTooLarge
    case noteEmpty
    case noteTooLong(Int)
    case noteCharacters([String])
    case badChecksum
    case notVietQR
    case wrongCurrency
    case malformed(String)

    public var message: String {
        switch self {
        case .invalidBIN: "Mã BIN của ngân hàng phải gồm đúng 6 chữ số (ví dụ BIDV là 970418)."
        case .invalidAccountNumber: "Số tài khoản phải gồm từ 1 đến 19 chữ số hoặc chữ cái không dấu, không có dấu cách."
        case .amountNotPositive: "Số tiền chuyển khoản phải lớn hơn 0 đồng."
        case .amountTooLarge: "Số tiền chuyển khoản quá lớn để đưa vào mã VietQR."
        case .noteEmpty: "Thiếu nội dung chuyển khoản."
        case .noteTooLong(let length):
            "Nội dung chuyển khoản dài \(length) ký tự, vượt quá \(VietQR.maximumNoteLength) ký tự mà mã VietQR cho phép."
        case .noteCharacters(let characters):
            "Nội dung chuyển khoản có ký tự ứng dụng ngân hàng không nhận: \(characters.map { "\"\($0)\"" }.joined(separator: ", ")). Chỉ dùng chữ không dấu, chữ số, dấu cách và - . _ , /."
        case .badChecksum: "Mã VietQR bị sai mã kiểm tra (CRC): mã đã bị sửa hoặc đọc sai."
        case .notVietQR: "Đây không phải mã VietQR chuyển khoản qua NAPAS."
        case .wrongCurrency: "Mã VietQR không dùng đồng Việt Nam."
        case .malformed(let part): "Mã VietQR không đúng định dạng: \(part)."
        }
    }

    public var portalError: PortalError { PortalError(status: .unprocessableContent, message: message) }
}
