import KeelCore

/// The one-line "记一次电话" form on Today and on record pages: an activity that happened just now, on the record
/// when there is one.
public struct QuickLog: Sendable {
    var csrf, next: String
    var relatedTo: String?
    var types: [Option]

    public init(_ t: Strings, csrf: String, next: String, relatedTo: String? = nil) {
        let type = StandardObjects.activity.field("type")
        (self.csrf, self.next, self.relatedTo) = (csrf, next, relatedTo)
        types = StandardObjects.activityTypes.map { Option($0, t.option($0, of: type), selected: $0 == "call") }
    }
}
