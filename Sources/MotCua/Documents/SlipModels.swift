// The standard slips (SPEC.md "Standard slips", Circular 01/2018/TT-VPCP forms 01–05) as plain values: what
// a renderer needs to print them, nothing from the database. Times are Unix milliseconds, printed in Vietnam
// time (UTC+7). Codable: the dossier keeps each issued slip's values (dossier_slips.content, SlipContent.swift),
// and its print page shows them as issued.

/// What every slip prints at its top and bottom.
public struct SlipHeading: Sendable, Equatable, Codable {
    /// The agency, printed in capitals at the top left ("UBND PHƯỜNG BA ĐÌNH").
    public var agencyName: String
    /// The unit under it, usually "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".
    public var unitName: String?
    /// The place before the date ("Hà Nội, ngày …").
    public var place: String
    public var slipNumber: String
    public var dossierCode: String
    /// The moment the slip is issued.
    public var issuedAt: Int64
    /// The layout version the dossier keeps ("01/2018-v1"); printed in the footer.
    public var layoutVersion: String
    /// The dossier's public lookup URL, printed as a QR code.
    public var lookupURL: String

    public init(agencyName: String, unitName: String? = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", place: String, slipNumber: String,
                dossierCode: String, issuedAt: Int64, layoutVersion: String, lookupURL: String) {
        self.agencyName = agencyName
        self.unitName = unitName
        self.place = place
        self.slipNumber = slipNumber
        self.dossierCode = dossierCode
        self.issuedAt = issuedAt
        self.layoutVersion = layoutVersion
        self.lookupURL = lookupURL
    }
}

/// A row of the documents received.
public struct ReceivedDocument: Sendable, Equatable, Codable {
    public var name: String
    /// "Bản chính", "Bản sao", "Bản sao chứng thực", …
    public var form: String
    public var count: Int

    public init(name: String, form: String, count: Int) {
        self.name = name
        self.form = form
        self.count = count
    }
}

/// Form 01: receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), A5.
public struct ReceiptSlip: Sendable, Equatable, Codable {
    public var heading: SlipHeading
    public var applicantName: String
    public var applicantAddress: String
    public var applicantPhone: String
    public var applicantEmail: String
    public var procedureName: String
    public var documents: [ReceivedDocument]
    public var numberOfSets: Int
    public var processingDays: Int
    public var receivedAt: Int64
    public var dueAt: Int64
    /// Where the result is collected ("Bộ phận Một cửa UBND phường Ba Đình" or "qua dịch vụ bưu chính").
    public var resultCollectedAt: String
    /// "Quyển số 01, số thứ tự 125", when the tracking book is kept.
    public var trackingBookEntry: String?
    public var receiverName: String

    public init(heading: SlipHeading, applicantName: String, applicantAddress: String, applicantPhone: String,
                applicantEmail: String, procedureName: String, documents: [ReceivedDocument], numberOfSets: Int,
                processingDays: Int, receivedAt: Int64, dueAt: Int64, resultCollectedAt: String,
                trackingBookEntry: String? = nil, receiverName: String) {
        self.heading = heading
        self.applicantName = applicantName
        self.applicantAddress = applicantAddress
        self.applicantPhone = applicantPhone
        self.applicantEmail = applicantEmail
        self.procedureName = procedureName
        self.documents = documents
        self.numberOfSets = numberOfSets
        self.processingDays = processingDays
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.resultCollectedAt = resultCollectedAt
        self.trackingBookEntry = trackingBookEntry
        self.receiverName = receiverName
    }
}

/// Form 02: supplement request (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).
public struct SupplementRequestSlip: Sendable, Equatable, Codable {
    public var heading: SlipHeading
    public var applicantName: String
    public var procedureName: String
    public var receivedAt: Int64
    /// What to add or correct, one line each.
    public var items: [String]
    public var officerName: String

    public init(heading: SlipHeading, applicantName: String, procedureName: String, receivedAt: Int64, items: [String], officerName: String) {
        self.heading = heading
        self.applicantName = applicantName
        self.procedureName = procedureName
        self.receivedAt = receivedAt
        self.items = items
        self.officerName = officerName
    }
}

/// Form 03: refusal (Phiếu từ chối tiếp nhận giải quyết hồ sơ).
public struct RefusalSlip: Sendable, Equatable, Codable {
    public var heading: SlipHeading
    public var applicantName: String
    public var procedureName: String
    public var receivedAt: Int64
    public var reason: String
    public var officerName: String

    public init(heading: SlipHeading, applicantName: String, procedureName: String, receivedAt: Int64, reason: String, officerName: String) {
        self.heading = heading
        self.applicantName = applicantName
        self.procedureName = procedureName
        self.receivedAt = receivedAt
        self.reason = reason
        self.officerName = officerName
    }
}

/// Form 04: apology and new appointment (Phiếu xin lỗi và hẹn lại ngày trả kết quả).
public struct ApologySlip: Sendable, Equatable, Codable {
    public var heading: SlipHeading
    public var applicantName: String
    public var procedureName: String
    public var receivedAt: Int64
    public var originalDueAt: Int64
    public var newDueAt: Int64
    public var reason: String
    /// The head of the agency who signs the apology.
    public var signerTitle: String
    public var signerName: String

    public init(heading: SlipHeading, applicantName: String, procedureName: String, receivedAt: Int64, originalDueAt: Int64,
                newDueAt: Int64, reason: String, signerTitle: String = "THỦ TRƯỞNG CƠ QUAN", signerName: String) {
        self.heading = heading
        self.applicantName = applicantName
        self.procedureName = procedureName
        self.receivedAt = receivedAt
        self.originalDueAt = originalDueAt
        self.newDueAt = newDueAt
        self.reason = reason
        self.signerTitle = signerTitle
        self.signerName = signerName
    }
}

/// Whether a processing step ended before, on or after its allowance.
public enum StepTimeliness: String, Sendable, Equatable, Codable {
    case early, onTime, late

    var label: String {
        switch self {
        case .early: "Trước hạn"
        case .onTime: "Đúng hạn"
        case .late: "Trễ hạn"
        }
    }
}

/// One hand-over on the control slip.
public struct ControlStep: Sendable, Equatable, Codable {
    public var fromUnit: String
    public var fromPerson: String
    public var toUnit: String
    public var toPerson: String
    public var handedAt: Int64
    /// Unknown while the step is open.
    public var timeliness: StepTimeliness?
    public var note: String

    public init(fromUnit: String, fromPerson: String, toUnit: String, toPerson: String, handedAt: Int64,
                timeliness: StepTimeliness?, note: String = "") {
        self.fromUnit = fromUnit
        self.fromPerson = fromPerson
        self.toUnit = toUnit
        self.toPerson = toPerson
        self.handedAt = handedAt
        self.timeliness = timeliness
        self.note = note
    }
}

/// Form 05: processing control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ), A4.
public struct ControlSlip: Sendable, Equatable, Codable {
    public var heading: SlipHeading
    public var applicantName: String
    public var procedureName: String
    public var receivedAt: Int64
    public var dueAt: Int64
    public var steps: [ControlStep]
    public var landscape: Bool

    public init(heading: SlipHeading, applicantName: String, procedureName: String, receivedAt: Int64, dueAt: Int64,
                steps: [ControlStep], landscape: Bool = false) {
        self.heading = heading
        self.applicantName = applicantName
        self.procedureName = procedureName
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.steps = steps
        self.landscape = landscape
    }
}
