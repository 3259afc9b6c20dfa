/// Satisfaction ratings (đánh giá mức độ hài lòng): one per dossier (the primary key), given by its applicant
/// once the result is returned, with the agency's answer to the comment. Indexed by the moment rated, per
/// agency and for the whole installation, for the satisfaction indicator of Decision 766.
enum M0021Ratings {
    static let migration = Migration(version: 21, name: "satisfaction ratings") { t in
        [
            """
            CREATE TABLE dossier_ratings (
                dossier_id \(t.bigint) PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
                agency_id \(t.bigint) NOT NULL REFERENCES agencies(id),
                applicant_id \(t.bigint) NOT NULL REFERENCES users(id),
                rated_at \(t.bigint) NOT NULL,
                information INTEGER NOT NULL CHECK (information BETWEEN 1 AND 5),
                attitude INTEGER NOT NULL CHECK (attitude BETWEEN 1 AND 5),
                timeliness INTEGER NOT NULL CHECK (timeliness BETWEEN 1 AND 5),
                outcome INTEGER NOT NULL CHECK (outcome BETWEEN 1 AND 5),
                comment TEXT NOT NULL DEFAULT '',
                reply TEXT NOT NULL DEFAULT '',
                replied_at \(t.bigint),
                replied_by \(t.bigint) REFERENCES users(id)
            )
            """,
            "CREATE INDEX dossier_ratings_agency ON dossier_ratings (agency_id, rated_at, information, attitude, timeliness, outcome)",
            "CREATE INDEX dossier_ratings_rated ON dossier_ratings (rated_at, information, attitude, timeliness, outcome)",
        ]
    }
}
