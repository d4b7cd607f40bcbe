import Foundation

/// One record's move from a stage to another (from nil when it is created), checked against its pipeline: the
/// transition rules (no skipping forward where the pipeline forbids it, a reason to go back) and the gates of the stage
/// entered, every unmet condition at once. Related records and approvals live in the database: the caller counts them.
/// A violation's field says what to fill (a field, `stage_reason`) or what is missing (the related object, `approval`).
public struct StageMove: Hashable, Sendable {
    public var from: String?
    public var to: String
    public var reason: String?

    public init(from: String?, to: String, reason: String? = nil) {
        self.from = from
        self.to = to
        self.reason = reason.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    }

    /// The input key that carries a move's reason; it is kept with the stage history, not on the record.
    public static let reasonKey = "stage_reason"

    /// A move back: to an earlier open stage, or reopening a won or lost deal.
    public func isBack(in pipeline: Pipeline) -> Bool {
        guard let from, let source = pipeline.stage(from), let i = pipeline.index(from), let target = pipeline.stage(to),
              let j = pipeline.index(to), target.outcome == .open else { return false }
        return source.outcome != .open || j < i
    }

    /// The longest reason kept.
    public static let maxReason = 500

    /// What the gates of the stage entered ask of a record (related-record and approval requirements included, for the
    /// caller to count); none on a move back, which needs only its reason.
    public func requirements(in pipeline: Pipeline) -> [StageGate] {
        isBack(in: pipeline) || from == to ? [] : pipeline.gates(entering: to)
    }

    /// Every condition this move fails. `related` answers how many records meet a requirement; `approved` whether the
    /// record has passed an approval process.
    /// `attached`: how many attachments of a kind the record has.
    public func violations(in pipeline: Pipeline, state: [String: JSONValue], object: ObjectDefinition, field: String,
                           related: (RelatedRequirement) -> Int, approved: (String) -> Bool, attached: (String) -> Int = { _ in 0 }) -> [Violation] {
        guard from != to else { return [] }
        guard let target = pipeline.stage(to) else {
            let names = pipeline.stages.map(\.name).joined(separator: ", ")
            return [Violation(field: field, code: "invalid_stage", message: "\(to) is not a stage of the pipeline \(pipeline.labels.en) (\(names)).")]
        }
        var violations: [Violation] = []
        let back = isBack(in: pipeline)
        if back, pipeline.backNeedsReason, reason == nil {
            violations.append(Violation(field: Self.reasonKey, code: "reason_required",
                                        message: "Moving back from \(label(from, pipeline)) to \(target.labels.en) needs a reason (\(Self.reasonKey))."))
        }
        if !back, !pipeline.skipForward, let from, let source = pipeline.stage(from), source.outcome == .open, let i = pipeline.index(from),
           let j = pipeline.index(to), target.outcome != .lost {
            let open = pipeline.openStages.map(\.name)
            let next = target.outcome == .won ? open.last : (open.firstIndex(of: from).flatMap { $0 + 1 < open.count ? open[$0 + 1] : nil })
            if (target.outcome == .won && from != next) || (target.outcome == .open && j > i && to != next) {
                violations.append(Violation(field: field, code: "skip_not_allowed",
                                            message: "A deal moves one stage at a time: from \(source.labels.en) the next stage is \(label(next, pipeline)), not \(target.labels.en)."))
            }
        }
        var missingKinds = Set<String>()
        for gate in requirements(in: pipeline) {
            let grouped = gate.groups.flatMap { name in object.requiredGroups.first { $0.name == name }?.fields ?? [] }
            for name in gate.fields + grouped where object.field(name) != nil && (state[name] ?? .null).isNull
                && !violations.contains(where: { $0.field == name }) {
                violations.append(Violation(field: name, code: "required",
                                            message: "\(object.field(name)?.labels.en ?? name) is required to enter \(target.labels.en)."))
            }
            for name in gate.checklist where object.field(name) != nil && state[name]?.boolValue != true && !violations.contains(where: { $0.field == name }) {
                violations.append(Violation(field: name, code: "unchecked",
                                            message: "\(object.field(name)?.labels.en ?? name) must be ticked to enter \(target.labels.en)."))
            }
            for requirement in gate.related where related(requirement) < requirement.min {
                violations.append(Violation(field: requirement.object, code: "related_missing",
                                            message: "Entering \(target.labels.en) needs at least \(requirement.min) \(requirement.labels.en)."))
            }
            for kind in gate.attachments where attached(kind) == 0 && missingKinds.insert(kind).inserted {
                violations.append(Violation(field: "attachments", code: "attachment_missing",
                                            message: "Entering \(target.labels.en) needs an attachment of the kind “\(kind)”."))
            }
            if let process = gate.approval, !approved(process), !violations.contains(where: { $0.code == "approval_missing" }) {
                violations.append(Violation(field: "approval", code: "approval_missing",
                                            message: "Entering \(target.labels.en) needs the approval \(process) to have passed."))
            }
        }
        return violations
    }

    private func label(_ stage: String?, _ pipeline: Pipeline) -> String {
        stage.map { pipeline.stage($0)?.labels.en ?? $0 } ?? "none"
    }
}
