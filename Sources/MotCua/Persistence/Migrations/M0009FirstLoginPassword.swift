/// A staff account created with a generated password (shown once to whoever created it) must set its own
/// before doing anything else.
enum M0009FirstLoginPassword {
    static let migration = Migration(version: 9, name: "first login password") { t in
        ["ALTER TABLE users ADD COLUMN must_change_password \(t.boolean) NOT NULL DEFAULT \(t.engine == .sqlite ? "0" : "false")"]
    }
}
