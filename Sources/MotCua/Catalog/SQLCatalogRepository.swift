import Foundation
import SQLKit

/// The catalog in SQL, the same statements on SQLite and PostgreSQL.
public struct SQLCatalogRepository: CatalogRepository {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func agencies() async throws -> [Agency] {
        try await database.read { db in
            try await db.raw("SELECT * FROM agencies ORDER BY name").all().map(Self.agency(from:))
        }
    }

    public func fields() async throws -> [Field] {
        try await database.read { db in
            try await db.raw("SELECT code, name FROM fields ORDER BY name").all().map {
                Field(code: try $0.decode(column: "code"), name: try $0.decode(column: "name"))
            }
        }
    }

    public func version() async throws -> Int64 {
        try await database.read { db in
            try await db.raw("SELECT version FROM catalog_state WHERE id = 1").first()?
                .decode(column: "version", as: Int64.self) ?? 0
        }
    }

    public func summaries() async throws -> [ProcedureSummary] {
        try await database.read { db in
            var documentNames: [Int64: [String]] = [:]
            for row in try await db.raw("SELECT procedure_id, name FROM required_documents ORDER BY procedure_id, position").all() {
                documentNames[try row.decode(column: "procedure_id"), default: []].append(try row.decode(column: "name"))
            }
            let rows = try await db.raw("""
                SELECT p.id, p.code, p.name, p.description, p.result_name, p.online_level, p.legacy_level,
                       p.online_only, p.applicant_types, p.processing_days, p.fees,
                       a.code AS agency_code, a.name AS agency_name, f.code AS field_code, f.name AS field_name
                FROM procedures p
                JOIN agencies a ON a.id = p.agency_id
                JOIN fields f ON f.id = p.field_id
                """).all()
            return try rows.map { row in
                let id: Int64 = try row.decode(column: "id")
                let fees: [Fee] = try JSONColumn.decode(row, "fees")
                let other = [try row.decode(column: "description", as: String.self),
                             try row.decode(column: "result_name", as: String.self)] + (documentNames[id] ?? [])
                return ProcedureSummary(
                    id: id,
                    code: try row.decode(column: "code"),
                    name: try row.decode(column: "name"),
                    agencyCode: try row.decode(column: "agency_code"),
                    agencyName: try row.decode(column: "agency_name"),
                    fieldCode: try row.decode(column: "field_code"),
                    fieldName: try row.decode(column: "field_name"),
                    onlineLevel: try JSONColumn.enumValue(row, "online_level"),
                    legacyLevel: try row.decode(column: "legacy_level", as: Int?.self),
                    onlineOnly: try row.decode(column: "online_only"),
                    applicantTypes: try JSONColumn.decode(row, "applicant_types"),
                    processingDays: try row.decode(column: "processing_days"),
                    totalFee: fees.reduce(0) { $0 + $1.amount },
                    otherText: other.joined(separator: " "))
            }
        }
    }

    public func procedure(agencyCode: String, code: String) async throws -> Procedure? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT p.*, a.code AS a_code, a.name AS a_name, a.province AS a_province, a.address AS a_address,
                       a.phone AS a_phone, a.email AS a_email, a.website AS a_website,
                       a.bank_account_number AS a_bank_account_number, a.bank_name AS a_bank_name,
                       a.bank_account_holder AS a_bank_account_holder, a.bank_bin AS a_bank_bin,
                       f.code AS f_code, f.name AS f_name
                FROM procedures p
                JOIN agencies a ON a.id = p.agency_id
                JOIN fields f ON f.id = p.field_id
                WHERE a.code = \(bind: agencyCode) AND p.code = \(bind: code)
                """).first()
            else { return nil }
            let id: Int64 = try row.decode(column: "id")
            let documents = try await db.raw("""
                SELECT id, position, name, originals, copies, mandatory, formats
                FROM required_documents WHERE procedure_id = \(bind: id) ORDER BY position
                """).all().map { row in
                    RequiredDocument(
                        id: try row.decode(column: "id"), position: try row.decode(column: "position"),
                        name: try row.decode(column: "name"), originals: try row.decode(column: "originals"),
                        copies: try row.decode(column: "copies"), mandatory: try row.decode(column: "mandatory"),
                        formats: try JSONColumn.decode(row, "formats"))
                }
            let templates = try await db.raw("""
                SELECT position, name, file_name, content_type, sha256, size_bytes
                FROM form_templates WHERE procedure_id = \(bind: id) ORDER BY position
                """).all().map { row in
                    FormTemplate(
                        position: try row.decode(column: "position"), name: try row.decode(column: "name"),
                        fileName: try row.decode(column: "file_name"), contentType: try row.decode(column: "content_type"),
                        sha256: try row.decode(column: "sha256"), size: try row.decode(column: "size_bytes"))
                }
            return Procedure(
                id: id,
                code: try row.decode(column: "code"),
                name: try row.decode(column: "name"),
                agency: try Self.agency(from: row, prefix: "a_"),
                field: Field(code: try row.decode(column: "f_code"), name: try row.decode(column: "f_name")),
                description: try row.decode(column: "description"),
                onlineLevel: try JSONColumn.enumValue(row, "online_level"),
                legacyLevel: try row.decode(column: "legacy_level", as: Int?.self),
                onlineOnly: try row.decode(column: "online_only"),
                applicantTypes: try JSONColumn.decode(row, "applicant_types"),
                processingDays: try row.decode(column: "processing_days"),
                processingTimeNote: try row.decode(column: "processing_time_note"),
                fees: try JSONColumn.decode(row, "fees"),
                steps: try JSONColumn.decode(row, "steps"),
                requirements: try row.decode(column: "requirements"),
                resultName: try row.decode(column: "result_name"),
                legalBasis: try JSONColumn.decode(row, "legal_basis"),
                requiredDocuments: documents,
                formTemplates: templates,
                resultDelivery: try JSONColumn.decode(row, "result_delivery"),
                formFields: try JSONColumn.decode(row, "form_fields"),
                process: try JSONColumn.decode(row, "process"))
        }
    }

    public func apply(_ catalog: ValidCatalog, templates: [TemplateKey: StoredFile]) async throws -> CatalogImportSummary {
        let now = Clock.nowMilliseconds()
        return try await database.transaction { db in
            for agency in catalog.agencies {
                try await db.raw("""
                    INSERT INTO agencies (code, name, province, address, phone, email, website,
                        bank_account_number, bank_name, bank_account_holder, bank_bin, updated_at)
                    VALUES (\(bind: agency.code), \(bind: agency.name), \(bind: agency.province), \(bind: agency.address),
                        \(bind: agency.phone), \(bind: agency.email), \(bind: agency.website),
                        \(bind: agency.bankAccount?.accountNumber), \(bind: agency.bankAccount?.bankName),
                        \(bind: agency.bankAccount?.accountHolder), \(bind: agency.bankAccount?.bin), \(bind: now))
                    ON CONFLICT (code) DO UPDATE SET name = excluded.name, province = excluded.province,
                        address = excluded.address, phone = excluded.phone, email = excluded.email,
                        website = excluded.website, bank_account_number = excluded.bank_account_number,
                        bank_name = excluded.bank_name, bank_account_holder = excluded.bank_account_holder,
                        bank_bin = excluded.bank_bin,
                        updated_at = excluded.updated_at
                    """).run()
            }
            for field in catalog.fields {
                try await db.raw("""
                    INSERT INTO fields (code, name) VALUES (\(bind: field.code), \(bind: field.name))
                    ON CONFLICT (code) DO UPDATE SET name = excluded.name
                    """).run()
            }
            let agencyIDs = try await Self.idMap(db, "SELECT id, code FROM agencies")
            let fieldIDs = try await Self.idMap(db, "SELECT id, code FROM fields")
            var existing = Set<String>()
            for row in try await db.raw("SELECT a.code AS a, p.code AS p FROM procedures p JOIN agencies a ON a.id = p.agency_id").all() {
                existing.insert("\(try row.decode(column: "a", as: String.self))|\(try row.decode(column: "p", as: String.self))")
            }
            var created = 0, updated = 0
            // The units a process names exist for their agency (created on first mention, never deleted: staff
            // belong to them and running dossiers are held by them).
            var units = Set<String>()
            for procedure in catalog.procedures {
                guard let agencyID = agencyIDs[procedure.agencyCode] else { continue }
                for step in procedure.process where units.insert("\(agencyID)|\(step.unit)").inserted {
                    try await db.raw("""
                        INSERT INTO units (agency_id, name, created_at) VALUES (\(bind: agencyID), \(bind: step.unit), \(bind: now))
                        ON CONFLICT (agency_id, name) DO NOTHING
                        """).run()
                }
            }
            for procedure in catalog.procedures {
                guard let agencyID = agencyIDs[procedure.agencyCode], let fieldID = fieldIDs[procedure.fieldCode] else {
                    throw CatalogValidationError(problems: [CatalogProblem(path: procedure.code, message: "cơ quan hoặc lĩnh vực không tồn tại")])
                }
                if existing.contains("\(procedure.agencyCode)|\(procedure.code)") { updated += 1 } else { created += 1 }
                let procedureID = try await Self.upsertProcedure(db, procedure, agencyID: agencyID, fieldID: fieldID, now: now)
                try await Self.replaceDocuments(db, procedure.requiredDocuments, procedureID: procedureID)
                try await Self.replaceTemplates(db, procedure, procedureID: procedureID, stored: templates)
            }
            try await db.raw("UPDATE catalog_state SET version = version + 1 WHERE id = 1").run()
            return CatalogImportSummary(
                agencies: catalog.agencies.count, fields: catalog.fields.count,
                proceduresCreated: created, proceduresUpdated: updated)
        }
    }

    private static func upsertProcedure(
        _ db: any SQLDatabase, _ p: ValidProcedure, agencyID: Int64, fieldID: Int64, now: Int64
    ) async throws -> Int64 {
        let row = try await db.raw("""
            INSERT INTO procedures (agency_id, field_id, code, name, description, online_level, legacy_level,
                online_only, applicant_types, processing_days, processing_time_note, fees, steps, process, requirements,
                result_name, legal_basis, result_delivery, form_fields, updated_at)
            VALUES (\(bind: agencyID), \(bind: fieldID), \(bind: p.code), \(bind: p.name), \(bind: p.description),
                \(bind: p.onlineLevel.rawValue), \(bind: p.legacyLevel), \(bind: p.onlineOnly),
                \(bind: try JSONColumn.encode(p.applicantTypes)), \(bind: p.processingDays),
                \(bind: p.processingTimeNote), \(bind: try JSONColumn.encode(p.fees)), \(bind: try JSONColumn.encode(p.steps)),
                \(bind: try JSONColumn.encode(p.process)), \(bind: p.requirements), \(bind: p.resultName), \(bind: try JSONColumn.encode(p.legalBasis)),
                \(bind: try JSONColumn.encode(p.resultDelivery)), \(bind: try JSONColumn.encode(p.formFields)), \(bind: now))
            ON CONFLICT (agency_id, code) DO UPDATE SET field_id = excluded.field_id, name = excluded.name,
                description = excluded.description, online_level = excluded.online_level,
                legacy_level = excluded.legacy_level, online_only = excluded.online_only,
                applicant_types = excluded.applicant_types, processing_days = excluded.processing_days,
                processing_time_note = excluded.processing_time_note, fees = excluded.fees, steps = excluded.steps,
                process = excluded.process, requirements = excluded.requirements, result_name = excluded.result_name,
                legal_basis = excluded.legal_basis, result_delivery = excluded.result_delivery,
                form_fields = excluded.form_fields, updated_at = excluded.updated_at
            RETURNING id
            """).first()
        guard let row else { throw SQLCatalogError.missingReturnedID }
        return try row.decode(column: "id")
    }

    /// Documents keep their row (and id) per position, so records that point at them stay valid.
    private static func replaceDocuments(_ db: any SQLDatabase, _ documents: [NewRequiredDocument], procedureID: Int64) async throws {
        for (position, document) in documents.enumerated() {
            try await db.raw("""
                INSERT INTO required_documents (procedure_id, position, name, originals, copies, mandatory, formats)
                VALUES (\(bind: procedureID), \(bind: position), \(bind: document.name), \(bind: document.originals),
                    \(bind: document.copies), \(bind: document.mandatory), \(bind: try JSONColumn.encode(document.formats)))
                ON CONFLICT (procedure_id, position) DO UPDATE SET name = excluded.name,
                    originals = excluded.originals, copies = excluded.copies, mandatory = excluded.mandatory,
                    formats = excluded.formats
                """).run()
        }
        try await db.raw("DELETE FROM required_documents WHERE procedure_id = \(bind: procedureID) AND position >= \(bind: documents.count)").run()
    }

    private static func replaceTemplates(
        _ db: any SQLDatabase, _ procedure: ValidProcedure, procedureID: Int64, stored: [TemplateKey: StoredFile]
    ) async throws {
        for template in procedure.templates {
            let key = TemplateKey(agencyCode: procedure.agencyCode, procedureCode: procedure.code, position: template.position)
            guard let file = stored[key] else { throw SQLCatalogError.templateNotStored(template.fileName) }
            try await db.raw("""
                INSERT INTO form_templates (procedure_id, position, name, file_name, content_type, sha256, size_bytes)
                VALUES (\(bind: procedureID), \(bind: template.position), \(bind: template.name), \(bind: template.fileName),
                    \(bind: template.contentType), \(bind: file.sha256), \(bind: file.size))
                ON CONFLICT (procedure_id, position) DO UPDATE SET name = excluded.name, file_name = excluded.file_name,
                    content_type = excluded.content_type, sha256 = excluded.sha256, size_bytes = excluded.size_bytes
                """).run()
        }
        try await db.raw("DELETE FROM form_templates WHERE procedure_id = \(bind: procedureID) AND position >= \(bind: procedure.templates.count)").run()
    }

    private static func idMap(_ db: any SQLDatabase, _ query: StaticString) async throws -> [String: Int64] {
        var map: [String: Int64] = [:]
        for row in try await db.raw("\(unsafeRaw: "\(query)")").all() {
            map[try row.decode(column: "code")] = try row.decode(column: "id")
        }
        return map
    }

    static func agency(from row: any SQLRow) throws -> Agency {
        try agency(from: row, prefix: "")
    }

    private static func agency(from row: any SQLRow, prefix: String) throws -> Agency {
        let number = try row.decode(column: prefix + "bank_account_number", as: String?.self)
        let bank = try row.decode(column: prefix + "bank_name", as: String?.self)
        let holder = try row.decode(column: prefix + "bank_account_holder", as: String?.self)
        var account: BankAccount?
        if let number, let bank, let holder {
            account = BankAccount(accountNumber: number, bankName: bank, accountHolder: holder,
                                  bin: try row.decode(column: prefix + "bank_bin", as: String?.self))
        }
        return Agency(
            code: try row.decode(column: prefix + "code"), name: try row.decode(column: prefix + "name"),
            province: try row.decode(column: prefix + "province"), address: try row.decode(column: prefix + "address"),
            phone: try row.decode(column: prefix + "phone"), email: try row.decode(column: prefix + "email"),
            website: try row.decode(column: prefix + "website"), bankAccount: account)
    }
}

enum SQLCatalogError: Error {
    case missingReturnedID
    case templateNotStored(String)
}

