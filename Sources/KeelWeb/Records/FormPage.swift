import KeelCore

/// A create or edit form driven by metadata: every field, every violation next to its field, the typed values kept.
public struct FormPage {
    public var object: ObjectDefinition
    /// What the form shows: the stored values, or what the user typed when saving failed.
    public var values: [String: JSONValue]
    public var violations: [Violation]
    public var formError: String?
    public var action: String
    public var cancelHref: String
    public var version: Int?
    public var title: String
    /// Fields the user may not see: left off the form, so they are neither shown nor sent.
    public var hidden: Set<String>
    /// Existing records this one would duplicate (why saving was refused), best first.
    public var duplicates: [Duplicate] = []
    /// The record being edited (nil for a new one).
    public var editing: String?
    /// What the references on the form stand for, what was typed into a reference that named no single record, and
    /// the records it might mean.
    public var names = ReferenceNames()
    public var typed: [String: String] = [:]
    public var choices: [String: [Candidate]] = [:]

    /// A record (or user) a reference picker offers.
    public struct Candidate: Sendable {
        public var id, name, detail: String

        public init(id: String, name: String, detail: String) { (self.id, self.name, self.detail) = (id, name, detail) }
    }

    public struct Duplicate {
        public var id: String?
        /// Nil when the user may not read the existing record: it is named as "a record you cannot see", without a score,
        /// and its link leads to the page that asks for access.
        public var name: String?
        public var score: Double?

        public init(id: String?, name: String?, score: Double?) { (self.id, self.name, self.score) = (id, name, score) }

        /// From a candidate as the API gives it (`{"id", "name", "score"}`, or `{"id", "hidden": true}`).
        public init(_ candidate: JSONValue) {
            self.init(id: candidate["id"]?.stringValue, name: candidate["name"]?.stringValue, score: candidate["score"]?.doubleValue)
        }
    }

    public init(object: ObjectDefinition, values: [String: JSONValue], violations: [Violation], formError: String? = nil,
                action: String, cancelHref: String, version: Int?, title: String, hidden: Set<String> = []) {
        self.hidden = hidden
        self.object = object
        self.values = values
        self.violations = violations
        self.formError = formError
        self.action = action
        self.cancelHref = cancelHref
        self.version = version
        self.title = title
    }

    /// One field on the form (`field_row`): exactly one of the input kinds is set.
    struct Field {
        var name, label: String
        var required: Bool
        /// Why the typed value was refused.
        var error: String?
        var value: String?
        var isTextarea = false, isSelect = false, isChecks = false, isInput = false, isReference = false
        var options: [Option] = []
        var inputType, step, placeholder: String?
        /// A reference: the name shown (or typed), where the picker asks, and the records to choose from.
        var display, pickHref: String?
        var choices: [Option] = []
        var hasChoices = false
    }

    struct DuplicateNotice {
        /// "疑似已有客户: 深圳市腾讯科技有限公司 (匹配度 91%)"
        var text: String
        var href, accessHref, mergeHref, absorbAction: String?
    }

    public struct Context: PageContext {
        public static let template = Template.form

        var title, action, cancelHref, csrf: String
        var fields: [Field]
        var hasErrors: Bool
        var version: Int?
        var formError: String?
        var duplicates: [DuplicateNotice]
    }

    func field(_ f: FieldDefinition, _ t: Strings) -> Field {
        let value = values[f.name] ?? .null
        var item = Field(name: f.name, label: t.language.label(f.labels), required: f.required,
                         error: violations.first { $0.field == f.name }.map(t.violation))
        switch f.type {
        case .longText:
            item.isTextarea = true
            item.value = ValueDisplay.formValue(value)
        case .picklist, .boolean:
            item.isSelect = true
            let chosen = ValueDisplay.formValue(value)
            let options: [(String, String)] = f.type == .boolean ? [("true", t["yes"]), ("false", t["no"])] : (f.options ?? []).map { ($0, t.option($0, of: f)) }
            item.options = options.map { Option($0.0, $0.1, selected: $0.0 == chosen) }
        case .reference:
            item.isReference = true
            item.value = ValueDisplay.formValue(value)
            item.display = typed[f.name] ?? (value.isNull ? "" : names.text(value, t))
            item.pickHref = "/pick/" + (f.target == StandardObjects.anyObject ? "any" : f.target ?? "")
            item.placeholder = t["pick_placeholder"]
            item.choices = (choices[f.name] ?? []).map { Option($0.id, $0.detail.isEmpty ? $0.name : "\($0.name) · \($0.detail)", selected: false) }
            item.hasChoices = !item.choices.isEmpty
        case .multiPicklist:
            item.isChecks = true
            let chosen = Set((value.arrayValue ?? []).compactMap(\.stringValue))
            item.options = (f.options ?? []).map { Option($0, t.option($0, of: f), selected: chosen.contains($0)) }
        default:
            item.isInput = true
            // A date-time as people write it, in the organisation's zone; what was typed and refused as it was.
            let instant = f.type == .datetime ? value.stringValue.flatMap(ValueFormats.parseDateTime) : nil
            item.value = instant.map { ValueFormats.formatLocal($0, in: t.timeZone) } ?? ValueDisplay.formValue(value)
            switch f.type {
            case .number, .money, .percent: (item.inputType, item.step) = ("number", "any")
            case .date: item.inputType = "date"
            case .email: item.inputType = "email"
            case .phone: item.inputType = "tel"
            case .datetime: (item.inputType, item.placeholder) = ("text", t["datetime_placeholder"])
            default: item.inputType = "text"
            }
        }
        return item
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let lang = t.language
        let unplaced = violations.filter { v in !object.fields.contains { $0.name == v.field } }.map { t.violation($0) }
        let formErrors = ([formError].compactMap { $0 } + unplaced).joined(separator: " ")
        return Context(
            title: title, action: action, cancelHref: cancelHref, csrf: csrf,
            // Formula fields, those Keel keeps or prices are computed, and hidden ones not the user's to see: none is on the form.
            fields: object.fields.filter { f in
                !hidden.contains(f.name) && f.formula == nil && !(StandardObjects.keptByKeel[object.name]?.contains(f.name) ?? false)
                    && !StandardObjects.kept(object.name).contains(f.name)
            }
                .map { field($0, t) },
            hasErrors: !violations.isEmpty || formError != nil, version: version, formError: formErrors.isEmpty ? nil : formErrors,
            duplicates: duplicates.map { d in
                let score = d.score.map { " (\(t["match_score"]) \(Int(($0 * 100).rounded(.down)))%)" } ?? ""
                var item = DuplicateNotice(text: "\(t["possible_duplicate"])\(lang.label(object.labels)): \(d.name ?? t["hidden_record"])\(score)")
                // A record the user may not see is not linked as such: the link asks its owner's side for access.
                if d.name == nil { item.accessHref = d.id.map { "/o/\(object.name)/\($0)" } }
                if let id = d.id, d.name != nil {
                    item.href = "/o/\(object.name)/\(id)"
                    // A new record's typed values can be folded into the existing one; an edited record merged with it.
                    if let editing { item.mergeHref = "/o/\(object.name)/\(id)/merge?with=\(editing)" } else { item.absorbAction = "/o/\(object.name)/\(id)/absorb" }
                }
                return item
            })
    }
}
