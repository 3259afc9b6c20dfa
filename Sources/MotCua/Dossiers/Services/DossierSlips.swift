import Foundation
import SQLKit

/// Issues the standard slip of a step at the moment of the step: the receipt and appointment (01) at
/// acceptance, the supplement request (02), the refusal (03), the apology with its new date (04), and the
/// control slip (05) when the dossier leaves processing (returned or stopped). Its QR code is the dossier's
/// public lookup URL.
///
/// Two phases. Inside the step's transaction, `record` numbers the slip and keeps what it says (a
/// `dossier_slips` row with its values, `content`): the slip exists and never changes afterwards, whatever
/// later layouts look like. After the commit, `draw` makes the PDF and puts it in the file store (named by
/// content), in the background (`SlipDrawings`): the step does not wait for it. Drawing takes 3–5 ms of CPU
/// and writing the file 3–7 ms (fsync); inside the transaction both held SQLite's one write lock (under the
/// mixed load a tenth of all writes then held it over 10 ms), and before the answer they made every
/// acceptance 35–70 ms slower. A slip whose drawing did not happen (a crash right after the commit, too many
/// at once) has no file yet (`sha256` empty in the row) and is drawn from its values when first downloaded,
/// as payment receipts are.
struct DossierSlips: Sendable {
    let renderer: SlipRenderer
    let fileStore: any FileStore
    let publicURL: String
    /// The drawings in flight after their steps.
    var drawings = SlipDrawings()

    /// The layout the slips are printed with today; each slip keeps the version it was issued under.
    static let layoutVersion = "TT 01/2018/TT-VPCP – bố cục 1"

    /// The form a step issues, if any.
    static func form(for action: DossierAction) -> String? {
        switch action {
        case .accept: "01"
        case .requestSupplement: "02"
        case .refuse: "03"
        case .apologize: "04"
        case .returnResult, .stop: "05"
        default: nil
        }
    }

    /// A slip recorded in a transaction, to be drawn after its commit.
    struct Recorded: Sendable {
        var id: Int64
        var content: SlipContent
    }

    /// Numbers the step's slip and records its values in the step's transaction; nil when the step issues none.
    func record(after action: DossierAction, _ dossier: Dossier, by staff: User, note: String, procedure: Procedure?, at: Int64,
                in db: any SQLDatabase) async throws -> Recorded? {
        guard let form = Self.form(for: action), let code = dossier.code else { return nil }
        guard let applicant = try await UserStore.user(id: dossier.applicantID, in: db) else { throw DossierError.notSaved }
        let number = try await Self.nextNumber(form: form, dossier: dossier, at: at, in: db)
        let province = try await db.raw("SELECT province FROM agencies WHERE code = \(bind: dossier.agencyCode)").first()?
            .decode(column: "province", as: String.self) ?? ""
        let heading = SlipHeading(
            agencyName: dossier.agencyName.uppercased(), place: province, slipNumber: number, dossierCode: code, issuedAt: at,
            layoutVersion: Self.layoutVersion, lookupURL: Self.lookupURL(publicURL: publicURL, code: code))
        let name = dossier.applicantName.nonEmpty ?? applicant.displayName
        let receivedAt = dossier.acceptedAt ?? dossier.submittedAt ?? at
        let content: SlipContent
        switch form {
        case "01":
            let attachments = try await DossierStore.attachments(dossierID: dossier.id, in: db).filter { $0.kind == .applicant }
            let documents = (procedure?.requiredDocuments ?? []).compactMap { document -> ReceivedDocument? in
                let files = attachments.filter { $0.documentPosition == document.position }.count
                return files == 0 ? nil : ReceivedDocument(name: document.name, form: document.originals > 0 ? "Bản chính" : "Bản sao", count: files)
            }
            content = .receipt(ReceiptSlip(
                heading: heading, applicantName: name, applicantAddress: applicant.address, applicantPhone: applicant.phone,
                applicantEmail: applicant.email, procedureName: dossier.procedureName, documents: documents,
                numberOfSets: 1, processingDays: procedure?.processingDays ?? 0, receivedAt: receivedAt, dueAt: dossier.dueAt ?? at,
                resultCollectedAt: dossier.deliveryMethod.map { $0.label + (dossier.deliveryAddress.map { ": \($0)" } ?? "") } ?? "",
                receiverName: staff.displayName))
        case "02":
            content = .supplementRequest(SupplementRequestSlip(
                heading: heading, applicantName: name, procedureName: dossier.procedureName, receivedAt: receivedAt,
                items: note.split(whereSeparator: \.isNewline).map(String.init), officerName: staff.displayName))
        case "03":
            content = .refusal(RefusalSlip(
                heading: heading, applicantName: name, procedureName: dossier.procedureName, receivedAt: receivedAt, reason: note,
                officerName: staff.displayName))
        case "04":
            let apology = try await db.raw("""
                SELECT previous_due_at, new_due_at FROM dossier_apologies WHERE dossier_id = \(bind: dossier.id) ORDER BY id DESC
                """).first()
            content = .apology(ApologySlip(
                heading: heading, applicantName: name, procedureName: dossier.procedureName, receivedAt: receivedAt,
                originalDueAt: try apology?.decode(column: "previous_due_at") ?? dossier.dueAt ?? at,
                newDueAt: try apology?.decode(column: "new_due_at") ?? dossier.dueAt ?? at, reason: note, signerName: staff.displayName))
        default:
            let rows = try await DossierStore.handovers(dossierID: dossier.id, in: db)
            let steps = rows.enumerated().map { index, row in
                ControlStep(
                    fromUnit: index == 0 ? "Người nộp hồ sơ" : rows[index - 1].unitName ?? "", fromPerson: row.handedByName ?? name,
                    toUnit: row.unitName ?? "", toPerson: row.receivedByName ?? "", handedAt: row.receivedAt,
                    timeliness: row.outcome.map { switch $0 { case .early: .early; case .onTime: .onTime; case .late: .late } },
                    note: row.stepName + (row.note.isEmpty ? "" : " – " + row.note))
            }
            content = .control(ControlSlip(
                heading: heading, applicantName: name, procedureName: dossier.procedureName, receivedAt: receivedAt,
                dueAt: dossier.dueAt ?? at, steps: steps))
        }
        // No file yet: `draw` fills sha256 and size_bytes after the commit.
        guard let row = try await db.raw("""
            INSERT INTO dossier_slips (dossier_id, form, number, sha256, size_bytes, layout_version, created_at, content)
            VALUES (\(bind: dossier.id), \(bind: form), \(bind: number), '', 0, \(bind: Self.layoutVersion), \(bind: at),
                \(bind: try content.json()))
            RETURNING id
            """).first() else { throw DossierError.notSaved }
        return Recorded(id: try row.decode(column: "id", as: Int64.self), content: content)
    }

    /// Draws a recorded slip's PDF into the file store and notes the file in its row. Two drawings of one
    /// slip at once make the same bytes (the same name in the store); the row keeps the first.
    @discardableResult
    func draw(_ slip: Recorded, database: any Database) async throws -> StoredFile {
        let file = try await fileStore.write(bytes: try slip.content.pdf(renderer))
        try await database.transaction { db in
            try await db.raw("""
                UPDATE dossier_slips SET sha256 = \(bind: file.sha256), size_bytes = \(bind: file.size)
                WHERE id = \(bind: slip.id) AND sha256 = ''
                """).run()
        }
        return file
    }

    /// Draws the slip after its step's answer (see `SlipDrawings`).
    func drawLater(_ slip: Recorded, database: any Database) {
        drawings.start(slip, with: self, database: database)
    }

    /// The slip's PDF: the one drawn after its step (waiting for a drawing in flight), or drawn now from the
    /// values kept with it when that did not happen; nil for a slip without a file or kept values (none is
    /// issued so).
    func file(of slip: IssuedSlip, dossierID: Int64, store: DossierStore) async throws -> StoredFile? {
        if let file = slip.file { return file }
        if let file = await drawings.awaitDrawing(of: slip.id) { return file }
        guard let content = try await store.slipContent(slipID: slip.id, dossierID: dossierID) else { return nil }
        return try await draw(Recorded(id: slip.id, content: content), database: store.database)
    }

    /// The dossier's public lookup page: what every slip's QR code says, on paper and on screen.
    static func lookupURL(publicURL: String, code: String) -> String {
        publicURL + "/tra-cuu?ma=" + code
    }

    /// "0001/2026": the agency's running number of that form in the year.
    static func nextNumber(form: String, dossier: Dossier, at: Int64, in db: any SQLDatabase) async throws -> String {
        let year = OfficeHours.civilDate(of: at).year
        guard let row = try await db.raw("""
            INSERT INTO dossier_sequences (agency_id, day, last_value)
            SELECT agency_id, \(bind: "slip-\(form)-\(year)"), 1 FROM dossiers WHERE id = \(bind: dossier.id)
            ON CONFLICT (agency_id, day) DO UPDATE SET last_value = dossier_sequences.last_value + 1
            RETURNING last_value
            """).first()
        else { throw DossierError.notSaved }
        return String(format: "%04d/%d", try row.decode(column: "last_value", as: Int.self), year)
    }
}

/// A slip as the dossier keeps it.
struct IssuedSlip: Sendable, Equatable {
    var id: Int64
    var form: String
    var number: String
    /// The PDF in the file store; nil until it is drawn (see `DossierSlips`).
    var file: StoredFile?
    var createdAt: Int64

    var title: String {
        switch form {
        case "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)"
        case "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)"
        case "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)"
        case "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)"
        default: "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 05)"
        }
    }
}

extension DossierStore {
    /// What the slip said when it was issued; nil for a slip issued before the portal kept its values.
    func slipContent(slipID: Int64, dossierID: Int64) async throws -> SlipContent? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT form, content FROM dossier_slips WHERE id = \(bind: slipID) AND dossier_id = \(bind: dossierID)
                """).first(), let json = try row.decode(column: "content", as: String?.self)
            else { return nil }
            return try SlipContent(form: try row.decode(column: "form"), json: json)
        }
    }

    func slips(dossierID: Int64) async throws -> [IssuedSlip] {
        try await database.read { try await Self.slips(dossierID: dossierID, in: $0) }
    }

    static func slips(dossierID: Int64, in db: any SQLDatabase) async throws -> [IssuedSlip] {
        try await db.raw("""
            SELECT id, form, number, sha256, size_bytes, created_at FROM dossier_slips WHERE dossier_id = \(bind: dossierID) ORDER BY id
            """).all().map { row in
                let sha256 = try row.decode(column: "sha256", as: String.self)
                return IssuedSlip(
                    id: try row.decode(column: "id"), form: try row.decode(column: "form"), number: try row.decode(column: "number"),
                    file: sha256.isEmpty ? nil : StoredFile(sha256: sha256, size: try row.decode(column: "size_bytes")),
                    createdAt: try row.decode(column: "created_at"))
            }
    }
}
