/// Asks for the password again before a sensitive action (an export), then goes on to `next`.
public struct StepUpPage: PageContext {
    public static let template = Template.stepUp

    public var csrf: String
    public var next: String
    public var error: String?

    public init(csrf: String, next: String, error: String?) {
        (self.csrf, self.next, self.error) = (csrf, next, error)
    }
}
