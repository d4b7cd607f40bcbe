import KeelCore
import Testing

@Suite struct ListQueryTests {
    let lead = StandardObjects.lead

    @Test func parsesFiltersSortFieldsAndLimit() throws {
        let q = try ListQuery.parse([("filter[score][gte]", "60"), ("filter[status][in]", "new,contacted"), ("sort", "-score"),
                                     ("fields", "name,score"), ("limit", "10")], object: lead)
        #expect(q.filters.map(\.op) == [.gte, .in])
        #expect(q.filters[0].values == [.number(60)])
        #expect(q.filters[1].values == ["new", "contacted"])
        #expect(q.sort.spec == "-score")
        #expect(q.fields == ["name", "score"])
        #expect(q.limit == 10)
    }

    @Test func reportsEveryProblemAsABadRequest() {
        #expect(throws: KeelError.self) { try ListQuery.parse([("filter[status][gt]", "x")], object: StandardObjects.account) }
        do {
            _ = try ListQuery.parse([("sort", "nope"), ("limit", "9999"), ("filter[score][contains]", "1"), ("fields", "a,b")], object: lead)
            Issue.record("expected an error")
        } catch let error as KeelError {
            #expect(error.kind == .badRequest)
            #expect(error.violations.count == 4)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func inListsAreCapped() throws {
        let many = (0...ListQuery.maxInValues).map(String.init).joined(separator: ",")
        #expect(throws: KeelError.self) { try ListQuery.parse([("filter[status][in]", many)], object: lead) }
        #expect(try ListQuery.parse([("filter[score][in]", "1,2,3")], object: lead).filters[0].values == [1, 2, 3])
    }

    @Test func cursorsRoundTripAndMustMatchTheSort() throws {
        let cursor = Cursor(sort: "-score", value: .number(42), id: "01a2")
        #expect(Cursor.decode(cursor.encoded()) == cursor)
        #expect(Cursor.decode("not-a-cursor") == nil)
        #expect(throws: KeelError.self) { try ListQuery.parse([("sort", "name"), ("cursor", cursor.encoded())], object: lead) }
        #expect(try ListQuery.parse([("sort", "-score"), ("cursor", cursor.encoded())], object: lead).cursor == cursor)
    }
}
