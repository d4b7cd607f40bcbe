/// The sign-in form; after a refused sign-in, why, with the e-mail kept.
public struct LoginPage: PageContext {
    public static let template = Template.login

    public var csrf: String
    /// Where to go after signing in (a local path).
    public var next: String
    public var email: String
    public var error: String?

    public init(csrf: String, next: String, email: String, error: String?) {
        (self.csrf, self.next, self.email, self.error) = (csrf, next, email, error)
    }
}
