/// A ready-made set of custom fields and a required group for accounts of one industry, applied by an admin.
public struct IndustryTemplate: Sendable {
    public var name: String
    public var labels: Labels
    public var object: String
    public var fields: [FieldDefinition]
    public var group: RequiredGroup

    /// Hospitals (医院): grade, beds and procurement stage are required; a 三甲 hospital should have people in the three
    /// roles that decide on equipment and IT purchases.
    public static let hospital = IndustryTemplate(
        name: "hospital", labels: Labels(zhCN: "医院", en: "Hospital"), object: "accounts",
        fields: [
            FieldDefinition("hospital_grade", .picklist, zh: "医院等级", en: "Hospital grade",
                            options: ["三甲", "三乙", "三丙", "二甲", "二乙", "二丙", "一甲", "一乙", "一丙", "未定级"], isCustom: true),
            FieldDefinition("beds", .number, zh: "床位数", en: "Beds", isCustom: true),
            FieldDefinition("procurement_stage", .picklist, zh: "采购阶段", en: "Procurement stage",
                            options: ["需求论证", "预算申报", "招标采购", "合同签订", "安装验收"], isCustom: true),
        ],
        group: RequiredGroup(
            name: "hospital_profile", labels: Labels(zhCN: "医院资料", en: "Hospital profile"),
            condition: .init(field: "industry", values: ["医院"]), fields: ["hospital_grade", "beds", "procurement_stage"],
            roles: [.init(condition: .init(field: "hospital_grade", values: ["三甲"]), roles: ["院长", "设备科主任", "信息科负责人"])]))

    public static let all: [IndustryTemplate] = [.hospital]

    public var json: JSONValue {
        ["name": .string(name), "labels": labels.json, "object": .string(object), "fields": .array(fields.map(\.json)), "group": group.json]
    }
}
