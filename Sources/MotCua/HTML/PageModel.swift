
/// A page's typed view model: the template it renders with and the chrome the layout reads.
protocol PageModel: Sendable, Encodable {
    static var template: String { get }
    var chrome: PageChrome { get }
}
