import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

enum SMTPDataEncoder {
    /// The bytes sent after DATA's 354: line endings normalised to CRLF, lines starting with "." get one more
    /// "." (RFC 5321 §4.5.2), and the terminator CRLF "." CRLF.
    static func encode(_ text: String) -> [UInt8] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), dot = UInt8(ascii: ".")
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 50 + 8)
        var atLineStart = true
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == lf && previousWasCR {  // second half of a CRLF already written
                previousWasCR = false
                continue
            }
            previousWasCR = byte == cr
            if byte == cr || byte == lf {
                output.append(cr)
                output.append(lf)
                atLineStart = true
                continue
            }
            if atLineStart && byte == dot { output.append(dot) }
            output.append(byte)
            atLineStart = false
        }
        if !atLineStart {
            output.append(cr)
            output.append(lf)
        }
        output.append(contentsOf: [dot, cr, lf])
        return output
    }
}
