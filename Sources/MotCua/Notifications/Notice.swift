/// A text message to write to the outbox with the change that causes it.
struct OutgoingSMS: Sendable, Equatable {
    /// The phone number as the applicant gave it; the gateway sends it in international form.
    var to: String
    var text: String
}

/// What one event tells one person: a mail, and an SMS where their phone is known and the notice has one.
struct Notice: Sendable, Equatable {
    var mail: OutgoingMail?
    var sms: OutgoingSMS?

    init(mail: OutgoingMail? = nil, sms: OutgoingSMS? = nil) {
        self.mail = mail
        self.sms = sms
    }
}
