import Foundation

/// How a dossier reached the agency (national portal channel codes).
public enum DossierChannel: Int, Sendable, Codable {
    case desk = 1
    case online = 2
    case post = 3
}
