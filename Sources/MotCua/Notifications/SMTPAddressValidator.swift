import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

enum SMTPAddressValidator {
    /// Display names may hold any text but no line breaks or other control characters (header injection).
    static func validate(_ mailbox: EmailAddress) throws {
        try self.validate(address: mailbox.address)
        if let name = mailbox.name, name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw SMTPError.invalidAddress(name)
        }
    }

    /// A conservative addr-spec check: printable ASCII without spaces, angle brackets, quotes, commas…,
    /// exactly one "@" with text on both sides. Rejects CR/LF, so nothing can be smuggled into a command
    /// or a header.
    static func validate(address: String) throws {
        let forbidden = Set("<>()[]\\,;:\"".unicodeScalars)
        let scalars = address.unicodeScalars
        guard !address.isEmpty, address.utf8.count <= 254,
            scalars.allSatisfy({ (0x21...0x7E).contains($0.value) && !forbidden.contains($0) })
        else { throw SMTPError.invalidAddress(address) }
        // The same rule as registration (`Identifiers.isEmail`: ASCII, a domain with a dot), so an address
        // the portal accepted is one the mailer sends to.
        guard Identifiers.isEmail(address) else { throw SMTPError.invalidAddress(address) }
    }
}
