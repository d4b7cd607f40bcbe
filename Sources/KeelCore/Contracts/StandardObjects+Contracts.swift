/// The catalog and the documents priced from it: products, quotes and their lines.
extension StandardObjects {
    public static let quoteStatuses = ["draft", "in_approval", "approved", "sent", "won", "lost"]
    /// A quote's lines change while it is a draft or approved (back to draft then); sent, won or lost, it keeps them.
    public static let editableQuoteStatuses: Set<String> = ["draft", "approved"]

    public static let product = ObjectDefinition(
        name: "products", labels: Labels(zhCN: "产品", en: "Products"),
        fields: [
            FieldDefinition("name", .text, zh: "产品名称", en: "Name", required: true),
            { var sku = FieldDefinition("sku", .text, zh: "产品编码", en: "SKU", required: true, maxLength: 64); sku.unique = true; return sku }(),
            FieldDefinition("unit", .text, zh: "单位", en: "Unit", maxLength: 20),
            { var price = FieldDefinition("unit_price", .money, zh: "标准单价", en: "List price", required: true); price.maximum = 1e9; return price }(),
            FieldDefinition("tax_rate", .number, zh: "税率", en: "Tax rate", required: true, validator: .taxRate, defaultValue: 0.13),
            FieldDefinition("tax_included", .boolean, zh: "含税价", en: "Price includes tax", defaultValue: false),
            FieldDefinition("active", .boolean, zh: "在售", en: "Active", defaultValue: true),
            FieldDefinition("description", .longText, zh: "描述", en: "Description"),
        ],
        isCustom: false, table: "products")

    /// Prices for a customer segment (company size) or region (province), valid for a time: a quote for such a customer
    /// is priced from the most specific book in force, else from the list price.
    public static let priceBook = ObjectDefinition(
        name: "price_books", labels: Labels(zhCN: "价格表", en: "Price books"),
        fields: [
            FieldDefinition("name", .text, zh: "价格表名称", en: "Name", required: true),
            FieldDefinition("segment", .picklist, zh: "客户规模", en: "Company size", options: companySizes),
            FieldDefinition("province", .text, zh: "省份", en: "Province", maxLength: 50),
            FieldDefinition("valid_from", .date, zh: "生效日期", en: "Valid from"),
            FieldDefinition("valid_to", .date, zh: "失效日期", en: "Valid to"),
            FieldDefinition("active", .boolean, zh: "启用", en: "Active", defaultValue: true),
        ],
        isCustom: false, table: "price_books")

    public static let priceBookEntry = ObjectDefinition(
        name: "price_book_entries", labels: Labels(zhCN: "价格表明细", en: "Price book entries"),
        fields: [
            FieldDefinition("price_book", .reference, zh: "价格表", en: "Price book", required: true, target: "price_books"),
            FieldDefinition("product", .reference, zh: "产品", en: "Product", required: true, target: "products"),
            { var price = FieldDefinition("unit_price", .money, zh: "单价", en: "Unit price", required: true); price.maximum = 1e9; return price }(),
        ],
        isCustom: false, table: "price_book_entries")

    public static let quote = ObjectDefinition(
        name: "quotes", labels: Labels(zhCN: "报价单", en: "Quotes"),
        fields: [
            FieldDefinition("name", .text, zh: "报价单名称", en: "Name", required: true),
            FieldDefinition("account", .reference, zh: "客户", en: "Account", required: true, target: "accounts"),
            FieldDefinition("opportunity", .reference, zh: "商机", en: "Opportunity", target: "opportunities"),
            FieldDefinition("status", .picklist, zh: "状态", en: "Status", options: quoteStatuses, defaultValue: "draft"),
            FieldDefinition("valid_until", .date, zh: "有效期至", en: "Valid until"),
            FieldDefinition("rounding_level", .picklist, zh: "舍入方式", en: "Rounding", options: RoundingRule.Level.allCases.map(\.rawValue), defaultValue: "line"),
            FieldDefinition("rounding_mode", .picklist, zh: "舍入规则", en: "Rounding rule", options: RoundingRule.Mode.allCases.map(\.rawValue), defaultValue: "half_up"),
            FieldDefinition("max_discount", .number, zh: "最大折扣", en: "Largest discount", validator: .fraction, defaultValue: 0),
            FieldDefinition("total_excl_tax", .money, zh: "不含税金额", en: "Total excl. tax", defaultValue: 0),
            FieldDefinition("total_tax", .money, zh: "税额", en: "Tax", defaultValue: 0),
            FieldDefinition("total_incl_tax", .money, zh: "价税合计", en: "Total incl. tax", defaultValue: 0),
            FieldDefinition("owner", .reference, zh: "负责人", en: "Owner", target: "users"),
        ],
        isCustom: false, table: "quotes")

    public static let quoteLine = ObjectDefinition(name: "quote_lines", labels: Labels(zhCN: "报价明细", en: "Quote lines"),
                                                   fields: lineFields(FieldDefinition("quote", .reference, zh: "报价单", en: "Quote", required: true, target: "quotes")),
                                                   isCustom: false, table: "quote_lines")

    /// A priced line of a document (a quote's, a contract's): its document, then what was sold at what price.
    static func lineFields(_ document: FieldDefinition) -> [FieldDefinition] {
        [
            document,
            FieldDefinition("position", .number, zh: "行号", en: "Line", required: true),
            FieldDefinition("product", .reference, zh: "产品", en: "Product", required: true, target: "products"),
            FieldDefinition("name", .text, zh: "产品名称", en: "Product name", required: true),
            FieldDefinition("quantity", .number, zh: "数量", en: "Quantity", required: true),
            FieldDefinition("unit", .text, zh: "单位", en: "Unit", maxLength: 20),
            FieldDefinition("list_price", .money, zh: "标准单价", en: "List price"),
            FieldDefinition("price_book", .reference, zh: "价格表", en: "Price book", target: "price_books"),
            FieldDefinition("unit_price", .money, zh: "单价", en: "Unit price", required: true),
            FieldDefinition("price_reason", .text, zh: "改价原因", en: "Why the price differs", maxLength: 500),
            FieldDefinition("discount", .number, zh: "折扣", en: "Discount", validator: .fraction),
            FieldDefinition("tax_rate", .number, zh: "税率", en: "Tax rate", required: true, validator: .taxRate),
            FieldDefinition("tax_included", .boolean, zh: "含税价", en: "Price includes tax"),
            FieldDefinition("amount_excl_tax", .money, zh: "不含税金额", en: "Amount excl. tax"),
            FieldDefinition("tax", .money, zh: "税额", en: "Tax"),
            FieldDefinition("amount_incl_tax", .money, zh: "价税合计", en: "Amount incl. tax"),
            FieldDefinition("owner", .reference, zh: "负责人", en: "Owner", target: "users"),
        ]
    }

    public static let contractStatuses = ["draft", "signing", "signed", "completed", "terminated"]
    /// Whether the plan keeps to the payment policy, or breaks it and waits for (or has) an approval.
    public static let planStatuses = ["none", "within_policy", "needs_approval", "approved"]

    public static let contract = ObjectDefinition(
        name: "contracts", labels: Labels(zhCN: "合同", en: "Contracts"),
        fields: [
            FieldDefinition("name", .text, zh: "合同名称", en: "Name", required: true),
            { var number = FieldDefinition("number", .text, zh: "合同编号", en: "Contract number", maxLength: 40)
              (number.unique, number.numbering) = (true, "HT"); return number }(),
            FieldDefinition("account", .reference, zh: "客户", en: "Account", required: true, target: "accounts"),
            FieldDefinition("quote", .reference, zh: "来源报价单", en: "From quote", target: "quotes"),
            FieldDefinition("opportunity", .reference, zh: "商机", en: "Opportunity", target: "opportunities"),
            FieldDefinition("status", .picklist, zh: "状态", en: "Status", options: contractStatuses, defaultValue: "draft"),
            FieldDefinition("signed_at", .datetime, zh: "签署时间", en: "Signed at"),
            FieldDefinition("delivery_date", .date, zh: "交付日期", en: "Delivery date"),
            FieldDefinition("rounding_level", .picklist, zh: "舍入方式", en: "Rounding", options: RoundingRule.Level.allCases.map(\.rawValue), defaultValue: "line"),
            FieldDefinition("rounding_mode", .picklist, zh: "舍入规则", en: "Rounding rule", options: RoundingRule.Mode.allCases.map(\.rawValue), defaultValue: "half_up"),
            FieldDefinition("total_excl_tax", .money, zh: "不含税金额", en: "Total excl. tax", defaultValue: 0),
            FieldDefinition("total_tax", .money, zh: "税额", en: "Tax", defaultValue: 0),
            FieldDefinition("total_incl_tax", .money, zh: "价税合计", en: "Total incl. tax", defaultValue: 0),
            FieldDefinition("currency", .text, zh: "币种", en: "Currency", maxLength: 3, defaultValue: "CNY"),
            FieldDefinition("finance_confirmed_amount", .money, zh: "财务确认收入（不含税）", en: "Revenue confirmed by finance (excl. tax)"),
            FieldDefinition("plan_status", .picklist, zh: "回款计划", en: "Payment plan", options: planStatuses, defaultValue: "none"),
            FieldDefinition("plan_breaches", .longText, zh: "超出回款政策", en: "Outside the payment policy"),
            FieldDefinition("owner", .reference, zh: "负责人", en: "Owner", target: "users"),
        ],
        isCustom: false, table: "contracts")

    public static let contractLine = ObjectDefinition(name: "contract_lines", labels: Labels(zhCN: "合同明细", en: "Contract lines"),
                                                      fields: lineFields(FieldDefinition("contract", .reference, zh: "合同", en: "Contract", required: true, target: "contracts")),
                                                      isCustom: false, table: "contract_lines")

    public static let paymentPlanLine = ObjectDefinition(
        name: "payment_plan_lines", labels: Labels(zhCN: "回款计划", en: "Payment plan lines"),
        fields: [
            FieldDefinition("contract", .reference, zh: "合同", en: "Contract", required: true, target: "contracts"),
            FieldDefinition("position", .number, zh: "期次", en: "Instalment", required: true),
            FieldDefinition("kind", .picklist, zh: "类型", en: "Kind", required: true, options: PaymentPlan.kinds),
            FieldDefinition("amount", .money, zh: "计划金额", en: "Amount", required: true),
            FieldDefinition("due_date", .date, zh: "到期日", en: "Due"),
            FieldDefinition("days_after_delivery", .number, zh: "交付后天数", en: "Days after delivery"),
            FieldDefinition("description", .text, zh: "说明", en: "Description", maxLength: 200),
            FieldDefinition("owner", .reference, zh: "负责人", en: "Owner", target: "users"),
        ],
        isCustom: false, table: "payment_plan_lines")

    public static let paymentMethods = ["bank_transfer", "acceptance_bill", "cash", "other"]

    public static let payment = ObjectDefinition(
        name: "payments", labels: Labels(zhCN: "回款记录", en: "Payments"),
        fields: [
            FieldDefinition("contract", .reference, zh: "合同", en: "Contract", required: true, target: "contracts"),
            FieldDefinition("plan_line", .reference, zh: "回款计划", en: "Plan line", target: "payment_plan_lines"),
            FieldDefinition("amount", .money, zh: "回款金额", en: "Amount", required: true),
            FieldDefinition("received_on", .date, zh: "到账日期", en: "Received on", required: true),
            FieldDefinition("method", .picklist, zh: "方式", en: "Method", options: paymentMethods, defaultValue: "bank_transfer"),
            FieldDefinition("reference", .text, zh: "流水号", en: "Bank reference", maxLength: 100),
            FieldDefinition("owner", .reference, zh: "负责人", en: "Owner", target: "users"),
        ],
        isCustom: false, table: "payments")

    /// Fields Keel computes from a document's lines: never written by a caller (a write naming one is refused).
    public static let priced: [String: Set<String>] = [
        quote.name: ["max_discount", "total_excl_tax", "total_tax", "total_incl_tax"],
        contract.name: ["total_excl_tax", "total_tax", "total_incl_tax", "plan_status", "plan_breaches"],
    ]

    /// A contract in these statuses is signed: its terms no longer change (it is not deleted either).
    public static let signedContractStatuses: Set<String> = ["signed", "completed", "terminated"]
    /// What may still change on a signed contract: how it ends, when it was delivered, who looks after it, what finance confirmed,
    /// an approval's decision on its plan.
    public static let changeableOnceSigned: Set<String> = ["status", "delivery_date", "owner", "finance_confirmed_amount", "plan_status"]

    /// Why a change to a signed contract (`input`; nil: deleting it) is refused — nil when it is not signed, or the
    /// change keeps its terms: the fields that would change, or a status that would reopen it.
    public static func signedContractRefusal(_ current: Record, _ input: [String: JSONValue]?) -> KeelError? {
        guard current.object == contract.name, signedContractStatuses.contains(current.value("status").stringValue ?? "") else { return nil }
        guard let input else {
            return KeelError(.conflict, code: "contract_signed", message: "A signed contract is kept: it is not deleted (terminate it instead).")
        }
        let changed = input.keys.filter { !changeableOnceSigned.contains($0) && input[$0] != current.value($0) }.sorted()
        let reopened = input["status"].map { !signedContractStatuses.contains($0.stringValue ?? "") } ?? false
        guard !changed.isEmpty || reopened else { return nil }
        return KeelError(.conflict, code: "contract_signed",
                         message: "A signed contract does not change" + (changed.isEmpty ? " back to unsigned." : ": \(changed.joined(separator: ", ")) stay as signed."),
                         details: ["fields": .array((changed + (reopened ? ["status"] : [])).map(JSONValue.string))])
    }

    /// Fields only the reconciliation with the ERP writes (what finance booked), never a caller or an approval.
    public static let confirmedByFinance: [String: Set<String>] = [contract.name: ["finance_confirmed_amount"]]

    /// Every field Keel keeps from callers' writes: what it prices and what finance confirms.
    public static func kept(_ object: String) -> Set<String> {
        (priced[object] ?? []).union(confirmedByFinance[object] ?? [])
    }

    /// Objects whose records are written only through another's (a quote's lines through the quote), never on their own.
    /// Child object → the parent and the child's field pointing at it.
    public static let writtenThrough: [String: (parent: String, field: String)] = [
        quoteLine.name: (quote.name, "quote"), contractLine.name: (contract.name, "contract"), paymentPlanLine.name: (contract.name, "contract"),
    ]

    /// The catalog and the documents priced from it are not merged: a line keeps the product it was priced from, a
    /// quote its own lines.
    public static let unmergeable: Set<String> = [product.name, priceBook.name, priceBookEntry.name, quote.name, quoteLine.name, contract.name, contractLine.name, paymentPlanLine.name, payment.name]
}
