import SQLKit

extension SQLQueryString {
    /// A table, column or alias name, quoted. Keel's names are plain (letters, digits, underscores) and are written
    /// out as they are; any other name is escaped by SQLKit. Record writes name every column of an object, and
    /// SQLKit's escaping of each was a sixth of the writer's time.
    mutating func appendInterpolation(name: String) {
        appendInterpolation(QuotedName(name))
    }

    /// Names separated by `separator`, each quoted as `appendInterpolation(name:)` does.
    mutating func appendInterpolation(names: [String], joinedBy separator: String = ", ") {
        appendInterpolation(SQLList(names.map(QuotedName.init), separator: SQLRaw(separator)))
    }
}

struct QuotedName: SQLExpression {
    let name: String

    init(_ name: String) { self.name = name }

    func serialize(to serializer: inout SQLSerializer) {
        let plain = name.utf8.allSatisfy { c in
            c == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c | 0x20)
        }
        if plain, let quote = (serializer.dialect.identifierQuote as? SQLRaw)?.sql {
            serializer.write(quote + name + quote)
        } else {
            SQLIdentifier(name).serialize(to: &serializer)
        }
    }
}
