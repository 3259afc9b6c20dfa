import Foundation

/// How the result was handed over when the desk returned it: online (the applicant downloads it), at the
/// desk to a named person whose ID was checked, or by public post with the tracking number and the day sent.
struct ResultDelivery: Sendable, Equatable {
    var method: DeliveryMethod
    var collectorName: String?
    var collectorIDNumber: String?
    var trackingNumber: String?
    var sentOn: CivilDate?
    var recordedAt: Int64

    /// What the applicant and the desk read about it.
    var summary: String {
        switch method {
        case .online: "Kết quả được trả trực tuyến trên Cổng dịch vụ công."
        case .desk: "Đã trả tại Bộ phận tiếp nhận và trả kết quả cho \(collectorName ?? "") (giấy tờ tùy thân số \(collectorIDNumber ?? "") đã được kiểm tra)."
        case .post:
            "Đã gửi qua dịch vụ bưu chính công ích ngày \(sentOn.map { String(format: "%02d/%02d/%d", $0.day, $0.month, $0.year) } ?? ""), số hiệu bưu gửi \(trackingNumber ?? "")."
        }
    }

    /// The desk's entry checked: who collected it and which ID (CCCD 12 digits, or a passport or other paper of
    /// 6–20 letters and digits), or a tracking number of 6–30 capital letters, digits and dashes and a day sent
    /// that is not in the future; the failures by field.
    static func checked(method: DeliveryMethod, input: StaffActionInput, today: CivilDate) -> Result<ResultDelivery, FieldErrors> {
        var errors = FieldErrors()
        var delivery = ResultDelivery(method: method, recordedAt: 0)
        switch method {
        case .online:
            break
        case .desk:
            let name = input.collectorName?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if name.isEmpty || name.count > 100 { errors["collector_name"] = "Vui lòng ghi họ tên người nhận kết quả (tối đa 100 ký tự)." }
            let number = (input.collectorIDNumber ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            if !(6...20).contains(number.count) || !number.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) }) {
                errors["collector_id_number"] = "Số giấy tờ tùy thân đã kiểm tra: 6–20 chữ cái hoặc chữ số (CCCD 12 số)."
            }
            delivery.collectorName = name
            delivery.collectorIDNumber = number
        case .post:
            let number = (input.trackingNumber ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            if !(6...30).contains(number.count) || !number.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase || $0 == "-") }) {
                errors["tracking_number"] = "Số hiệu bưu gửi gồm 6–30 chữ cái in hoa, chữ số hoặc dấu gạch ngang (ví dụ EL123456789VN)."
            }
            if let day = input.sentOn, !(day > today) {
                delivery.sentOn = day
            } else {
                errors["sent_on"] = "Vui lòng chọn ngày gửi (không sau hôm nay)."
            }
            delivery.trackingNumber = number
        }
        return errors.isEmpty ? .success(delivery) : .failure(errors)
    }
}
