/// What each slip said when it was issued (the slip's values as JSON), so its print page shows the slip as
/// issued, whatever the dossier, the staff's names or the layouts look like later. Slips issued before this
/// migration have none: their PDF is the record.
enum M0014SlipContent {
    static let migration = Migration(version: 14, name: "slip content") { _ in
        ["ALTER TABLE dossier_slips ADD COLUMN content TEXT"]
    }
}
