import Foundation

/// Where gateways call the portal: answered in the gateway's own terms whatever the request looks like, so the
/// portal's own refusals of malformed queries and of bearer tokens do not apply there.
enum GatewayCallbackPaths {
    static let vnpayNotification = "/api/v1/payments/vnpay/ipn"
    static let vnpayReturn = "/thanh-toan/vnpay/ket-qua"
    static let all: Set<String> = [vnpayNotification, vnpayReturn]
}

/// The online gateways configured for each agency (its own merchant terminal and secret), by agency code.
struct PaymentGateways: Sendable {
    let byAgency: [String: any PaymentGateway]

    init(byAgency: [String: any PaymentGateway] = [:]) {
        self.byAgency = byAgency
    }

    /// The gateways of `settings` (already checked when the configuration was read).
    init(vnpay settings: [String: AppConfiguration.VNPaySettings], publicURL: String) throws(PaymentRequestError) {
        var gateways: [String: any PaymentGateway] = [:]
        for (agency, value) in settings { gateways[agency] = try Self.vnpay(value, publicURL: publicURL) }
        byAgency = gateways
    }

    /// Where VNPay sends the payer's browser back: the portal's own page (display only).
    static func returnURL(publicURL: String) -> String { publicURL + "/thanh-toan/vnpay/ket-qua" }

    static func vnpay(_ settings: AppConfiguration.VNPaySettings, publicURL: String) throws(PaymentRequestError) -> VNPayGateway {
        VNPayGateway(configuration: try VNPayConfiguration(
            paymentURL: settings.paymentURL, terminalCode: settings.terminalCode, hashSecret: settings.hashSecret,
            returnURL: returnURL(publicURL: publicURL), queryURL: settings.queryURL))
    }

    func gateway(for agencyCode: String) -> (any PaymentGateway)? { byAgency[agencyCode] }

    /// The origin ("https://sandbox.vnpayment.vn") the agency's checkout sends the payer to, for the page's CSP.
    func origin(for agencyCode: String) -> String? {
        guard let vnpay = byAgency[agencyCode] as? VNPayGateway, let url = URLComponents(string: vnpay.configuration.paymentURL),
              let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    /// The VNPay gateway a callback names by its (not yet verified) terminal code; the signature is then checked
    /// with that terminal's secret, so naming another agency's terminal gains nothing.
    func vnpay(terminalCode: String) -> (agencyCode: String, gateway: VNPayGateway)? {
        for (agency, gateway) in byAgency {
            if let vnpay = gateway as? VNPayGateway, vnpay.configuration.terminalCode == terminalCode { return (agency, vnpay) }
        }
        return nil
    }
}
