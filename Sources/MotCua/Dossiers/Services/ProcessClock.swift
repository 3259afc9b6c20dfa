/// The clocks of a dossier in processing: each step's due moment counts office time (`OfficeHours`), the
/// whole dossier's appointment counts working days (`WorkingCalendar.deadline`), and a supplement request
/// during processing stops both until the applicant answers.
struct ProcessClock: Sendable {
    let officeHours: OfficeHours
    let calendar: WorkingCalendar

    /// The due moment of a step of `halfDays` that starts at `start`.
    func stepDue(from start: Int64, halfDays: Int) -> Int64 {
        officeHours.adding(halfDays: halfDays, to: start, calendar: calendar)
    }

    /// The progress and appointment after the clock restarts at `now`: the office time that was left at
    /// the stop, on both the step and the dossier, counts again from `now`.
    func resumed(_ dossier: Dossier, at now: Int64) -> (progress: DossierProgress, dueAt: Int64?) {
        var progress = dossier.progress
        guard let pausedAt = progress.pausedAt else { return (progress, dossier.dueAt) }
        let restart = { (due: Int64) in
            self.officeHours.adding(
                milliseconds: self.officeHours.workingMilliseconds(from: pausedAt, to: due, calendar: self.calendar),
                to: now, calendar: self.calendar)
        }
        progress.stepDueAt = progress.stepDueAt.map(restart)
        progress.pausedAt = nil
        progress.stepDueState = .inTime
        progress.dueState = .inTime
        return (progress, dossier.dueAt.map(restart))
    }
}
