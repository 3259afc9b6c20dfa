/// Who may act on a dossier in processing, beyond the role the state machine asks for: only the current
/// holder of the step acts on it, or the head of the unit holding it. A step handed to a unit without a
/// person yet is open to that unit's members in the step's role; the desk's steps (receiving, returning)
/// are open to the whole desk. Everyone else of the agency sees the dossier read-only. Pure, so pages,
/// API and the write path ask the same question.
enum ProcessingPolicy {
    /// Whether `staff` holds the dossier's current step.
    static func holds(_ dossier: Dossier, _ staff: User) -> Bool {
        let progress = dossier.progress
        guard let step = progress.currentStep else { return false }
        if progress.holderUnitHeadID == staff.id { return true }
        // The desk works as one: whoever is at the desk receives, forwards and returns.
        if step.role == .receptionist { return staff.role == .receptionist }
        if let holder = progress.holderUserID { return holder == staff.id }
        return staff.role == step.role && staff.unitID != nil && staff.unitID == progress.holderUnitID
    }

    /// Whether the step may be given to a processor by `staff`: its unit's head, or a leader.
    static func mayAssign(_ dossier: Dossier, _ staff: User) -> Bool {
        guard let step = dossier.progress.currentStep, step.role != .receptionist else { return false }
        return dossier.progress.holderUnitHeadID == staff.id || staff.role == .leader
    }

    /// Why `staff` may not take `action` on the dossier now, beyond the state machine's rules; nil if they may.
    static func refusal(_ action: DossierAction, _ dossier: Dossier, _ staff: User) -> DossierError? {
        let progress = dossier.progress
        switch action {
        case .forward, .sendBack, .finish:
            guard holds(dossier, staff) else { return notHolder(dossier) }
            guard let position = progress.position else { return .conflict("Hồ sơ chưa có quy trình xử lý.") }
            let last = progress.process.count - 1
            switch action {
            case .forward where position + 1 >= last:
                return .conflict("Bước này kết thúc bằng phê duyệt kết quả, không chuyển tiếp.")
            case .sendBack where position <= 1:
                return .refused("Hồ sơ đang ở bước xử lý đầu tiên; không có bước trước để trả lại.")
            case .finish where progress.currentStep?.role != .leader || position + 1 != last:
                return .conflict("Chỉ phê duyệt kết quả ở bước phê duyệt của lãnh đạo.")
            default:
                return nil
            }
        case .supplement:
            // Online applicants answer themselves; the desk answers for paper dossiers (scans added first).
            return dossier.channel == .online ? .forbidden("Người nộp tự gửi hồ sơ bổ sung trên Cổng dịch vụ công.") : nil
        case .assign:
            return mayAssign(dossier, staff) ? nil
                : .forbidden("Chỉ trưởng đơn vị đang giữ hồ sơ hoặc lãnh đạo được phân công xử lý.")
        case .requestSupplement where dossier.status == .processing:
            return holds(dossier, staff) ? nil : notHolder(dossier)
        case .returnResult:
            return holds(dossier, staff) ? nil : notHolder(dossier)
        default:
            return nil
        }
    }

    private static func notHolder(_ dossier: Dossier) -> DossierError {
        let progress = dossier.progress
        let holder = progress.holderUserName ?? progress.holderUnitName.map { "đơn vị \($0)" } ?? "người khác"
        let step = progress.currentStep.map { " ở bước \"\($0.name)\"" } ?? ""
        return .forbidden("Hồ sơ đang do \(holder) giữ\(step): chỉ người đang giữ hồ sơ hoặc trưởng đơn vị được thao tác; bạn chỉ xem được.")
    }
}
