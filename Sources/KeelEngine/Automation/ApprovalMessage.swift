import Foundation
import KeelCore

/// What an approval tells people in their inbox, in each one's language (the one they chose in the web app, Chinese
/// until they choose): the process, the record by name, its amount, and what is asked or decided.
struct ApprovalMessage {
    var process: ApprovalProcess
    var object: ObjectDefinition
    var record: Record

    /// `<process>: 商机「云栖 CT」¥880,000.00（折扣 18%），等待您审批（区域经理）`.
    func waiting(step: String, english: Bool) -> String {
        english ? "\(process.label): \(what(english))\(asked(english)) is waiting for your decision (\(step))"
            : "\(process.label)：\(what(english))\(asked(english))，等待您审批（\(step)）"
    }

    /// `<process>: 商机「云栖 CT」¥880,000.00 已同意`.
    func decided(approved: Bool, english: Bool) -> String {
        english ? "\(process.label): \(what(english)) was \(approved ? "approved" : "rejected")" : "\(process.label)：\(what(english)) \(approved ? "已同意" : "已驳回")"
    }

    /// What the approver is asked to judge: the figures the process's conditions read (not the amount, already said;
    /// not a field above the default sensitivity, which a notification does not carry): `（折扣 18%）`.
    func asked(_ english: Bool) -> String {
        let figures = process.askedFields(of: object).compactMap { field -> String? in
            guard field.sensitivity <= 2, [.number, .percent, .money].contains(field.type), let n = record.value(field.name).numberValue else { return nil }
            let shown = n.rounded(2, .halfUp)  // at most two decimals, none that are zero
            let value = field.type == .money ? n.yuan : shown.grouped(places: shown.scale)
            return (english ? field.labels.en : field.labels.zhCN) + " " + (field.type == .percent ? value + "%" : value)
        }
        guard !figures.isEmpty else { return "" }
        return english ? " (" + figures.joined(separator: ", ") + ")" : "（" + figures.joined(separator: "，") + "）"
    }

    /// The record as people name it, with its first amount.
    func what(_ english: Bool) -> String {
        let name = record.values["name"]?.stringValue ?? record.values["subject"]?.stringValue ?? ""
        let amount = object.amountField.flatMap { record.value($0.name).numberValue }.map { " " + $0.yuan } ?? ""
        return english ? "“\(name)”\(amount)" : "\(object.labels.zhCN)「\(name)」\(amount)"
    }

}
