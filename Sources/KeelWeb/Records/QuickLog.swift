import KeelCore

/// The one-line "记一笔" form on Today and on record pages: an activity that happened just now, on the record when
/// there is one; its kind, next step and due time read from the note unless chosen ("明天下午3点给张总回电话").
public struct QuickLog: Sendable {
    var csrf, next: String
    var relatedTo: String?
    var types: [Option]

    public init(_ t: Strings, csrf: String, next: String, relatedTo: String? = nil) {
        let type = StandardObjects.activity.field("type")
        (self.csrf, self.next, self.relatedTo) = (csrf, next, relatedTo)
        types = [Option("", t["quick_log_auto"], selected: true)] + StandardObjects.activityTypes.map { Option($0, t.option($0, of: type), selected: false) }
    }
}
