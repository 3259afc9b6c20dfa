/// The back office's work lists, each sorted by the moment that matters for it: dossiers waiting at the
/// desk (oldest submission first), steps waiting for a processor to be assigned, the person's own steps,
/// steps waiting for a leader's approval (by the step's due moment), results waiting to be returned, the
/// agency's dossiers due soon and overdue (by their appointment), and the agency's whole list (by due
/// moment, or by submission before acceptance).
enum DossierQueue: String, Sendable, CaseIterable {
    case toReceive = "to-receive"
    case toAssign = "to-assign"
    case mine
    case toApprove = "to-approve"
    case toReturn = "to-return"
    case dueSoon = "due-soon"
    case overdue
    case all

    /// The Vietnamese slug of the back office's tabs.
    var slug: String {
        switch self {
        case .toReceive: "cho-tiep-nhan"
        case .toAssign: "cho-phan-cong"
        case .mine: "dang-xu-ly"
        case .toApprove: "cho-phe-duyet"
        case .toReturn: "cho-tra-ket-qua"
        case .dueSoon: "sap-den-han"
        case .overdue: "qua-han"
        case .all: "tat-ca"
        }
    }

    init?(slug: String) {
        guard let queue = Self.allCases.first(where: { $0.slug == slug }) else { return nil }
        self = queue
    }

    var label: String {
        switch self {
        case .toReceive: "Chờ tiếp nhận"
        case .toAssign: "Chờ phân công"
        case .mine: "Tôi đang xử lý"
        case .toApprove: "Chờ phê duyệt"
        case .toReturn: "Chờ trả kết quả"
        case .dueSoon: "Sắp đến hạn"
        case .overdue: "Quá hạn"
        case .all: "Tất cả hồ sơ"
        }
    }

    /// The lists a role works from, in the order the back office shows them.
    static func queues(for role: StaffRole?) -> [DossierQueue] {
        switch role {
        case .receptionist: [.toReceive, .mine, .toReturn, .dueSoon, .overdue, .all]
        case .processor: [.toAssign, .mine, .dueSoon, .overdue, .all]
        case .leader: [.toAssign, .toApprove, .dueSoon, .overdue, .all]
        default: [.all]
        }
    }
}

/// Who is asking for a work list: their agency, themselves and their unit (the units they head are read
/// with the list).
struct QueueViewer: Sendable {
    var agencyID: Int64?
    var userID: Int64
    var unitID: Int64?

    init(_ staff: User) {
        agencyID = staff.agencyID
        userID = staff.id
        unitID = staff.unitID
    }
}
