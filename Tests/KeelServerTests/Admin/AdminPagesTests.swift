import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct AdminPagesTests {
    @Test func adminsManageUsersDepartmentsAndRolesMembersMayNot() async throws {
        try await Browser.with { sales, keel in
            var sales = sales
            try await sales.signIn("sales@example.com", "sales-password")
            #expect(try await sales.get("/admin/users").status == .forbidden)
            #expect(!(try await sales.get("/").html.contains("href=\"/admin/users\"")))

            let admin = try await sales.signedInAdmin(keel)
            let adminUser = admin.user
            let page = try await admin.get("/admin/users")
            #expect(page.status == .ok)
            #expect(page.html.contains("sales@example.com"))
            let csrf = Browser.csrf(in: page.html)

            // A member may not post admin forms either.
            #expect(try await sales.post("/admin/departments", [("_csrf", Browser.csrf(in: try await sales.get("/").html)), ("name", "黑客部")]).status == .forbidden)

            let department = try await admin.post("/admin/departments", [("_csrf", csrf), ("name", "华东大区")])
            #expect(department.status == .seeOther)
            let parent = try #require(try await keel.auth.departments(by: adminUser).first { $0.name == "华东大区" })
            _ = try await admin.post("/admin/departments", [("_csrf", csrf), ("name", "杭州办"), ("parent", parent.id), ("manager", adminUser.userID)])
            let departments = try await admin.get("/admin/departments")
            #expect(departments.html.contains("<td>华东大区</td>"))
            #expect(departments.html.contains("<td>— 杭州办</td>"))
            let duplicate = try await admin.post("/admin/departments", [("_csrf", csrf), ("name", "华东大区")])
            #expect(duplicate.status == .conflict)

            // Bad input: every problem listed, what was typed kept (never the password), nothing written.
            let before = try await keel.auth.users(by: adminUser).count
            let bad = try await admin.post("/admin/users", [("_csrf", csrf), ("email", "not-an-email"), ("name", "<i>王</i>"), ("password", "short"), ("role", "manager")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("email: 格式不正确"))
            #expect(bad.html.contains("password:"))
            #expect(bad.html.contains(#"value="not-an-email""#))
            #expect(bad.html.contains("&lt;i&gt;王&lt;/i&gt;"))
            #expect(!bad.html.contains(#"value="short""#))
            #expect(try await keel.auth.users(by: adminUser).count == before)

            let created = try await admin.post("/admin/users", [("_csrf", csrf), ("email", "new@example.com"), ("name", "新同事"), ("password", "new-password"),
                                                                ("role", "member"), ("department", "杭州办"), ("manager", "root@example.com")])
            #expect(created.status == .seeOther)
            let newUser = try #require(try await keel.auth.users(by: adminUser).first { $0.email == "new@example.com" })
            #expect(newUser.departmentID != nil && newUser.managerID == adminUser.userID)

            // Roles: change one, see it on the roles page; an admin cannot demote themself.
            #expect(try await admin.post("/admin/users/\(newUser.id)/role", [("_csrf", csrf), ("role", "manager")]).status == .seeOther)
            let roles = try await admin.get("/admin/roles")
            #expect(roles.html.contains("新同事"))
            #expect(try await keel.auth.users(by: adminUser).first { $0.id == newUser.id }?.role == .manager)
            #expect(try await admin.post("/admin/users/\(adminUser.userID)/role", [("_csrf", csrf), ("role", "member")]).status == .forbidden)

            // Freezing ends the user's session at once; unfreezing lets them sign in again.
            #expect(try await admin.post("/admin/users/\(sales.user.userID)/status", [("_csrf", csrf), ("status", "frozen")]).status == .seeOther)
            #expect(try await sales.get("/").status == .seeOther)
            #expect(try await admin.get("/admin/users").html.contains("已冻结"))
            #expect(try await admin.post("/admin/users/\(sales.user.userID)/status", [("_csrf", csrf), ("status", "active")]).status == .seeOther)
            try await sales.signIn("sales@example.com", "sales-password")
            #expect(try await sales.get("/").status == .ok)
        }
    }

    @Test func aCustomFieldOrObjectMadeOnTheAdminPagesAppearsWithoutCode() async throws {
        try await Browser.with { browser, keel in
            let admin = try await browser.signedInAdmin(keel)
            let page = try await admin.get("/admin/fields?object=accounts")
            #expect(page.html.contains("<code>credit_code</code>"))
            let csrf = Browser.csrf(in: page.html)

            let bad = try await admin.post("/admin/fields?object=accounts", [("_csrf", csrf), ("name", "Hospital Grade"), ("type", "picklist"), ("options", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains(#"value="Hospital Grade""#))
            #expect(bad.html.contains("name:") && bad.html.contains("options:"))

            let added = try await admin.post("/admin/fields?object=accounts", [("_csrf", csrf), ("name", "hospital_grade"), ("label_zh", "医院等级"),
                                                                               ("label_en", "Hospital grade"), ("type", "picklist"), ("options", "三甲\n三乙\n二甲\n")])
            #expect(added.status == .seeOther)
            #expect(added.headers[.location] == "/admin/fields?object=accounts&done=1")
            let form = try await admin.get("/o/accounts/new")
            #expect(form.html.contains(#"<label for="f-hospital_grade">医院等级</label>"#))
            #expect(form.html.contains(#"<option value="三乙">三乙</option>"#))

            let object = try await admin.post("/admin/objects", [("_csrf", csrf), ("name", "projects"), ("label_zh", "项目"), ("label_en", "Projects")])
            #expect(object.status == .seeOther)
            let list = try await admin.get("/o/projects")
            #expect(list.status == .ok)
            #expect(list.html.contains(#"<a href="/o/projects" aria-current="page">项目</a>"#))
            let taken = try await admin.post("/admin/objects", [("_csrf", csrf), ("name", "projects"), ("label_zh", "项目")])
            #expect(taken.status == .conflict)
            #expect(taken.html.contains(#"<div class="errors" role="alert">"#))
            #expect(try await keel.metadata.catalog().objects.filter { $0.name == "projects" }.count == 1)
        }
    }

    @Test func formulaFieldsAndValidationRulesAreMadeOnTheFieldsTab() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let page = try await admin.get("/admin/fields?object=opportunities")
            let csrf = Browser.csrf(in: page.html)
            let bad = try await admin.post("/admin/fields?object=opportunities", [("_csrf", csrf), ("name", "with_tax"), ("type", "formula"),
                                                                                    ("expression", "amount * "), ("resultType", "number")])
            #expect(bad.status == .unprocessableContent && bad.html.contains("at position 10") && bad.html.contains("amount * "))
            let made = try await admin.post("/admin/fields?object=opportunities", [("_csrf", csrf), ("name", "with_tax"), ("label_zh", "含税金额"),
                                                                                     ("type", "formula"), ("expression", "amount * 1.13"), ("resultType", "number")])
            #expect(made.status == .seeOther)
            let rule = try await admin.post("/admin/rules?object=opportunities", [("_csrf", csrf), ("rule_name", "no_negative_amounts"),
                                                                                 ("rule_expression", "amount < 0"), ("rule_message", "金额不能为负")])
            #expect(rule.status == .seeOther)
            let fields = try await admin.get("/admin/fields?object=opportunities")
            #expect(fields.html.contains("公式 → 金额") || fields.html.contains("公式 → 数字"))
            #expect(fields.html.contains("no_negative_amounts") && fields.html.contains("amount &lt; 0"))

            // A salesperson's form: the rule's message at the top, what was typed kept; the formula computed once saved.
            var rep = sales
            try await rep.signIn("sales@example.com", "sales-password")
            let form = try await rep.get("/o/opportunities/new")
            #expect(!form.html.contains(#"name="with_tax""#))
            let refused = try await rep.post("/o/opportunities", [("_csrf", Browser.csrf(in: form.html)), ("name", "退款"), ("amount", "-5")])
            #expect(refused.status == .unprocessableContent && refused.html.contains("金额不能为负") && refused.html.contains(#"value="-5""#))
            let saved = try await rep.post("/o/opportunities", [("_csrf", Browser.csrf(in: form.html)), ("name", "CT 采购"), ("amount", "100")])
            let location = try #require(saved.headers[.location])
            #expect(try await rep.get(String(location.split(separator: "?")[0])).html.contains("113"))
        }
    }

    @Test func requiredGroupsAndTheHospitalTemplateOnTheFieldsTabAndTheRecordPage() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let page = try await admin.get("/admin/fields?object=accounts")
            #expect(page.html.contains("暂无必填字段组") && page.html.contains("应用行业模板: 医院"))
            let csrf = Browser.csrf(in: page.html)
            // A group with no field is refused with what was typed kept.
            let bad = try await admin.post("/admin/required-groups?object=accounts", [("_csrf", csrf), ("group_name", "listed"),
                                                                                     ("group_when_field", "size"), ("group_when_values", "巨型")])
            #expect(bad.status == .unprocessableContent && bad.html.contains(#"value="巨型""#))
            let group = try await admin.post("/admin/required-groups?object=accounts", [("_csrf", csrf), ("group_name", "contactable"), ("group_label", "联系方式"),
                                                                                       ("group_field_phone", "1"), ("group_field_email", "1")])
            #expect(group.status == .seeOther)
            #expect(try await admin.post("/admin/templates", [("_csrf", csrf), ("template", "hospital")]).status == .seeOther)
            let fields = try await admin.get("/admin/fields?object=accounts")
            #expect(fields.html.contains("<td>联系方式</td><td class=\"wrap\">始终</td><td class=\"wrap\">电话、邮箱</td>"))
            #expect(fields.html.contains("行业 ∈ 医院") && fields.html.contains("医院等级 ∈ 三甲: 院长、设备科主任、信息科负责人"))

            // The salesperson's form names every missing field; once saved, the record page offers the vacant roles.
            var rep = sales
            try await rep.signIn("sales@example.com", "sales-password")
            let form = try await rep.get("/o/accounts/new")
            let refused = try await rep.post("/o/accounts", [("_csrf", Browser.csrf(in: form.html)), ("name", "四川大学华西医院"), ("industry", "医院"),
                                                             ("phone", "028-85422114")])
            #expect(refused.status == .unprocessableContent)
            for name in ["email", "hospital_grade", "beds", "procurement_stage"] {
                #expect(refused.html.contains(#"id="f-\#(name)" name="\#(name)""#) && refused.html.contains(#"aria-describedby="e-\#(name)""#), "\(name)")
            }
            let saved = try await rep.post("/o/accounts", [("_csrf", Browser.csrf(in: form.html)), ("name", "四川大学华西医院"), ("industry", "医院"),
                                                           ("phone", "028-85422114"), ("email", "office@wchscu.cn"), ("hospital_grade", "三甲"),
                                                           ("beds", "4300"), ("procurement_stage", "招标采购")])
            let location = try #require(saved.headers[.location])
            let record = try await rep.get(String(location.split(separator: "?")[0]))
            #expect(record.html.contains("建议角色") && record.html.contains("<strong>设备科主任</strong>: <span class=\"vacant\">空缺</span>"))
            #expect(record.html.contains("/o/contacts/new?account=\(location.split(separator: "/").last!.split(separator: "?")[0])&amp;role=%E9%99%A2%E9%95%BF"))
        }
    }

    @Test func identityRulesOnTheFieldsTab() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let page = try await admin.get("/admin/fields?object=accounts")
            #expect(page.html.contains("查重规则") && page.html.contains("Keel 默认规则</strong>: 公司名称 (公司全称)、公司名称 (地区（取自公司名）)、统一社会信用代码 (统一社会信用代码)"))
            #expect(page.html.contains(#"<option value="company" selected>公司全称</option>"#) && page.html.contains(#"value="90""#))
            let csrf = Browser.csrf(in: page.html)
            // Warn above block is refused, with what was typed kept; so is a form that names no field.
            let bad = try await admin.post("/admin/identity-rules?object=accounts", [("_csrf", csrf), ("identity_role_phone", "phone"),
                                                                                    ("identity_block", "80"), ("identity_warn", "95")])
            #expect(bad.status == .unprocessableContent && bad.html.contains(#"value="95""#) && bad.html.contains(#"<option value="phone" selected>"#))
            let none = try await admin.post("/admin/identity-rules?object=accounts", [("_csrf", csrf), ("identity_block", "90"), ("identity_warn", "60")])
            #expect(none.status == .unprocessableContent && none.html.contains("<li>fields: 此项必填</li>"))
            #expect(try await keel.identityRulesInForce("accounts").isDefault)

            let saved = try await admin.post("/admin/identity-rules?object=accounts", [("_csrf", csrf), ("identity_role_name", "company"),
                                                                                      ("identity_role_phone", "phone"), ("identity_block", "85"), ("identity_warn", "50")])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/admin/fields?object=accounts&done=1")
            let (rules, isDefault) = try await keel.identityRulesInForce("accounts")
            #expect(!isDefault && rules == IdentityRules(fields: [.init(field: "name", role: "company"), .init(field: "phone", role: "phone")], block: 0.85, warn: 0.5))
            #expect(try await admin.get("/admin/fields?object=accounts").html.contains("自定义规则</strong>: 公司名称 (公司全称)、电话 (电话)"))

            #expect(try await admin.post("/admin/identity-rules/reset?object=accounts", [("_csrf", csrf)]).status == .seeOther)
            #expect(try await keel.identityRulesInForce("accounts").isDefault)
        }
    }
}
