import Foundation

/// The texts of the portal's e-mails.
enum Mail {
    static func verification(name: String, link: String) -> String {
        """
        Xin chào \(name),

        Bạn vừa đăng ký tài khoản trên Cổng dịch vụ công MotCua. Vui lòng mở liên kết sau để xác thực địa chỉ thư điện tử (liên kết có hiệu lực trong 24 giờ và chỉ dùng được một lần):

        \(link)

        Nếu bạn không đăng ký, hãy bỏ qua thư này.

        Cổng dịch vụ công MotCua
        """
    }

    static func alreadyRegistered(publicURL: String) -> String {
        """
        Xin chào,

        Có người vừa dùng địa chỉ thư điện tử này để đăng ký tài khoản trên Cổng dịch vụ công MotCua, nhưng địa chỉ này đã có tài khoản. Không có gì thay đổi.

        Nếu bạn quên mật khẩu, hãy đặt lại tại: \(publicURL)/quen-mat-khau

        Cổng dịch vụ công MotCua
        """
    }

    static func passwordReset(name: String, link: String) -> String {
        """
        Xin chào \(name),

        Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản của bạn. Mở liên kết sau để đặt mật khẩu mới (có hiệu lực trong 1 giờ, dùng một lần):

        \(link)

        Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu của bạn không thay đổi.

        Cổng dịch vụ công MotCua
        """
    }

    static func passwordChanged(name: String) -> String {
        """
        Xin chào \(name),

        Mật khẩu tài khoản của bạn trên Cổng dịch vụ công MotCua vừa được thay đổi, và các phiên đăng nhập khác đã được đăng xuất. Nếu không phải bạn thực hiện, hãy đặt lại mật khẩu ngay và liên hệ bộ phận hỗ trợ.

        Cổng dịch vụ công MotCua
        """
    }
}
