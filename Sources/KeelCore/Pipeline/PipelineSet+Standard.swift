extension PipelineSet {
    /// The opportunities' pipeline until an admin saves one: the stage picklist in order with its probabilities, no
    /// gates, any move allowed — what a fresh install did before pipelines were data.
    public static let standardOpportunities = PipelineSet(object: StandardObjects.opportunity.name, pipelines: [
        Pipeline(name: "standard", labels: Labels(zhCN: "标准销售流程", en: "Standard sales"), stages: standardStages,
                 skipForward: true, backNeedsReason: false),
    ])

    public static let standardStages: [PipelineStage] = [
        PipelineStage(name: "prospecting", labels: Labels(zhCN: "初步接洽", en: "Prospecting"), probability: 10),
        PipelineStage(name: "qualification", labels: Labels(zhCN: "需求确认", en: "Qualification"), probability: 20),
        PipelineStage(name: "needs_analysis", labels: Labels(zhCN: "方案分析", en: "Needs analysis"), probability: 40),
        PipelineStage(name: "proposal", labels: Labels(zhCN: "提交方案", en: "Proposal"), probability: 60),
        PipelineStage(name: "negotiation", labels: Labels(zhCN: "商务谈判", en: "Negotiation"), probability: 80),
        PipelineStage(name: "closed_won", labels: Labels(zhCN: "赢单", en: "Closed won"), probability: 100, outcome: .won),
        PipelineStage(name: "closed_lost", labels: Labels(zhCN: "输单", en: "Closed lost"), probability: 0, outcome: .lost),
    ]

    /// The pipeline an object follows when none was saved: the standard one for opportunities, none for others.
    public static func standard(for object: String) -> PipelineSet? {
        object == StandardObjects.opportunity.name ? standardOpportunities : nil
    }

    /// Each stage's probability (the first pipeline that has the stage).
    public var probabilities: [String: Double] {
        var out: [String: Double] = [:]
        for stage in pipelines.flatMap(\.stages) where out[stage.name] == nil { out[stage.name] = stage.probability }
        return out
    }
}
