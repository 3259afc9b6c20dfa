/// The current step's name on the dossier row, written with the rest of the progress, so a work list shows it
/// without decoding each row's process (bench/issue11.sh: a third of a list's CPU went to that JSON).
enum M0011StepName {
    static let migration = Migration(version: 11, name: "step name") { t in
        [
            "ALTER TABLE dossiers ADD COLUMN step_name TEXT",
            t.engine == .sqlite
                ? "UPDATE dossiers SET step_name = json_extract(process, '$[' || step_position || '].name') WHERE step_position IS NOT NULL"
                : "UPDATE dossiers SET step_name = (process::jsonb -> step_position ->> 'name') WHERE step_position IS NOT NULL",
        ]
    }
}
