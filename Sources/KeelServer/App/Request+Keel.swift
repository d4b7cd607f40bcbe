import Foundation
import Hummingbird
import KeelCore

extension Request {
    /// The body as a JSON object; 413 when over the limit, 400 for invalid UTF-8, malformed JSON or a non-object.
    /// Where every member is optional (`optional`), no body at all is `{}`.
    mutating func jsonObject(context: KeelRequestContext, optional: Bool = false) async throws -> [String: JSONValue] {
        let buffer = try await collectBody(upTo: context.maxUploadSize)
        if optional, buffer.readableBytes == 0 { return [:] }
        guard buffer.readableBytes > 0 else {
            throw KeelError(.badRequest, code: "empty_body", message: "The request needs a JSON object body.")
        }
        let value = try JSONValue.parse(buffer.readableBytesView)
        guard let object = value.objectValue else {
            throw KeelError(.badRequest, code: "invalid_body", message: "The request body must be a JSON object, not \(value.typeName).")
        }
        return object
    }

    /// Query parameters in order, with keys and values percent-decoded (`+` is a space).
    func queryPairs() throws(KeelError) -> [(String, String)] {
        try FormEncoding.pairs(uri.query ?? "")
    }
}

/// `application/x-www-form-urlencoded`, as query strings and form bodies use it.
enum FormEncoding {
    static func pairs(_ query: String) throws(KeelError) -> [(String, String)] {
        guard !query.isEmpty else { return [] }
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&") where !part.isEmpty {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) throws(KeelError) -> String {
                guard let d = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw KeelError(.badRequest, code: "invalid_query", message: "The query string is not validly percent-encoded.")
                }
                return d
            }
            pairs.append((try decode(kv[0]), kv.count > 1 ? try decode(kv[1]) : ""))
        }
        return pairs
    }
}

extension Request {
    /// `If-Match: 3`, `"3"` or `W/"3"` → 3; nil when absent; 400 when unreadable.
    func ifMatchVersion() throws(KeelError) -> Int? {
        guard let raw = headers[.ifMatch] else { return nil }
        // Exactly the documented form (`OpenAPIDocument.ifMatch`): anything else is a 400, not a guess.
        let grammar = /[ \t]*(?:W\/)?(?:"([1-9][0-9]{0,8})"|([1-9][0-9]{0,8}))[ \t]*/
        guard let match = raw.wholeMatch(of: grammar), let v = Int(match.1 ?? match.2 ?? "") else {
            throw KeelError(.badRequest, code: "invalid_if_match", message: "If-Match must carry the record version, e.g. If-Match: 3.")
        }
        return v
    }
}
