import Foundation
import KeelMatching

/// Whether a write creates a record (defaults apply, required fields must be present) or changes one.
public enum WriteMode: Sendable { case create, update }

/// Normalises and validates the values a caller sends for one object. Returns ALL violations at once.
/// Checks that need the database (do references exist?) are the record service's.
public enum RecordValidator {
    public struct Result: Sendable {
        /// Normalised values keyed by field name; `.null` clears a field.
        public var values: [String: JSONValue]
        public var violations: [Violation]
    }

    public static func validate(_ input: [String: JSONValue], object: ObjectDefinition, mode: WriteMode) -> Result {
        var values: [String: JSONValue] = [:]
        var violations: [Violation] = []
        for key in input.keys.sorted() {
            let raw = input[key]!
            if ObjectDefinition.reservedFieldNames.contains(key) {
                violations.append(Violation(field: key, code: "read_only", message: "\(key) is managed by Keel and cannot be written."))
                continue
            }
            guard let field = object.field(key) else {
                violations.append(Violation(field: key, code: "unknown_field", message: "\(object.name) has no field named \(key)."))
                continue
            }
            if field.formula != nil {
                violations.append(Violation(field: key, code: "read_only", message: "\(field.labels.en) is a formula field: Keel computes it."))
                continue
            }
            switch normalize(raw, for: field) {
            case .success(let value): values[key] = value
            case .failure(let violation): violations.append(violation)
            }
        }
        for field in object.fields {
            if mode == .create, values[field.name] == nil, input[field.name] == nil, let d = field.defaultValue {
                values[field.name] = d
            }
            guard field.required, !violations.contains(where: { $0.field == field.name }) else { continue }
            let missing = mode == .create ? (values[field.name] ?? .null).isNull : values[field.name]?.isNull == true
            if missing {
                violations.append(Violation(field: field.name, code: "required", message: "\(field.labels.en) is required."))
            }
        }
        return Result(values: values, violations: violations)
    }

    /// Normalises one value for one field, or explains why it is not acceptable.
    public static func normalize(_ raw: JSONValue, for field: FieldDefinition) -> Swift.Result<JSONValue, Violation> {
        func fail(_ code: String, _ message: String) -> Swift.Result<JSONValue, Violation> {
            .failure(Violation(field: field.name, code: code, message: message))
        }
        if raw.isNull { return .success(.null) }
        switch field.type.storage {
        case .number:
            // Money and rates are exact decimals: a JSON number or a decimal string (`"33.33"`).
            if field.isExactDecimal, raw.stringValue != nil {
                guard let d = Decimal(exactly: raw) else {
                    return fail("invalid_type", "\(field.labels.en) must be a number or a decimal such as \"12.50\".")
                }
                return normalize(d.json, for: field)
            }
            guard let n = raw.numberValue, !n.isNaN else {
                return fail("invalid_type", "\(field.labels.en) must be a number, not \(raw.typeName).")
            }
            // Money stays below 10¹³ (¥10 trillion) and is kept to the fen, exactly (NUMERIC, or whole fen in SQLite).
            guard abs(n) < (field.type == .money ? 10_000_000_000_000 : 1_000_000_000_000_000) else { return fail("out_of_range", "\(field.labels.en) is too large.") }
            if field.type == .money, n.scale > 2 {
                return fail("invalid_format", "\(field.labels.en) may have at most two decimal places.")
            }
            // Any other number is kept in a double column: exactly, up to 15 significant digits.
            if field.type != .money, !n.fitsDouble {
                return fail("invalid_format", "\(field.labels.en) has more significant digits than a number field keeps (15).")
            }
            if let maximum = field.maximum, n.double > maximum {
                return fail("out_of_range", "\(field.labels.en) is at most \(Int(maximum)).")
            }
            if field.validator == .taxRate, Decimal(exactly: raw).flatMap(TaxRate.allowedRate) == nil {
                return fail("invalid_option", "\(field.labels.en) must be one of China's VAT rates: \(TaxRate.allowed.map { "\($0)" }.joined(separator: ", ")).")
            }
            if field.validator == .fraction, !(0...1).contains(n) || n.scale > 4 {
                return fail("out_of_range", "\(field.labels.en) is a share from 0 to 1 with at most four decimals (0.1 for 10 %).")
            }
            return .success(.number(n))
        case .boolean:
            guard let b = raw.boolValue else {
                return fail("invalid_type", "\(field.labels.en) must be true or false, not \(raw.typeName).")
            }
            return .success(.bool(b))
        case .list:
            guard let items = raw.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                return fail("invalid_type", "\(field.labels.en) must be an array of strings.")
            }
            var seen: [String] = []
            for item in items.compactMap(\.stringValue) where !seen.contains(item) {
                guard field.options?.contains(item) ?? false else {
                    return fail("invalid_option", "\(item) is not an option of \(field.labels.en).")
                }
                seen.append(item)
            }
            return .success(seen.isEmpty ? .null : .array(seen.map(JSONValue.string)))
        case .text:
            guard let s = raw.stringValue else {
                return fail("invalid_type", "\(field.labels.en) must be a string, not \(raw.typeName).")
            }
            // Long text keeps its lines (a browser sends CR LF); anything else is one line.
            let text = field.type == .longText ? s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                : s.trimmed
            // An empty reference is no record id (null clears it; a web form's empty field arrives as null).
            if text.isEmpty, field.type == .reference { return fail("invalid_reference", "An empty text is not a record id; send null to clear \(field.labels.en).") }
            if text.isEmpty { return .success(.null) }
            // Text is text: a NUL or another control character would hide what is stored from what is shown.
            if let bad = ValueFormats.controlCharacter(in: text, lines: field.type == .longText) {
                return fail("control_character", "\(field.labels.en) contains the control character U+\(String(format: "%04X", bad.value)); only printable text is kept"
                            + (field.type == .longText ? " (tabs and line breaks are)." : "."))
            }
            // Counted in Unicode scalars, as JSON Schema's maxLength counts (a character with a combining mark is two).
            if let max = field.maxLength, text.unicodeScalars.count > max {
                return fail("too_long", "\(field.labels.en) may have at most \(max) characters (has \(text.unicodeScalars.count)).")
            }
            return normalizeText(text, for: field, fail: fail)
        }
    }

    private static func normalizeText(
        _ text: String, for field: FieldDefinition,
        fail: (String, String) -> Swift.Result<JSONValue, Violation>
    ) -> Swift.Result<JSONValue, Violation> {
        if field.validator == .creditCode {
            let code = CreditCode.normalize(text)
            guard code.count == 18 else { return fail("invalid_format", "A unified social credit code has 18 characters.") }
            guard CreditCode.isValid(code) else {
                return fail("invalid_check_digit", "\(code) is not a valid unified social credit code (check character mismatch).")
            }
            return .success(.string(code))
        }
        if field.validator == .emailList || field.validator == .phoneList {
            var lines: [String] = []
            for line in text.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.isEmpty {
                let value = field.validator == .emailList ? line.lowercased() : line
                if field.validator == .phoneList, let problem = PhoneNumber(value).problem { return .failure(phoneViolation(field, value, problem)) }
                guard field.validator == .phoneList || ValueFormats.isEmail(value) else {
                    return fail("invalid_format", "\(line) in \(field.labels.en) is not a valid e-mail address (one a line).")
                }
                if !lines.contains(value) { lines.append(value) }
            }
            return .success(lines.isEmpty ? .null : .string(lines.joined(separator: "\n")))
        }
        switch field.type {
        case .picklist:
            guard field.options?.contains(text) ?? false else {
                return fail("invalid_option", "\(text) is not an option of \(field.labels.en). Options: \((field.options ?? []).joined(separator: ", ")).")
            }
        case .date:
            guard ValueFormats.isDate(text) else {
                return .failure(Violation(field: field.name, code: "invalid_format", message: "\(field.labels.en) must be a date written YYYY-MM-DD.", args: ["date"]))
            }
        case .datetime:
            guard let d = ValueFormats.parseDateTime(text) else {
                return .failure(Violation(field: field.name, code: "invalid_format",
                                          message: "\(field.labels.en) must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:30:00+08:00.",
                                          args: ["datetime"]))
            }
            return .success(.string(ValueFormats.formatDateTime(d)))
        case .email:
            let lowered = text.lowercased()
            guard ValueFormats.isEmail(lowered) else { return fail("invalid_format", "\(text) is not a valid email address.") }
            return .success(.string(lowered))
        case .url:
            guard let url = ValueFormats.normalizeURL(text) else { return fail("invalid_format", "\(text) is not a valid web address.") }
            return .success(.string(url))
        case .phone:
            if let problem = PhoneNumber(text).problem { return .failure(phoneViolation(field, text, problem)) }
        case .reference:
            guard RecordID.isWellFormed(text) else { return fail("invalid_reference", "\(text) is not a record id.") }
            return .success(.string(text.lowercased()))
        default:
            break
        }
        return .success(.string(text))
    }

    /// A phone the numbering plan rules out: `invalid_phone`, the reason in words, and its key and values for a page in
    /// the reader's language (`手机号应为 11 位`, `区号 0755 后应为 8 位号码`).
    static func phoneViolation(_ field: FieldDefinition, _ text: String, _ problem: PhoneNumber.Problem) -> Violation {
        let args: [String] = switch problem {
        case .masked: ["masked"]
        case .notANumber: ["not_a_number"]
        case .notInternational: ["not_international"]
        case .mobileLength(let n): ["mobile_length", "\(n)"]
        case .mobileSegment(let s): ["mobile_segment", s]
        case .unknownArea(let a): ["unknown_area", a]
        case .localLength(let a, let e, let n): ["local_length", a, e.lowerBound == e.upperBound ? "\(e.lowerBound)" : "\(e.lowerBound)–\(e.upperBound)", "\(n)"]
        case .tooShort(let n): ["too_short", "\(n)"]
        case .notInPlan: ["not_in_plan"]
        }
        return Violation(field: field.name, code: "invalid_phone", message: "\(text) is not a phone number in \(field.labels.en): \(problem).", args: args)
    }
}
