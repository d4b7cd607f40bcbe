/// A page that only says something: an error in the reader's language, with a way back.
public struct MessagePage: PageContext {
    public static let template = Template.message

    public var title: String
    public var message: String
    /// Where the way back goes: the page the person came from, or Today.
    public var back: String
    /// The way back is to Today.
    public var home: Bool

    public init(title: String, message: String, back: String? = nil) {
        (self.title, self.message, self.back, self.home) = (title, message, back ?? "/", back == nil || back == "/")
    }
}
