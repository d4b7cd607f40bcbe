import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// Reference fields are typed as names: the form's picker asks `/pick/{target}?q=` for records (or users) matching
/// what was typed — a name, a phone, a credit code, an e-mail — and on saving, what was typed is resolved to the one
/// record it names. Without JavaScript the same resolution runs on the server; when several records match, the form
/// comes back asking which one.
extension WebRoutes {
    /// At most this many records a picker offers.
    static let pickLimit = 10

    /// `GET /pick/{target}?q=…` → `{"data": [{"id", "name", "detail"}]}`: what the reader may read, best first.
    func pick(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        let q = try request.queryPairs().last { $0.0 == "q" }?.1 ?? ""
        let t = Strings(web.language(request, session))
        let target = try context.parameters.require("target")
        let found = try await candidates(target: target == "any" ? StandardObjects.anyObject : target, query: q, as: session.principal, t)
        return APIResponse.json(["data": .array(found.map { ["id": .string($0.id), "name": .string($0.name), "detail": .string($0.detail)] })])
    }

    /// Records of `target` (`users`, an object, or `*` for any object) that `query` names, exact names first.
    func candidates(target: String, query: String, as principal: Principal, _ t: Strings) async throws -> [FormPage.Candidate] {
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !q.isEmpty else { return [] }
        var found: [FormPage.Candidate]
        if target == "users" {
            let folded = q.lowercased()
            found = try await keel.auth.users(by: principal).filter { $0.status == .active && ($0.name.contains(q) || $0.email.contains(folded)) }
                .map { FormPage.Candidate(id: $0.id, name: $0.name, detail: $0.email) }
        } else {
            let groups = try await keel.records.search(q, perObject: Self.pickLimit, as: principal)
                .filter { target == StandardObjects.anyObject || $0.object.name == target }
            found = groups.flatMap { group in
                group.records.map { r in
                    let detail = ["city", "company", "title", "mobile", "phone", "email"].lazy.compactMap { r.value($0).stringValue }.first ?? ""
                    let object = target == StandardObjects.anyObject ? t.language.label(group.object.labels) : nil
                    return FormPage.Candidate(id: r.id, name: RecordPage.title(of: r), detail: [object, detail].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · "))
                }
            }
        }
        return Array((found.filter { $0.name == q } + found.filter { $0.name != q }).prefix(Self.pickLimit))
    }

    /// The form's reference fields resolved: each `<field>__q` (what was typed) becomes the id of the one record it
    /// names — the one chosen (`<field>__pick`), the one already there when the name is unchanged, or the only match.
    /// Returns the pairs with ids in place, a violation per field that names none or several, and the candidates to
    /// choose from.
    func resolveReferences(_ pairs: [(String, String)], object: ObjectDefinition, as principal: Principal, _ t: Strings) async throws
        -> (pairs: [(String, String)], violations: [Violation], typed: [String: String], choices: [String: [FormPage.Candidate]]) {
        var out = pairs.filter { !$0.0.hasSuffix("__q") && !$0.0.hasSuffix("__pick") }
        var violations: [Violation] = [], typed: [String: String] = [:], choices: [String: [FormPage.Candidate]] = [:]
        for field in object.fields where field.type == .reference {
            guard let q = pairs.last(where: { $0.0 == field.name + "__q" })?.1.trimmingCharacters(in: .whitespacesAndNewlines) else { continue }
            let current = pairs.last { $0.0 == field.name }?.1 ?? ""
            var id = ""
            if let chosen = pairs.last(where: { $0.0 == field.name + "__pick" })?.1, !chosen.isEmpty {
                id = chosen
            } else if !q.isEmpty {
                let names = current.isEmpty ? ReferenceNames() : try await referenceNames([(field.target ?? "", current)], as: principal)
                // Unchanged, or chosen in the picker among namesakes ("王伟 · 138 1234 5678").
                let name = names.text(.string(current), t)
                if !current.isEmpty, q == name || q.hasPrefix(name + " · ") {
                    id = current
                } else {
                    let found = try await candidates(target: field.target ?? "", query: q, as: principal, t)
                    let exact = found.filter { $0.name == q }
                    if let only = exact.count == 1 ? exact.first : found.count == 1 ? found.first : nil {
                        id = only.id
                    } else {
                        typed[field.name] = q
                        choices[field.name] = found
                        violations.append(Violation(field: field.name, code: found.isEmpty ? "reference_not_found" : "ambiguous_reference",
                                                    message: found.isEmpty ? "Nothing is named \(q)." : "\(found.count) records match \(q).",
                                                    args: [found.isEmpty ? "typed" : "several", q]))
                    }
                }
            }
            out.removeAll { $0.0 == field.name }
            out.append((field.name, id))
        }
        return (out, violations, typed, choices)
    }
}
