/// Processing with timed steps ("ISO điện tử"): an agency's units (phòng ban) and who belongs to them, each
/// procedure's process (its steps as JSON, like its other lists), and on each dossier the step it is at, who
/// holds it, the step's and the dossier's due moments and their due-soon/overdue state, the clock stopped
/// during a supplement request, a revision that lets exactly one of two concurrent hand-overs win, the
/// applicant's name and ID number for the agency's search, every hand-over (the control slip, mẫu 05) and
/// every apology with a new appointment date (mẫu 04).
enum M0006Processing {
    static let migration = Migration(version: 6, name: "processing with timed steps") { t in
        [
            """
            CREATE TABLE units (
                id \(t.identityPrimaryKey),
                agency_id \(t.bigint) NOT NULL REFERENCES agencies(id),
                name TEXT NOT NULL,
                head_user_id \(t.bigint) REFERENCES users(id),
                created_at \(t.bigint) NOT NULL,
                UNIQUE (agency_id, name)
            )
            """,
            "ALTER TABLE users ADD COLUMN unit_id \(t.bigint) REFERENCES units(id)",
            "CREATE INDEX users_unit ON users (unit_id)",
            // [{"name", "unit", "role", "halfDays"}]: the allowances in half working days, summing to the processing time.
            "ALTER TABLE procedures ADD COLUMN process TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE dossiers ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
            // The procedure's process as it was at acceptance: a later catalog import does not move a running dossier.
            "ALTER TABLE dossiers ADD COLUMN process TEXT",
            "ALTER TABLE dossiers ADD COLUMN step_position INTEGER",
            // The role that acts in the current step (receptionist, processor, leader), for the queues.
            "ALTER TABLE dossiers ADD COLUMN step_role TEXT",
            "ALTER TABLE dossiers ADD COLUMN holder_unit_id \(t.bigint) REFERENCES units(id)",
            "ALTER TABLE dossiers ADD COLUMN holder_user_id \(t.bigint) REFERENCES users(id)",
            "ALTER TABLE dossiers ADD COLUMN step_started_at \(t.bigint)",
            "ALTER TABLE dossiers ADD COLUMN step_due_at \(t.bigint)",
            "ALTER TABLE dossiers ADD COLUMN paused_at \(t.bigint)",
            // 0 in time, 1 due soon, 2 overdue: written by the due sweep, which mails the holder once per state.
            "ALTER TABLE dossiers ADD COLUMN due_state INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE dossiers ADD COLUMN step_due_state INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE dossiers ADD COLUMN applicant_name TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE dossiers ADD COLUMN applicant_id_number TEXT",
            """
            UPDATE dossiers SET
                applicant_name = COALESCE((SELECT u.display_name FROM users u WHERE u.id = dossiers.applicant_id), ''),
                applicant_id_number = (SELECT COALESCE(u.citizen_id, u.tax_code) FROM users u WHERE u.id = dossiers.applicant_id)
            """,
            // The queues: a person's own work, a unit's unassigned work, each by the step's due moment.
            "CREATE INDEX dossiers_holder_queue ON dossiers (holder_user_id, step_due_at, id)",
            "CREATE INDEX dossiers_unit_queue ON dossiers (holder_unit_id, holder_user_id, step_due_at, id)",
            // The agency's list by due moment (a dossier not yet accepted by its submission), with and without a status.
            "CREATE INDEX dossiers_agency_due ON dossiers (agency_id, (COALESCE(due_at, submitted_at)), id)",
            "CREATE INDEX dossiers_agency_status_due ON dossiers (agency_id, status, (COALESCE(due_at, submitted_at)), id)",
            "CREATE INDEX dossiers_agency_due_state ON dossiers (agency_id, due_state, due_at, id)",
            "CREATE INDEX dossiers_agency_id_number ON dossiers (agency_id, applicant_id_number)",
            // The due sweep: open dossiers by their due moments.
            "CREATE INDEX dossiers_status_due ON dossiers (status, due_at)",
            "CREATE INDEX dossiers_status_step_due ON dossiers (status, step_due_at)",
            """
            CREATE TABLE dossier_handovers (
                id \(t.identityPrimaryKey),
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                step_position INTEGER NOT NULL,
                step_name TEXT NOT NULL,
                unit_id \(t.bigint) REFERENCES units(id),
                handed_by \(t.bigint) REFERENCES users(id),
                received_by \(t.bigint) REFERENCES users(id),
                received_at \(t.bigint) NOT NULL,
                due_at \(t.bigint) NOT NULL,
                finished_at \(t.bigint),
                outcome TEXT CHECK (outcome IN ('early', 'on_time', 'late')),
                note TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX dossier_handovers_dossier ON dossier_handovers (dossier_id, id)",
            """
            CREATE TABLE dossier_apologies (
                id \(t.identityPrimaryKey),
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                at \(t.bigint) NOT NULL,
                by_user_id \(t.bigint) REFERENCES users(id),
                reason TEXT NOT NULL,
                previous_due_at \(t.bigint) NOT NULL,
                new_due_at \(t.bigint) NOT NULL
            )
            """,
            "CREATE INDEX dossier_apologies_dossier ON dossier_apologies (dossier_id, id)",
        ]
    }
}
