import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Registration, e-mail verification, login and logout, password reset, and the account page.
struct AccountController: Sendable {
    let accounts: AccountService
    let apiTokens: APITokenStore
    let renderer: HTMLRenderer
    let cookies: SessionCookies

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/dang-ky", use: registerForm)
        router.post("/dang-ky", use: register)
        router.get("/xac-thuc-email", use: verifyForm)
        router.post("/xac-thuc-email", use: verify)
        router.get("/dang-nhap", use: loginForm)
        router.post("/dang-nhap", use: login)
        router.post("/dang-xuat", use: logout)
        router.get("/quen-mat-khau", use: forgotForm)
        router.post("/quen-mat-khau", use: forgot)
        router.get("/dat-lai-mat-khau", use: resetForm)
        router.post("/dat-lai-mat-khau", use: reset)

        let account = router.group("tai-khoan", context: AuthenticatedContext.self)
        account.get(use: accountPage)
        account.post("ho-so", use: updateProfile)
        account.post("mat-khau", use: changePassword)
        account.get("dat-mat-khau", use: firstPasswordForm)
        account.post("dat-mat-khau", use: firstPassword)
        account.post("dang-xuat-noi-khac", use: logoutElsewhere)
        account.post("gui-lai-xac-thuc", use: resendVerification)
        account.post("token", use: createToken)
        account.post("token/{id}/thu-hoi", use: revokeToken)
    }

    // MARK: Registration

    @Sendable func registerForm(_ request: Request, context: AppRequestContext) async throws -> HTML {
        var form = RegistrationForm()
        form.kind = request.queryValues["loai"] == "to-chuc" ? .organization : .individual
        return try renderer.render(RegisterPage(
            form: form, chrome: PageChrome(title: "Đăng ký tài khoản", context: context), csrfToken: context.csrfToken))
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> HTML {
        let form = try await request.decodeForm(RegistrationForm.self)
        switch try await accounts.register(form) {
        case .invalid(let errors):
            return try renderer.render(
                RegisterPage(form: form, errors: errors, chrome: PageChrome(title: "Đăng ký tài khoản – có lỗi", context: context),
                             csrfToken: context.csrfToken),
                status: .unprocessableContent)
        case .mailSent(let email):
            return try renderer.render(MessagePage(
                chrome: PageChrome(title: "Kiểm tra hộp thư", context: context),
                heading: "Kiểm tra hộp thư của bạn",
                paragraphs: [
                    "Chúng tôi đã gửi thư tới \(email). Hãy mở liên kết trong thư để xác thực địa chỉ và hoàn tất đăng ký.",
                    "Thư có thể đến sau vài phút; hãy xem cả thư mục thư rác. Liên kết có hiệu lực trong 24 giờ.",
                ],
                links: [LinkItem(url: "/dang-nhap", label: "Đăng nhập")]))
        }
    }

    @Sendable func verifyForm(_ request: Request, context: AppRequestContext) async throws -> HTML {
        let token = request.queryValues["ma"] ?? ""
        guard try await accounts.isValidToken(token, purpose: .verifyEmail) else { return try invalidLink(context) }
        return try renderer.render(MessagePage(
            chrome: PageChrome(title: "Xác thực thư điện tử", context: context), heading: "Xác thực địa chỉ thư điện tử",
            paragraphs: ["Bấm nút dưới đây để xác thực địa chỉ thư điện tử của tài khoản."],
            csrfToken: context.csrfToken, confirmAction: "/xac-thuc-email", confirmLabel: "Xác thực", token: token))
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> HTML {
        let token = try await request.decodeForm(LinkForm.self).ma ?? ""
        guard try await accounts.verifyEmail(token: token) else { return try invalidLink(context) }
        return try renderer.render(MessagePage(
            chrome: PageChrome(title: "Đã xác thực", context: context), heading: "Đã xác thực địa chỉ thư điện tử",
            paragraphs: ["Tài khoản của bạn đã sẵn sàng để nộp hồ sơ trực tuyến."],
            links: [LinkItem(url: context.identity == nil ? "/dang-nhap" : "/tai-khoan", label: context.identity == nil ? "Đăng nhập" : "Về trang tài khoản")]))
    }

    private func invalidLink(_ context: AppRequestContext) throws -> HTML {
        try renderer.render(
            MessagePage(
                chrome: PageChrome(title: "Liên kết không hợp lệ", context: context), heading: "Liên kết không còn hiệu lực",
                paragraphs: ["Liên kết này không đúng, đã được dùng hoặc đã hết hạn. Bạn có thể yêu cầu gửi lại thư từ trang tài khoản, hoặc đặt lại mật khẩu."],
                links: [LinkItem(url: "/dang-nhap", label: "Đăng nhập"), LinkItem(url: "/quen-mat-khau", label: "Quên mật khẩu")]),
            status: .badRequest)
    }

    // MARK: Login

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> HTML {
        try renderer.render(LoginPage(
            next: Self.safeNext(request.queryValues["next"]), chrome: PageChrome(title: "Đăng nhập", context: context),
            csrfToken: context.csrfToken))
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let values = try await request.decodeForm(SignInForm.self)
        let email = (values.email ?? "").trimmingCharacters(in: .whitespaces)
        let next = Self.safeNext(values.next)
        let outcome = try await accounts.login(
            email: String(email.prefix(254)), password: String((values.password ?? "").prefix(200)),
            ip: context.clientIP, userAgent: request.headers[.userAgent] ?? "")
        switch outcome {
        case .success(_, let secret):
            // A new session id at every login; whatever session this browser had before ends.
            if let old = context.identity?.sessionHash { try await accounts.sessions.delete(idHash: old) }
            var response = Response(status: .seeOther, headers: [.location: next.isEmpty ? "/tai-khoan" : next])
            // The CSRF token is renewed with the session: the one read before login no longer counts. (The session
            // cookie goes last: some clients keep only the last Set-Cookie of an answer.)
            response.setCookie(cookies.make(CSRFMiddleware.cookieName, value: CSRFMiddleware.token(forSession: secret)))
            response.setCookie(cookies.make(
                SessionMiddleware.cookieName, value: secret, maxAge: Int(accounts.sessions.absoluteTimeout.components.seconds)))
            return response
        case .invalid:
            return try renderer.render(
                LoginPage(email: email, next: next, problem: "Thư điện tử hoặc mật khẩu không đúng.",
                          chrome: PageChrome(title: "Đăng nhập", context: context), csrfToken: context.csrfToken),
                status: .unauthorized
            ).response(from: request, context: context)
        case .locked(let until):
            let minutes = max(1, Int((until - Clock.nowMilliseconds() + 59_999) / 60_000))
            return try renderer.render(
                LoginPage(email: email, next: next,
                          problem: "Đăng nhập tạm bị khóa do nhập sai nhiều lần. Vui lòng thử lại sau \(minutes) phút (lúc \(VietnameseFormat.dateTime(until))).",
                          chrome: PageChrome(title: "Đăng nhập", context: context), csrfToken: context.csrfToken),
                status: .tooManyRequests
            ).response(from: request, context: context)
        }
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let session = context.identity?.sessionHash { try await accounts.sessions.delete(idHash: session) }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(cookies.expired(SessionMiddleware.cookieName))
        // A new token for the visitor the browser is now: the session's token ends with the session.
        response.setCookie(cookies.make(CSRFMiddleware.cookieName, value: Secrets.random()))
        return response
    }

    /// Only a path on this site: never another host ("//evil", "https://…", "/\\evil").
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"), value.count <= 500,
              !value.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return "" }
        return value
    }

    // MARK: Password reset

    @Sendable func forgotForm(_ request: Request, context: AppRequestContext) async throws -> HTML {
        try renderer.render(forgotPage(context: context, notice: nil))
    }

    @Sendable func forgot(_ request: Request, context: AppRequestContext) async throws -> HTML {
        let email = (try await request.decodeForm(EmailForm.self).email ?? "").trimmingCharacters(in: .whitespaces)
        try await accounts.requestPasswordReset(email: String(email.prefix(254)))
        return try renderer.render(forgotPage(
            context: context,
            notice: "Nếu địa chỉ này có tài khoản, chúng tôi đã gửi thư hướng dẫn đặt lại mật khẩu. Liên kết có hiệu lực trong 1 giờ."))
    }

    private func forgotPage(context: AppRequestContext, notice: String?) -> PasswordFormPage {
        PasswordFormPage(
            chrome: PageChrome(title: "Quên mật khẩu", context: context), heading: "Quên mật khẩu",
            intro: "Nhập địa chỉ thư điện tử của tài khoản; chúng tôi sẽ gửi liên kết để đặt mật khẩu mới.",
            action: "/quen-mat-khau", submitLabel: "Gửi liên kết", csrfToken: context.csrfToken, token: nil,
            fields: [FormInput("email", "Thư điện tử", type: "email", autocomplete: "email", maxLength: 254)], notice: notice)
    }

    @Sendable func resetForm(_ request: Request, context: AppRequestContext) async throws -> HTML {
        let token = request.queryValues["ma"] ?? ""
        guard try await accounts.isValidToken(token, purpose: .resetPassword) else { return try invalidLink(context) }
        return try renderer.render(resetPage(context: context, token: token, errors: FieldErrors()))
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let values = try await request.decodeForm(ResetPasswordForm.self)
        let token = values.ma ?? ""
        switch try await accounts.resetPassword(
            token: token, password: values.password ?? "", confirmation: values.passwordConfirmation ?? "")
        {
        case .done:
            var response = try renderer.render(MessagePage(
                chrome: PageChrome(title: "Đã đặt lại mật khẩu", user: nil), heading: "Đã đặt mật khẩu mới",
                paragraphs: ["Mật khẩu đã được thay đổi và mọi phiên đăng nhập cũ đã kết thúc. Hãy đăng nhập lại bằng mật khẩu mới."],
                links: [LinkItem(url: "/dang-nhap", label: "Đăng nhập")])
            ).response(from: request, context: context)
            response.setCookie(cookies.expired(SessionMiddleware.cookieName))
            return response
        case .rejected(let errors):
            return try renderer.render(resetPage(context: context, token: token, errors: errors), status: .unprocessableContent)
                .response(from: request, context: context)
        case .invalidToken, .wrongCurrentPassword:
            return try invalidLink(context).response(from: request, context: context)
        }
    }

    private func resetPage(context: AppRequestContext, token: String, errors: FieldErrors) -> PasswordFormPage {
        PasswordFormPage(
            chrome: PageChrome(title: "Đặt lại mật khẩu", context: context), heading: "Đặt mật khẩu mới", intro: nil,
            action: "/dat-lai-mat-khau", submitLabel: "Đặt mật khẩu", csrfToken: context.csrfToken, token: token,
            fields: [
                FormInput("password", "Mật khẩu mới", type: "password", errors: errors, autocomplete: "new-password", maxLength: nil),
                FormInput("password_confirmation", "Nhập lại mật khẩu mới", type: "password", errors: errors, autocomplete: "new-password", maxLength: nil),
            ],
            problem: errors.isEmpty ? nil : "Vui lòng sửa các mục được đánh dấu.")
    }

    // MARK: Account page

    @Sendable func accountPage(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let notice = request.queryValues["thong-bao"].flatMap(AccountNotice.init(rawValue:))?.text
        // A token created just before is shown once, then its cookie is cleared.
        let flash = SessionCookies.flashValue(of: request)
        let newToken = flash.flatMap { $0.hasPrefix(APITokenStore.prefix) ? $0 : nil }
        var response = try await renderAccount(context, notice: notice, newToken: newToken).response(from: request, context: context)
        if flash != nil { response.setCookie(cookies.expired(SessionCookies.flashName, path: "/tai-khoan")) }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func renderAccount(
        _ context: AuthenticatedContext, notice: String? = nil, problem: String? = nil, newToken: String? = nil,
        profileErrors: FieldErrors = FieldErrors(), typedProfile: [String: String] = [:], passwordErrors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let user = context.user
        // After a refused change, the form shows what was typed, not what is saved.
        let profile = { (field: String, saved: String) in typedProfile[field] ?? saved }
        var facts = [InfoItem(label: "Loại tài khoản", value: user.kind.label), InfoItem(label: "Thư điện tử", value: user.email)]
        if let id = user.citizenID { facts.append(InfoItem(label: "Số CCCD", value: id)) }
        if let dob = user.dateOfBirth { facts.append(InfoItem(label: "Ngày sinh", value: VietnameseFormat.date(dob) ?? dob)) }
        if let tax = user.taxCode { facts.append(InfoItem(label: "Mã số thuế", value: tax)) }
        if let rep = user.representative { facts.append(InfoItem(label: "Người đại diện", value: rep)) }
        if let role = user.role { facts.append(InfoItem(label: "Vai trò", value: role.label)) }
        if let agency = user.agencyCode { facts.append(InfoItem(label: "Mã cơ quan", value: agency)) }
        facts.append(InfoItem(label: "Xác thực thư điện tử", value: user.emailVerified ? "Đã xác thực" : "Chưa xác thực"))
        let sessions = try await accounts.sessions.list(userID: user.id).map {
            SessionRow(createdAt: VietnameseFormat.dateTime($0.createdAt), lastSeenAt: VietnameseFormat.dateTime($0.lastSeenAt),
                       ip: $0.ip, userAgent: String($0.userAgent.prefix(80)), current: $0.idHash == context.identity.sessionHash)
        }
        let tokens = try await apiTokens.list(userID: user.id).map {
            TokenRow(id: $0.id, name: $0.name, createdAt: VietnameseFormat.dateTime($0.createdAt),
                     lastUsedAt: $0.lastUsedAt.map(VietnameseFormat.dateTime), csrfToken: context.csrfToken)
        }
        return try renderer.render(
            AccountPage(
                chrome: PageChrome(title: "Tài khoản", section: .account, context: context), csrfToken: context.csrfToken,
                facts: facts, verified: user.emailVerified,
                profileFields: [
                    FormInput("display_name", user.kind == .organization ? "Tên tổ chức" : "Họ và tên", value: profile("display_name", user.displayName),
                              errors: profileErrors, autocomplete: user.kind == .organization ? "organization" : "name", maxLength: 200),
                    FormInput("phone", "Số điện thoại di động", type: "tel", value: profile("phone", user.phone), errors: profileErrors,
                              autocomplete: "tel", required: !user.isStaff, maxLength: 15),
                    FormInput("address", "Địa chỉ liên hệ", value: profile("address", user.address), errors: profileErrors,
                              autocomplete: "street-address", required: !user.isStaff, maxLength: 300),
                ],
                passwordFields: [
                    FormInput("current_password", "Mật khẩu hiện tại", type: "password", errors: passwordErrors, autocomplete: "current-password", maxLength: nil),
                    FormInput("password", "Mật khẩu mới", type: "password", errors: passwordErrors, autocomplete: "new-password", maxLength: nil),
                    FormInput("password_confirmation", "Nhập lại mật khẩu mới", type: "password", errors: passwordErrors, autocomplete: "new-password", maxLength: nil),
                ],
                sessions: sessions, tokens: tokens, hasTokens: !tokens.isEmpty,
                tokenFields: [FormInput("token_name", "Tên gợi nhớ của mã", hint: "Ví dụ: Phần mềm quản lý văn bản", autocomplete: "off", maxLength: 100)],
                newToken: newToken, notice: notice, problem: problem),
            status: status)
    }

    @Sendable func updateProfile(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let values = try await request.decodeForm(ProfileForm.self)
        var errors = FieldErrors()
        let user = context.user
        let name = errors.text((values.displayName ?? "").trimmingCharacters(in: .whitespaces), field: "display_name",
                               label: user.kind == .organization ? "Tên tổ chức" : "Họ và tên", max: 200)
        let phoneText = (values.phone ?? "").trimmingCharacters(in: .whitespaces)
        var phone = ""
        if let normalized = Identifiers.normalizedPhone(phoneText) { phone = normalized }
        else if !(user.isStaff && phoneText.isEmpty) { errors["phone"] = "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84)." }
        let addressText = (values.address ?? "").trimmingCharacters(in: .whitespaces)
        let address = user.isStaff && addressText.isEmpty ? "" : errors.text(addressText, field: "address", label: "Địa chỉ", max: 300)
        guard errors.isEmpty else {
            let typed = ["display_name": values.displayName ?? "", "phone": phoneText, "address": addressText]
            return try await renderAccount(context, problem: "Chưa lưu: vui lòng sửa các mục được đánh dấu.", profileErrors: errors,
                                           typedProfile: typed, status: .unprocessableContent).response(from: request, context: context)
        }
        try await accounts.users.updateProfile(userID: user.id, displayName: name, phone: phone, address: address)
        return Self.backToAccount(.profileSaved)
    }

    @Sendable func changePassword(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let values = try await request.decodeForm(ChangePasswordForm.self)
        let outcome = try await accounts.changePassword(
            user: context.user, current: values.currentPassword ?? "", new: values.password ?? "",
            confirmation: values.passwordConfirmation ?? "", keepingSession: context.identity.sessionHash)
        switch outcome {
        case .done:
            return Self.backToAccount(.passwordChanged)
        case .wrongCurrentPassword:
            var errors = FieldErrors()
            errors["current_password"] = "Mật khẩu hiện tại không đúng."
            return try await renderAccount(context, problem: "Chưa đổi mật khẩu.", passwordErrors: errors, status: .unprocessableContent)
                .response(from: request, context: context)
        case .rejected(let errors):
            return try await renderAccount(context, problem: "Chưa đổi mật khẩu.", passwordErrors: errors, status: .unprocessableContent)
                .response(from: request, context: context)
        case .invalidToken:
            throw PortalError(status: .badRequest, message: "Yêu cầu không hợp lệ.")
        }
    }

    // MARK: First password (staff created with a generated one)

    private func firstPasswordPage(_ context: AuthenticatedContext, errors: FieldErrors = FieldErrors()) -> PasswordFormPage {
        PasswordFormPage(
            chrome: PageChrome(title: "Đặt mật khẩu của bạn", context: context), heading: "Đặt mật khẩu của bạn",
            intro: "Tài khoản được tạo với mật khẩu tạm do quản trị viên cấp. Vui lòng đặt mật khẩu của riêng bạn trước khi làm việc.",
            action: PasswordChangeGate.path, submitLabel: "Đặt mật khẩu", csrfToken: context.csrfToken, token: nil,
            fields: [
                FormInput("current_password", "Mật khẩu tạm được cấp", type: "password", errors: errors, autocomplete: "current-password", maxLength: nil),
                FormInput("password", "Mật khẩu mới", type: "password", errors: errors, autocomplete: "new-password", maxLength: nil),
                FormInput("password_confirmation", "Nhập lại mật khẩu mới", type: "password", errors: errors, autocomplete: "new-password", maxLength: nil),
            ],
            problem: errors.isEmpty ? nil : "Chưa đặt mật khẩu: vui lòng sửa các mục được đánh dấu.")
    }

    @Sendable func firstPasswordForm(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        guard context.user.mustChangePassword else { return Response(status: .seeOther, headers: [.location: "/tai-khoan"]) }
        return try renderer.render(firstPasswordPage(context)).response(from: request, context: context)
    }

    @Sendable func firstPassword(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let values = try await request.decodeForm(ChangePasswordForm.self)
        let outcome = try await accounts.changePassword(
            user: context.user, current: values.currentPassword ?? "", new: values.password ?? "",
            confirmation: values.passwordConfirmation ?? "", keepingSession: context.identity.sessionHash)
        var errors = FieldErrors()
        switch outcome {
        case .done:
            return Self.backToAccount(.passwordChanged)
        case .wrongCurrentPassword:
            errors["current_password"] = "Mật khẩu tạm không đúng."
        case .rejected(let rejected):
            errors = rejected
        case .invalidToken:
            throw PortalError(status: .badRequest, message: "Yêu cầu không hợp lệ.")
        }
        return try renderer.render(firstPasswordPage(context, errors: errors), status: .unprocessableContent)
            .response(from: request, context: context)
    }

    @Sendable func logoutElsewhere(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await accounts.sessions.deleteAll(userID: context.user.id, keeping: context.identity.sessionHash)
        return Self.backToAccount(.loggedOutElsewhere)
    }

    @Sendable func resendVerification(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        switch try await accounts.resendVerification(for: context.user) {
        case .sent: return Self.backToAccount(.verificationSent)
        case .alreadyVerified: return Self.backToAccount(.alreadyVerified)
        case .throttled(let until):
            return try await renderAccount(
                context, problem: "Bạn đã yêu cầu gửi lại nhiều lần. Vui lòng thử lại sau \(VietnameseFormat.dateTime(until)).",
                status: .tooManyRequests
            ).response(from: request, context: context)
        }
    }

    @Sendable func createToken(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        var errors = FieldErrors()
        let name = errors.text((try await request.decodeForm(TokenNameForm.self).tokenName ?? "").trimmingCharacters(in: .whitespaces),
                               field: "token_name", label: "Tên gợi nhớ", max: 100)
        guard errors.isEmpty else {
            return try await renderAccount(context, problem: errors["token_name"], status: .unprocessableContent)
                .response(from: request, context: context)
        }
        let secret = try await apiTokens.create(userID: context.user.id, name: name)
        // Shown once on the next page: never stored in the portal or shown again.
        var response = Self.backToAccount(.tokenCreated)
        response.setCookie(cookies.flash(secret, path: "/tai-khoan"))
        return response
    }

    @Sendable func revokeToken(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self),
              try await apiTokens.revoke(id: id, userID: context.user.id)
        else { throw PortalError.notFound("Không tìm thấy mã truy cập này.") }
        return Self.backToAccount(.tokenRevoked)
    }

    enum AccountNotice: String {
        case profileSaved = "da-luu"
        case passwordChanged = "da-doi-mat-khau"
        case loggedOutElsewhere = "da-dang-xuat-noi-khac"
        case verificationSent = "da-gui-xac-thuc"
        case alreadyVerified = "da-xac-thuc"
        case tokenRevoked = "da-thu-hoi"
        case tokenCreated = "da-tao-token"

        var text: String {
            switch self {
            case .profileSaved: "Đã lưu thông tin liên hệ."
            case .passwordChanged: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất."
            case .loggedOutElsewhere: "Đã đăng xuất khỏi mọi nơi khác."
            case .verificationSent: "Đã gửi lại thư xác thực. Hãy kiểm tra hộp thư."
            case .alreadyVerified: "Địa chỉ thư điện tử đã được xác thực."
            case .tokenRevoked: "Đã thu hồi mã truy cập."
            case .tokenCreated: "Đã tạo mã truy cập."
            }
        }
    }

    /// After a change: back to the account page with a message (POST, redirect, GET).
    static func backToAccount(_ notice: AccountNotice) -> Response {
        Response(status: .seeOther, headers: [.location: "/tai-khoan?thong-bao=\(notice.rawValue)"])
    }
}

