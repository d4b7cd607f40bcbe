/// What one subject may do with the records of one object: which records (a condition on record attributes, for the
/// database to apply) and, of those, which fields.
public struct AccessPlan: Hashable, Sendable {
    /// The records the operation may touch.
    public var rows: Condition
    /// Fields visible only where their condition holds; fields not named are visible wherever `rows` holds.
    public var fields: [String: Condition]

    public init(rows: Condition, fields: [String: Condition] = [:]) {
        self.rows = rows
        self.fields = fields
    }

    public var deniesAll: Bool { rows == .never }

    /// Every record and every field, whatever they hold: a record written under this plan need not be read back to
    /// see what it lets through.
    public var isUnconditional: Bool { rows == .always && fields.isEmpty }

    /// Fields hidden on every record.
    public var hiddenFields: Set<String> { Set(fields.filter { $0.value == .never }.keys) }

    /// Fields whose visibility depends on the record (the database computes it per row).
    public var conditionalFields: [String: Condition] { fields.filter { $0.value != .never } }

    /// Both plans at once: records both allow, fields both show.
    public func intersecting(_ other: AccessPlan) -> AccessPlan {
        var merged = fields
        for (name, c) in other.fields { merged[name] = .and([merged[name] ?? .always, c]) }
        return AccessPlan(rows: .and([rows, other.rows]), fields: merged)
    }
}

extension PolicySet {
    /// The plan for `subject` doing `operation` on `object`: Cedar semantics, evaluated as far as the subject and
    /// context allow, the rest left as conditions on the record. A formula field follows the fields it reads.
    public func plan(_ subject: Subject, _ operation: Action, object: ObjectDefinition) -> AccessPlan {
        derived(fieldPlan(subject, operation, object: object), subject, operation, object: object)
    }

    func fieldPlan(_ subject: Subject, _ operation: Action, object: ObjectDefinition) -> AccessPlan {
        guard subject.principal.status == .active else { return AccessPlan(rows: .never) }
        let applicable = policies.filter { $0.covers(operation, object: object.name) }
        let recordPermits = applicable.filter { $0.effect == .permit && !$0.isFieldPolicy }
        let fieldPermits = applicable.filter { $0.effect == .permit && $0.isFieldPolicy }
        let recordForbids = applicable.filter { $0.effect == .forbid && !$0.isFieldPolicy }
        // A field one may not change, one may not set when creating a record either.
        let fieldForbids = policies.filter {
            $0.effect == .forbid && $0.isFieldPolicy && ($0.covers(operation, object: object.name) || operation == .create && $0.covers(.update, object: object.name))
        }

        let wholePermit = Condition.or(recordPermits.map { $0.when.residual(subject, object: object, field: nil) })
        let forbidden = Condition.or(recordForbids.map { $0.when.residual(subject, object: object, field: nil) })
        // Field policies reduced as far as the subject allows, once; what is left reads field (and record) attributes.
        let permitsLeft = fieldPermits.map { $0.when.residual(subject, object: object, field: nil) }.filter { $0 != .never }
        let forbidsLeft = fieldForbids.map { $0.when.residual(subject, object: object, field: nil) }.filter { $0 != .never }
        // Without field policies every field follows the record: the common case, decided without looking at fields.
        if permitsLeft.isEmpty && forbidsLeft.isEmpty { return AccessPlan(rows: .and([wholePermit, .negate(forbidden)])) }
        var perField: [(String, permit: Condition, forbid: Condition)] = []
        for field in object.fields {
            let permit = permitsLeft.isEmpty ? wholePermit : .or([wholePermit] + permitsLeft.map { $0.residual(subject, object: object, field: field) })
            let forbid = Condition.or(forbidsLeft.map { $0.residual(subject, object: object, field: field) })
            perField.append((field.name, permit, forbid))
        }
        let anyPermit = permitsLeft.isEmpty ? wholePermit : Condition.or([wholePermit] + perField.map(\.permit))
        let rows = Condition.and([anyPermit, .negate(forbidden)])
        var fields: [String: Condition] = [:]
        for (name, permit, forbid) in perField where !(forbid == .never && (permitsLeft.isEmpty || permit == anyPermit)) {
            fields[name] = rows == .never ? .never : .and([permit, .negate(forbid)])
        }
        return AccessPlan(rows: rows, fields: fields)
    }

    /// The plan with each formula field shown no more than the fields it reads: where every one it reads on the same
    /// record is visible, and nowhere when a field policy could hide one it reads on another record (that record's
    /// attributes are not at hand here, so "could" counts as "does").
    func derived(_ plan: AccessPlan, _ subject: Subject, _ operation: Action, object: ObjectDefinition) -> AccessPlan {
        guard plan.rows != .never else { return plan }
        var out = plan
        for field in object.fields where !field.sources.isEmpty {
            var parts = [plan.fields[field.name]].compactMap { $0 }
            for source in field.sources {
                if source.sameRecord {
                    if let c = plan.fields[source.field.name] { parts.append(c) }
                } else if policies.contains(where: {
                    $0.effect == .forbid && $0.isFieldPolicy && $0.covers(operation, object: source.object)
                        && $0.when.residual(subject, object: nil, field: source.field) != .never
                }) {
                    parts = [.never]
                    break
                }
            }
            if case let c = Condition.and(parts), c != .always { out.fields[field.name] = c }
        }
        return out
    }

    /// Whether `subject` may do an installation-wide operation (manage users, policies, metadata; read the audit log).
    public func allows(_ subject: Subject, _ operation: Action) -> Bool {
        guard subject.principal.status == .active else { return false }
        let applicable = policies.filter { $0.operations?.contains(operation) ?? true }
        func holds(_ p: Policy) -> Bool { p.when.residual(subject, object: nil, field: nil) == .always }
        return applicable.contains { $0.effect == .permit && holds($0) } && !applicable.contains { $0.effect == .forbid && holds($0) }
    }
}

extension Condition {
    /// The condition with every attribute the subject, context and field determine replaced by its value, folded.
    /// What remains reads record attributes (and approvals, which depend on the record).
    public func residual(_ subject: Subject, object: ObjectDefinition?, field: FieldDefinition?) -> Condition {
        switch self {
        case .constant: return self
        case .all(let cs):
            // Stop at the first part that folds to false (to true, for `any`): most conditions end there.
            var kept: [Condition] = []
            for c in cs {
                let r = c.residual(subject, object: object, field: field)
                if case .constant(let b) = r { if b { continue } else { return .never } }
                kept.append(r)
            }
            return .and(kept)
        case .any(let cs):
            var kept: [Condition] = []
            for c in cs {
                let r = c.residual(subject, object: object, field: field)
                if case .constant(let b) = r { if b { return .always } else { continue } }
                kept.append(r)
            }
            return .or(kept)
        case .not(let c): return .negate(c.residual(subject, object: object, field: field))
        case .compare(let a, let op, let right):
            let l = Self.known(a, subject, object: object, field: field)
            let r: JSONValue?
            switch right {
            case .value(let v): r = v
            case .attribute(let b): r = Self.known(b, subject, object: object, field: field)
            }
            switch (l, r) {
            case let (l?, r?): return .constant(op.holds(l, r))
            case let (nil, r?): return .compare(a, op, .value(r))
            case let (l?, nil):
                guard case .attribute(let b) = right, let swapped = op.swapped else { return .never }
                return .compare(b, swapped, .value(l))
            case (nil, nil): return .never
            }
        }
    }

    /// An attribute's value when it does not depend on the record; nil when it does. Without an object (or field),
    /// record (or field) attributes stay unknown.
    static func known(_ a: Attribute, _ subject: Subject, object: ObjectDefinition?, field: FieldDefinition?) -> JSONValue? {
        switch a.scope {
        case .user, .context: return subject.value(a)
        case .field:
            guard let field else { return nil }
            switch a.name {
            case "name": return .string(field.name)
            case "sensitivity": return JSONValue(field.sensitivity)
            case "type": return .string(field.type.rawValue)
            default: return .bool(field.isCustom)
            }
        case .record:
            guard let object else { return nil }
            if a.name == "sensitivity", object.field("sensitivity")?.type.storage != .number { return JSONValue(object.sensitivity) }
            // A field of another object: absent here, so null.
            if !AccessAttributes.record.contains(a.name), object.queryableField(a.name) == nil { return .null }
            return nil
        }
    }
}

extension Condition {
    /// The condition with `record.owner_department` comparisons turned into comparisons of `record.owner` with the
    /// users of those departments (`members`: department id → user ids), which databases plan well.
    public func resolvingDepartments(_ members: [String: [String]]) -> Condition {
        switch self {
        case .constant: return self
        case .all(let cs): return .and(cs.map { $0.resolvingDepartments(members) })
        case .any(let cs): return .or(cs.map { $0.resolvingDepartments(members) })
        case .not(let c): return .negate(c.resolvingDepartments(members))
        case .compare(let a, let op, .value(let v)) where a.scope == .record && a.name == "owner_department":
            let users = (v.arrayValue ?? [v]).compactMap(\.stringValue).flatMap { members[$0] ?? [] }
            let inside: Condition = users.isEmpty ? .never : .compare(Attribute(.record, "owner"), .in, .value(.array(users.map(JSONValue.string))))
            return op == .ne ? .negate(inside) : inside
        case .compare: return self
        }
    }
}

extension AccessPlan {
    public var mentionsDepartments: Bool {
        ([rows] + Array(fields.values)).contains { $0.attributes.contains { $0.scope == .record && $0.name == "owner_department" } }
    }

    public func resolvingDepartments(_ members: [String: [String]]) -> AccessPlan {
        AccessPlan(rows: rows.resolvingDepartments(members), fields: fields.mapValues { $0.resolvingDepartments(members) })
    }
}
