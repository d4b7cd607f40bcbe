import KeelCore

/// The page of a record that is missing or hidden (404 either way), with the form to ask a named approver for access.
public struct AccessRequestFormPage: PageContext {
    public static let template = Template.accessRequestForm

    var csrf, object, record, reason: String
    var errors: [String]
    var hasErrors: Bool
    var approvers: [Option]

    public init(object: String, record: String, approvers: [User], _ t: Strings, csrf: String, violations: [Violation], input: [String: String]) {
        (self.csrf, self.object, self.record, self.reason) = (csrf, object, record, input["reason"] ?? "")
        errors = violations.map { t.violation($0) }
        hasErrors = !violations.isEmpty
        self.approvers = approvers.map { Option($0.id, "\($0.name) <\($0.email)>", selected: $0.id == input["approver"]) }
    }
}
