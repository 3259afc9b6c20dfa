import Foundation
import Logging
import Testing

@testable import MotCua

@Suite("Configuration refuses bad values")
struct ConfigurationTests {
    @Test("Each bad setting is refused, naming its variable", arguments: [
        ("MOTCUA_PORT", "abc"), ("MOTCUA_SMTP_PORT", "abc"), ("MOTCUA_SMTP_PORT", "70000"), ("LOG_LEVEL", "verbose"),
        ("DATABASE_URL", "postgres://u@127.0.0.1/db?sslmode=requir"), ("DATABASE_URL", "mysql://u@h/db"),
        ("MOTCUA_MAIL_FROM", "not-an-address"), ("MOTCUA_SMTP_SECURITY", "tls"), ("MOTCUA_DEMO_DATA", "maybe"),
        ("MOTCUA_BCRYPT_COST", "3"), ("MOTCUA_MAX_FILE_MB", "lots"), ("MOTCUA_SMS_GATEWAY_URL", "sms.example.vn/gui"),
    ])
    func refused(variable: String, value: String) {
        var environment = ["MOTCUA_SMTP_HOST": "smtp.example.vn"]
        environment[variable] = value
        do {
            _ = try AppConfiguration.fromEnvironment(environment)
            Issue.record("\(variable)=\(value) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.variable == variable)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("An SMS gateway needs its key, and a sender of at most 11 letters and digits")
    func smsGateway() throws {
        let url = ["MOTCUA_SMS_GATEWAY_URL": "https://sms.example.vn/api/send"]
        #expect(throws: ConfigurationError.self) { try AppConfiguration.fromEnvironment(url) }
        var good = url
        good["MOTCUA_SMS_API_KEY"] = "khoa-bi-mat"
        #expect(try AppConfiguration.fromEnvironment(good).sms == .init(url: good["MOTCUA_SMS_GATEWAY_URL"]!, apiKey: "khoa-bi-mat", sender: "MOTCUA"))
        good["MOTCUA_SMS_SENDER"] = "SỞ NỘI VỤ BẮC KẠN"
        do {
            _ = try AppConfiguration.fromEnvironment(good)
            Issue.record("a sender with spaces and diacritics was accepted")
        } catch let error as ConfigurationError {
            #expect(error.variable == "MOTCUA_SMS_SENDER")
        }
        #expect(try AppConfiguration.fromEnvironment([:]).sms == nil)
    }

    @Test("Good settings are read as given")
    func accepted() throws {
        let configuration = try AppConfiguration.fromEnvironment([
            "MOTCUA_PORT": "8081", "MOTCUA_SMTP_HOST": "smtp.example.vn", "MOTCUA_SMTP_PORT": "2525", "LOG_LEVEL": "WARNING",
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5433/motcua?sslmode=require", "MOTCUA_MAIL_FROM": "khong-tra-loi@so-noi-vu.gov.vn",
        ])
        #expect(configuration.port == 8081 && configuration.smtp?.port == 2525 && configuration.logLevel == .warning)
        #expect(configuration.mailFrom == "khong-tra-loi@so-noi-vu.gov.vn" && configuration.databaseURL?.contains("5433") == true)
    }
}
