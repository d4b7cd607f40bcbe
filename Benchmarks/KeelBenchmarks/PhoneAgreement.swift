import CSV
import Foundation
import KeelMatching

/// How often Keel's reading of a phone number agrees with libphonenumber's (from `Benchmarks/phones/generate.py`):
/// same verdict (valid or not) and, for numbers both read, the same E.164 form and extension. Disagreements are
/// counted by kind, with examples.
struct PhoneAgreement {
    let file: String

    func run() throws {
        guard let stream = InputStream(fileAtPath: file) else { throw CocoaError(.fileNoSuchFile) }
        let reader = try CSVReader(stream: stream, hasHeaderRow: true)
        var total = 0, agree = 0
        var kinds: [String: (count: Int, examples: [String])] = [:]
        while let row = reader.next() {
            guard row.count == 4 else { continue }
            total += 1
            let phone = PhoneNumber(row[0])
            let expectedValid = row[1] == "1"
            var kind: String?
            if phone.isValid != expectedValid {
                kind = expectedValid ? "libphonenumber valid, Keel not" : "Keel valid, libphonenumber not"
            } else if expectedValid, phone.e164 != row[2] || (phone.ext ?? "") != row[3] {
                kind = "different E.164 or extension"
            }
            guard let kind else { agree += 1; continue }
            var entry = kinds[kind] ?? (0, [])
            entry.count += 1
            if entry.examples.count < 8 { entry.examples.append("\(row[0]) → Keel \(phone.e164 ?? phone.problem ?? "")\(phone.ext.map { " ext " + $0 } ?? ""), libphonenumber \(row[2]) \(row[3])") }
            kinds[kind] = entry
        }
        print(String(format: "phones: %d numbers, agreement %.2f%% (%d disagree)", total, 100 * Double(agree) / Double(max(total, 1)), total - agree))
        for (kind, entry) in kinds.sorted(by: { $0.value.count > $1.value.count }) {
            print("  \(entry.count) × \(kind)")
            for e in entry.examples { print("      \(e)") }
        }
    }
}
