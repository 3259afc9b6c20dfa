import Foundation
import Hummingbird

/// The router's routes as path patterns, to tell which methods a path takes.
struct RouteTable: Sendable {
    private let routes: [(segments: [Substring], method: HTTPRequest.Method)]

    init(_ descriptions: [(path: String, method: HTTPRequest.Method)]) {
        routes = descriptions.map { (Self.segments($0.path), $0.method) }
    }

    /// The methods of the routes that match `path`. As in the router, a literal segment wins over a
    /// parameter: `/api/v1/dossiers/lookup` is the lookup (GET only), not a dossier named "lookup".
    func methods(forPath path: String) -> Set<HTTPRequest.Method> {
        let parts = Self.segments(path)
        var best = -1
        var methods = Set<HTTPRequest.Method>()
        for route in routes where route.segments.count == parts.count {
            guard zip(route.segments, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) else { continue }
            let literals = route.segments.filter { !$0.hasPrefix("{") }.count
            if literals > best {
                best = literals
                methods = []
            }
            if literals == best { methods.insert(route.method) }
        }
        return methods
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
