import Foundation
import HTTPTypes
import NIOCore

@testable import MotCua

/// Small catalog files for tests, built as JSON objects so each test can break exactly one thing.
enum CatalogFixture {
    static let agencyCode = "000.00.42.H99"

    static func agency(code: String = agencyCode, name: String = "Sở Nội vụ tỉnh Thử Nghiệm") -> [String: Any] {
        ["code": code, "name": name, "province": "Thử Nghiệm", "address": "Số 1 đường Thử", "phone": "0212 3752 630",
         "email": "snv@thunghiem.gov.vn"]
    }

    static func field(code: String = "thu-nghiem", name: String = "Lĩnh vực thử nghiệm") -> [String: Any] {
        ["code": code, "name": name]
    }

    static func procedure(
        code: String = "9.000001", name: String = "Thủ tục thử nghiệm", agencyCode: String = agencyCode,
        fieldCode: String = "thu-nghiem", description: String = "Mô tả thủ tục.", fees: [[String: Any]] = [],
        templates: [[String: Any]] = [], processingDays: Int = 10, process: [[String: Any]] = defaultProcess
    ) -> [String: Any] {
        [
            "code": code, "name": name, "agencyCode": agencyCode, "fieldCode": fieldCode, "description": description,
            "onlineLevel": "partial", "legacyLevel": 3, "onlineOnly": false, "applicantTypes": ["individual"],
            "processingDays": processingDays, "fees": fees, "steps": ["Bước 1: Nộp hồ sơ.", "Bước 2: Nhận kết quả."],
            "process": process,
            "legalBasis": [["reference": "Nghị định số 138/2020/NĐ-CP", "title": "Về tuyển dụng công chức"]],
            "requiredDocuments": [
                ["name": "Đơn đề nghị", "originals": 1, "copies": 0, "mandatory": true, "formats": ["pdf", "jpg"]],
            ],
            "formTemplates": templates, "resultDelivery": ["online", "desk"],
            "formFields": [["key": "work_unit", "label": "Cơ quan công tác", "type": "text", "required": true]],
        ]
    }

    static let receptionUnit = "Bộ phận tiếp nhận và trả kết quả"
    static let processingUnit = "Phòng Công chức, viên chức"
    static let leadershipUnit = "Lãnh đạo Sở"

    /// A valid process for the default 10 working days: 0.5 + 7.5 + 1.5 + 0.5.
    static var defaultProcess: [[String: Any]] {
        [
            step("Tiếp nhận, kiểm tra hồ sơ", receptionUnit, "receptionist", 0.5),
            step("Thẩm định hồ sơ, dự thảo kết quả", processingUnit, "processor", 7.5),
            step("Lãnh đạo Sở xem xét, phê duyệt", leadershipUnit, "leader", 1.5),
            step("Trả kết quả", receptionUnit, "receptionist", 0.5),
        ]
    }

    static func step(_ name: String, _ unit: String, _ role: String, _ days: Double) -> [String: Any] {
        ["name": name, "unit": unit, "role": role, "days": days]
    }

    static func file(
        agencies: [[String: Any]] = [agency()], fields: [[String: Any]] = [field()],
        procedures: [[String: Any]] = [procedure()]
    ) -> [String: Any] {
        ["formatVersion": 1, "agencies": agencies, "fields": fields, "procedures": procedures]
    }

    /// Writes the catalog (and any extra files, by relative path) into a new directory; returns the file URL.
    static func write(_ catalog: [String: Any], extraFiles: [String: [UInt8]] = [:]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (path, bytes) in extraFiles {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let url = directory.appendingPathComponent("catalog.json")
        try JSONSerialization.data(withJSONObject: catalog, options: [.prettyPrinted]).write(to: url)
        return url
    }

    /// A minimal valid PDF.
    static let pdfBytes = Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
}
