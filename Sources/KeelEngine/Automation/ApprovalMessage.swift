import Foundation
import KeelCore

/// What an approval tells people in their inbox, in each one's language (the one they chose in the web app, Chinese
/// until they choose): the process, the record by name, its amount, and what is asked or decided.
struct ApprovalMessage {
    var process: String
    var object: ObjectDefinition
    var record: Record

    /// `<process>: 商机「云栖 CT」¥880,000.00，等待您审批（区域经理）`.
    func waiting(step: String, english: Bool) -> String {
        english ? "\(process): \(what(english)) is waiting for your decision (\(step))" : "\(process)：\(what(english))，等待您审批（\(step)）"
    }

    /// `<process>: 商机「云栖 CT」¥880,000.00 已同意`.
    func decided(approved: Bool, english: Bool) -> String {
        english ? "\(process): \(what(english)) was \(approved ? "approved" : "rejected")" : "\(process)：\(what(english)) \(approved ? "已同意" : "已驳回")"
    }

    /// The record as people name it, with its first amount.
    func what(_ english: Bool) -> String {
        let name = record.values["name"]?.stringValue ?? record.values["subject"]?.stringValue ?? ""
        let amount = object.fields.first { $0.type == .money }.flatMap { record.value($0.name).numberValue }.map {
            " ¥" + $0.formatted(.number.precision(.fractionLength(2)).locale(Locale(identifier: "en_US")))
        } ?? ""
        return english ? "“\(name)”\(amount)" : "\(object.labels.zhCN)「\(name)」\(amount)"
    }
}
