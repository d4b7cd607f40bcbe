import Foundation

/// The pipelines of one object (a document stored as configuration): the picklist field that holds the stage, an
/// optional field that chooses the pipeline (a business line), and one or more pipelines of ordered stages, each stage
/// with its gate. How stage moves are checked lives in `StageMove`.
public struct PipelineSet: Hashable, Sendable {
    public var object: String
    /// The picklist that holds the stage (`stage`).
    public var field: String
    /// The field whose value chooses the pipeline; nil when the object has one.
    public var selector: String?
    /// In order: the first whose `when` holds the selector's value is the record's; one without `when` takes the rest.
    public var pipelines: [Pipeline]
    /// Moves back this many times within `windowDays` raise a rollback anomaly.
    public var rollback = Rollback()

    public struct Rollback: Hashable, Sendable {
        public var count = 2
        public var windowDays = 30
        public init(count: Int = 2, windowDays: Int = 30) { (self.count, self.windowDays) = (count, windowDays) }
    }

    public init(object: String, field: String = "stage", selector: String? = nil, pipelines: [Pipeline], rollback: Rollback = Rollback()) {
        self.object = object
        self.field = field
        self.selector = selector
        self.pipelines = pipelines
        self.rollback = rollback
    }

    /// The pipeline a record with `state` follows; nil when none matches.
    public func pipeline(for state: [String: JSONValue]) -> Pipeline? {
        let chooser = selector.flatMap { state[$0]?.stringValue }
        return pipelines.first { !$0.when.isEmpty && chooser.map($0.when.contains) == true } ?? pipelines.first { $0.when.isEmpty }
    }

    /// A stage by name in whichever pipeline has it (the first).
    public func stage(_ name: String) -> PipelineStage? {
        pipelines.lazy.compactMap { $0.stage(name) }.first
    }
}

public struct Pipeline: Hashable, Sendable {
    public var name: String
    public var labels: Labels
    /// The selector's values this pipeline is for; empty for the default pipeline.
    public var when: [String]
    public var stages: [PipelineStage]
    /// Whether a deal may jump over open stages on its way forward (to a later open stage, or to won).
    public var skipForward: Bool
    /// Whether a move back (to an earlier stage, or reopening a closed deal) must say why.
    public var backNeedsReason: Bool

    public init(name: String, labels: Labels, when: [String] = [], stages: [PipelineStage], skipForward: Bool = true, backNeedsReason: Bool = true) {
        self.name = name
        self.labels = labels
        self.when = when
        self.stages = stages
        self.skipForward = skipForward
        self.backNeedsReason = backNeedsReason
    }

    public func stage(_ name: String) -> PipelineStage? { stages.first { $0.name == name } }
    public func index(_ name: String) -> Int? { stages.firstIndex { $0.name == name } }
    public var openStages: [PipelineStage] { stages.filter { $0.outcome == .open } }

    /// What entering `stage` asks for: the gates of every open stage up to it as well as its own (a deal at
    /// negotiation has what proposal asked for); a lost stage asks only its own.
    public func gates(entering stage: String) -> [StageGate] {
        guard let target = self.stage(stage) else { return [] }
        if target.outcome == .lost { return [target.gate] }
        let upTo = index(stage) ?? 0
        return stages.enumerated().filter { $0.offset <= upTo && $0.element.outcome != .lost }.map(\.element.gate)
    }
}

public struct PipelineStage: Hashable, Sendable {
    public enum Outcome: String, Hashable, Sendable, CaseIterable { case open, won, lost }

    public var name: String
    public var labels: Labels
    /// The deal's probability at this stage, 0–100.
    public var probability: Double
    public var outcome: Outcome
    public var gate: StageGate
    /// Working days a deal may stay here before it is stale (open stages); nil: never.
    public var rotDays: Int?

    public init(name: String, labels: Labels, probability: Double, outcome: Outcome = .open, gate: StageGate = StageGate(), rotDays: Int? = nil) {
        self.name = name
        self.labels = labels
        self.probability = probability
        self.outcome = outcome
        self.gate = gate
        self.rotDays = rotDays
    }
}

extension PipelineStage {
    /// The working days a deal in this stage since `since` has stayed, when that is past the stage's limit; nil otherwise.
    public func staleDays(since: Date, now: Date, calendar: WorkingCalendar, zone: TimeZone) -> Int? {
        let day = Double(calendar.closes - calendar.opens) * 60
        guard let rotDays, outcome == .open, day > 0 else { return nil }
        let days = Int(calendar.workingSeconds(from: since, to: now, in: zone) / day)
        return days > rotDays ? days : nil
    }
}

/// What a record must have to enter a stage.
public struct StageGate: Hashable, Sendable {
    /// Fields that must hold a value.
    public var fields: [String]
    /// Required groups of the object (by name) whose fields must hold values.
    public var groups: [String]
    /// Checkbox fields that must be ticked.
    public var checklist: [String]
    /// Related records there must be enough of.
    public var related: [RelatedRequirement]
    /// An approval process the record must have passed.
    public var approval: String?
    /// Kinds of attachment the record must carry (a proposal, a quote).
    public var attachments: [String]

    public init(fields: [String] = [], groups: [String] = [], checklist: [String] = [], related: [RelatedRequirement] = [], approval: String? = nil,
                attachments: [String] = []) {
        self.fields = fields
        self.groups = groups
        self.checklist = checklist
        self.related = related
        self.approval = approval
        self.attachments = attachments
    }

    public var isEmpty: Bool { fields.isEmpty && groups.isEmpty && checklist.isEmpty && related.isEmpty && approval == nil && attachments.isEmpty }
}

/// "At least `min` records of `object` whose `link` points at this record's `on` (its own id, or e.g. its account) and
/// whose fields hold `where`": ≥ 1 contact of the deal's account whose role is 决策人.
public struct RelatedRequirement: Hashable, Sendable {
    public var object: String
    public var link: String
    /// This record's field the link points at; nil: the record itself.
    public var on: String?
    public var matching: [String: String]
    public var min: Int
    public var labels: Labels

    public init(object: String, link: String, on: String? = nil, matching: [String: String] = [:], min: Int = 1, labels: Labels) {
        self.object = object
        self.link = link
        self.on = on
        self.matching = matching
        self.min = min
        self.labels = labels
    }
}
