import Foundation

/// Who filed a dossier, as the desk needs to reach them.
enum ApplicantFacts {
    static func items(_ user: User) -> [InfoItem] {
        var items = [InfoItem(label: user.kind == .organization ? "Tổ chức" : "Họ và tên", value: user.displayName)]
        if let citizenID = user.citizenID { items.append(InfoItem(label: "Số CCCD", value: citizenID)) }
        if let taxCode = user.taxCode { items.append(InfoItem(label: "Mã số thuế", value: taxCode)) }
        if let representative = user.representative { items.append(InfoItem(label: "Người đại diện", value: representative)) }
        items.append(InfoItem(label: "Thư điện tử", value: user.email))
        if !user.phone.isEmpty { items.append(InfoItem(label: "Điện thoại", value: user.phone)) }
        if !user.address.isEmpty { items.append(InfoItem(label: "Địa chỉ", value: user.address)) }
        return items
    }
}
