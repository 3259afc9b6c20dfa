/// The staff report per officer counts each person's hand-overs received and finished in a period: without
/// these it read every hand-over of the installation (about 4.5 per dossier). Each is a range scan of one
/// person's steps.
enum M0023HandoverReportIndexes {
    static let migration = Migration(version: 23, name: "hand-over indexes for the staff reports") { _ in
        [
            "CREATE INDEX dossier_handovers_receiver_received ON dossier_handovers (received_by, received_at)",
            "CREATE INDEX dossier_handovers_receiver_finished ON dossier_handovers (received_by, finished_at, outcome)",
        ]
    }
}
