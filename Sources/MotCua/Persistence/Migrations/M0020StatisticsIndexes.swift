/// The statistics pages count dossiers by the moment they were received and the moment they were resolved.
/// Each count is one aggregate query over a range of one of these indexes; the indexes carry every column the
/// query groups or judges by (procedure, channel, status, due moment), so the table itself is never read and
/// a year of a million dossiers is one ordered index scan on both engines. Agency pages filter the same range.
enum M0020StatisticsIndexes {
    static let migration = Migration(version: 20, name: "statistics indexes") { _ in
        [
            "CREATE INDEX dossiers_stats_received ON dossiers (submitted_at, agency_id, procedure_id, channel, status, due_at)",
            "CREATE INDEX dossiers_stats_resolved ON dossiers (finished_at, agency_id, procedure_id, due_at)",
        ]
    }
}
