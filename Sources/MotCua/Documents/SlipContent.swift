import Foundation

/// One issued slip's values, whichever form it is: rendered to PDF at the step, kept as JSON beside the PDF
/// (dossier_slips.content) and read back by the slip's print page, so the page and the PDF say the same thing.
public enum SlipContent: Sendable, Equatable {
    case receipt(ReceiptSlip)
    case supplementRequest(SupplementRequestSlip)
    case refusal(RefusalSlip)
    case apology(ApologySlip)
    case control(ControlSlip)

    /// The form number of Circular 01/2018/TT-VPCP ("01"…"05").
    public var form: String {
        switch self {
        case .receipt: "01"
        case .supplementRequest: "02"
        case .refusal: "03"
        case .apology: "04"
        case .control: "05"
        }
    }

    public var heading: SlipHeading {
        switch self {
        case .receipt(let slip): slip.heading
        case .supplementRequest(let slip): slip.heading
        case .refusal(let slip): slip.heading
        case .apology(let slip): slip.heading
        case .control(let slip): slip.heading
        }
    }

    public func pdf(_ renderer: SlipRenderer) throws -> [UInt8] {
        switch self {
        case .receipt(let slip): try renderer.receipt(slip)
        case .supplementRequest(let slip): try renderer.supplementRequest(slip)
        case .refusal(let slip): try renderer.refusal(slip)
        case .apology(let slip): try renderer.apology(slip)
        case .control(let slip): try renderer.control(slip)
        }
    }

    /// The values as JSON, keys sorted so equal slips give equal text.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = switch self {
        case .receipt(let slip): try encoder.encode(slip)
        case .supplementRequest(let slip): try encoder.encode(slip)
        case .refusal(let slip): try encoder.encode(slip)
        case .apology(let slip): try encoder.encode(slip)
        case .control(let slip): try encoder.encode(slip)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads back what `json()` wrote for `form`.
    public init(form: String, json: String) throws {
        let decoder = JSONDecoder()
        let data = Data(json.utf8)
        switch form {
        case "01": self = .receipt(try decoder.decode(ReceiptSlip.self, from: data))
        case "02": self = .supplementRequest(try decoder.decode(SupplementRequestSlip.self, from: data))
        case "03": self = .refusal(try decoder.decode(RefusalSlip.self, from: data))
        case "04": self = .apology(try decoder.decode(ApologySlip.self, from: data))
        case "05": self = .control(try decoder.decode(ControlSlip.self, from: data))
        default: throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown slip form \(form)"))
        }
    }
}
