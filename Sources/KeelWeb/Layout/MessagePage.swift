/// A page that only says something: an error in the reader's language, with a way back.
public struct MessagePage: PageContext {
    public static let template = Template.message

    public var title: String
    public var message: String
    public var back: String?

    public init(title: String, message: String, back: String? = nil) {
        (self.title, self.message, self.back) = (title, message, back)
    }
}
