import Foundation

public struct Fee: Sendable, Codable, Equatable {
    public var description: String
    /// Amount in Vietnamese đồng.
    public var amount: Int64
    /// The amount depends on the case (the number of candidates, say): the desk requests it once it knows,
    /// instead of charging it at submission.
    public var variable: Bool

    public init(description: String, amount: Int64, variable: Bool = false) {
        self.description = description
        self.amount = amount
        self.variable = variable
    }

    private enum CodingKeys: String, CodingKey { case description, amount, variable }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        description = try container.decode(String.self, forKey: .description)
        amount = try container.decode(Int64.self, forKey: .amount)
        variable = try container.decodeIfPresent(Bool.self, forKey: .variable) ?? false
    }
}

extension Procedure {
    /// The fees charged when the dossier is submitted online (the fixed ones), in đồng.
    var feesDueAtSubmission: [Fee] { fees.filter { !$0.variable && $0.amount > 0 } }
}
