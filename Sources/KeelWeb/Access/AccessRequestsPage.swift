import KeelCore

/// Requests for access to secret records: the ones I made and the ones I must decide.
public struct AccessRequestsPage: PageContext {
    public static let template = Template.accessRequests

    public struct Row {
        var id, record, object, reason, requester, approver, status, at: String
        var expires: String?
        /// Whether the reader decides it now.
        var decide: Bool
    }

    var csrf: String
    var requests: [Row]
    var hasRequests: Bool
    /// How long a grant lasts, in hours.
    var hours = [1, 4, 8, 24, 72, 168].map { Option(String($0), "\($0) h", selected: $0 == 24) }

    public init(_ requests: [AccessRequest], me: String, userNames: [String: String], _ t: Strings, csrf: String) {
        self.csrf = csrf
        self.hasRequests = !requests.isEmpty
        self.requests = requests.map { r in
            Row(id: r.id, record: "/o/\(r.object)/\(r.recordID)", object: r.object, reason: r.reason,
                requester: userNames[r.requester] ?? r.requester, approver: userNames[r.approver] ?? r.approver,
                status: t["request_" + r.status.rawValue], at: r.createdAt, expires: r.expiresAt,
                decide: r.status == .pending && r.approver == me)
        }
    }
}
