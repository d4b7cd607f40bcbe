import KeelCore

/// 匹配列: each column of the uploaded file with a few of its cells and the field it fills (suggested by its header or
/// content, changeable), what a duplicate does, and a dry run or the import itself.
public struct ImportMappingPage: PageContext {
    public static let template = Template.importMapping

    struct Column {
        var index: Int
        /// The header as the file has it (sent back with the form), and as shown.
        var name: String
        var header: String
        var samples: String
        var fields: [Option]
    }

    /// A picklist column's cells that are no option (or that the plan maps), each with the option it becomes.
    struct ValueMap {
        struct Entry {
            var key, text: String
            var options: [Option]
        }

        var header, field: String
        var entries: [Entry]
    }

    var upload, object, objectLabel, filename, encoding, summary, preset, saveAs: String
    var valueMaps: [ValueMap]
    /// A workbook's sheets, the one read selected (offered when there are several).
    var sheets: [Option]
    var hasSheets: Bool
    var hasValueMaps: Bool
    var csrf: String
    var error: String?
    var workbook: Bool
    var columns: [Column]
    var policies: [Option]
    var modes: [Option]
    var encodings: [Option]

    /// `fields`: per column, the field it fills now (nil: left out).
    /// `distinct`: per column, its first distinct cells.
    public init(upload: String, object: ObjectDefinition, filename: String, format: ImportFile.Format, encoding: TextEncoding, headers: [String], fields: [String?],
                samples: [[String]], distinct: [[String]], sheets: [String], sheet: String?, rows: Int, plan: ImportPlan, saveAs: String = "", error: String?, csrf: String, _ t: Strings) {
        self.saveAs = saveAs
        self.csrf = csrf
        self.error = error
        preset = plan.preset?.rawValue ?? ""
        (self.upload, self.object, self.filename, self.encoding) = (upload, object.name, filename, encoding.rawValue)
        objectLabel = t.language.label(object.labels)
        workbook = format == .xlsx
        summary = t[workbook ? "import_workbook_summary" : "import_file_summary"].replacingOccurrences(of: "{1}", with: String(rows))
            .replacingOccurrences(of: "{2}", with: workbook ? sheet ?? "" : encoding.label)
        let writable = object.fields.filter { $0.formula == nil && $0.disabledReason == nil }
        columns = headers.enumerated().map { i, header in
            let cells = samples.prefix(3).compactMap { i < $0.count ? $0[i].trimmingCharacters(in: .whitespaces) : nil }.filter { !$0.isEmpty }
            return Column(index: i, name: header, header: header.isEmpty ? "—" : header, samples: cells.isEmpty ? "—" : cells.joined(separator: " / "),
                          fields: [Option("", t["import_skip_column"], selected: fields[i] == nil)]
                            + writable.map { Option($0.name, t.language.label($0.labels), selected: $0.name == fields[i]) })
        }
        valueMaps = headers.indices.compactMap { i -> ValueMap? in
            guard let name = fields[i], let field = object.field(name), let options = field.options, [.picklist, .multiPicklist].contains(field.type) else { return nil }
            let mapped = plan.values[name] ?? [:]
            let cells = i < distinct.count ? distinct[i] : []
            var seen = Set<String>()
            let texts = field.type == .multiPicklist ? cells.flatMap(ImportValue.items).filter { seen.insert($0).inserted } : cells
            let unknown = texts.filter { mapped[$0] != nil || ImportValue.option($0, of: field) == nil }
            guard !unknown.isEmpty else { return nil }
            return ValueMap(header: headers[i], field: t.language.label(field.labels), entries: unknown.enumerated().map { k, text in
                .init(key: "\(i).\(k)", text: text, options: [Option("", t["import_value_as_is"], selected: mapped[text] == nil)]
                        + options.map { Option($0, t.option($0, of: field), selected: mapped[text] == $0) })
            })
        }
        hasValueMaps = !valueMaps.isEmpty
        self.sheets = sheets.map { Option($0, $0, selected: $0 == sheet) }
        hasSheets = sheets.count > 1
        policies = DuplicatePolicy.allCases.map { Option($0.rawValue, t["import_on_duplicate_" + $0.rawValue], selected: $0 == plan.onDuplicate) }
        modes = UpdateMode.allCases.map { Option($0.rawValue, t["import_update_" + $0.rawValue], selected: $0 == plan.update) }
        encodings = TextEncoding.allCases.map { Option($0.rawValue, $0.label, selected: $0 == encoding) }
    }
}
