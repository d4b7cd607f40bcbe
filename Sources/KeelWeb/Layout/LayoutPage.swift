/// The frame around every page: the menu, the quick search, the language switch, a notice, and the watermark on
/// pages with sensitive data. `user` is nil before signing in (no menu).
public struct LayoutPage: PageContext {
    public static let template = Template.layout

    public var lang: String
    public var title: String
    public var notice: String?
    public var user: String?
    public var csrf = ""
    public var otherLocale = ""
    /// Where the language switch comes back to.
    public var path = ""
    /// The pages of every day in the bar; the others under "more", marked when the reader is on one of them.
    public var menu: [Link] = []
    public var more: [Link] = []
    public var moreCurrent = false
    /// Who is looking and when, repeated across the page (`marks`) on pages with L3+ data.
    public var watermark: String?
    public var marks: [Bool] = []
    /// The page's own HTML, rendered from its template.
    var content = ""

    public init(lang: String, title: String, notice: String?) {
        (self.lang, self.title, self.notice) = (lang, title, notice)
    }
}
