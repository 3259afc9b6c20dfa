/// Dossiers brought to the desk on paper or received by post (channels 1 and 3) for applicants who may have
/// no account: the applicant is kept as an account nobody can sign in to (`walk_in`), with the ID number and
/// e-mail they gave apart from the columns of real accounts (whose citizen ID and e-mail are unique), so that
/// the person can later register with them and find these dossiers in "Hồ sơ của tôi".
enum M0012WalkInApplicants {
    static let migration = Migration(version: 12, name: "walk-in applicants") { t in
        [
            "ALTER TABLE users ADD COLUMN walk_in \(t.boolean) NOT NULL DEFAULT \(t.engine == .sqlite ? "0" : "false")",
            "ALTER TABLE users ADD COLUMN walk_in_id_number TEXT",
            "ALTER TABLE users ADD COLUMN contact_email TEXT",
            "CREATE INDEX users_walk_in_id_number ON users (walk_in_id_number)",
        ]
    }
}
