import KeelCore

/// The admin pages: users (create, role, freeze/unfreeze), departments, roles, custom fields and custom objects.
/// A form that fails comes back with every problem listed and what was typed kept (`input`).
public enum AdminPage {
    public static let tabs = ["users", "departments", "roles", "fields", "objects", "access", "automations", "lead-routing", "pipelines"]

    /// What every admin tab shows above its own content: the tabs, and why the last form was refused.
    public struct Frame {
        var tabs: [Link]
        var errors: [String]
        var hasErrors: Bool

        init(_ tab: String, _ t: Strings, violations: [Violation]) {
            tabs = AdminPage.tabs.map { Link("/admin/\($0)", t["admin_" + $0], current: $0 == tab) }
            errors = violations.map { "\($0.field): \(t.violation($0))" }
            hasErrors = !violations.isEmpty
        }
    }

    public struct Users: PageContext {
        public static let template = Template.adminUsers

        struct Row {
            var id, name, email, role, department, manager, status: String
            var frozen: Bool
            /// The reader's own row: no role change, no freezing oneself.
            var isMe: Bool
            var roles: [Option]
        }

        var frame: Frame
        var csrf: String
        var input: [String: String]
        var users: [Row]
        var roleOptions, departmentOptions, managerOptions: [Option]

        public init(_ users: [User], departments: [Department], me: String, _ t: Strings, csrf: String,
                    violations: [Violation] = [], input: [String: String] = [:]) {
            let departmentNames = Dictionary(uniqueKeysWithValues: departments.map { ($0.id, $0.name) })
            let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
            (frame, self.csrf, self.input) = (Frame("users", t, violations: violations), csrf, input)
            self.users = users.map { u in
                Row(id: u.id, name: u.name, email: u.email, role: t["role_" + u.role.rawValue],
                    department: u.departmentID.flatMap { departmentNames[$0] } ?? "—", manager: u.managerID.flatMap { names[$0] } ?? "—",
                    status: t["status_" + u.status.rawValue], frozen: u.status == .frozen, isMe: u.id == me,
                    roles: Role.allCases.map { Option($0.rawValue, t["role_" + $0.rawValue], selected: $0 == u.role) })
            }
            roleOptions = Role.allCases.map { Option($0.rawValue, t["role_" + $0.rawValue], selected: $0.rawValue == (input["role"] ?? "member")) }
            departmentOptions = departments.map { Option($0.name, $0.name, selected: $0.name == input["department"]) }
            managerOptions = users.filter { $0.status == .active }.map { Option($0.email, $0.name, selected: $0.email == input["manager"]) }
        }
    }

    public struct Departments: PageContext {
        public static let template = Template.adminDepartments

        struct Row {
            var name: String
            /// "— " per level below the top.
            var indent: String
            var manager: String
            var members: Int
        }

        var frame: Frame
        var csrf: String
        var input: [String: String]
        var departments: [Row] = []
        var parentOptions, managerOptions: [Option]

        public init(_ departments: [Department], users: [User], _ t: Strings, csrf: String,
                    violations: [Violation] = [], input: [String: String] = [:]) {
            let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
            (frame, self.csrf, self.input) = (Frame("departments", t, violations: violations), csrf, input)
            parentOptions = departments.map { Option($0.id, $0.name, selected: $0.id == input["parent"]) }
            managerOptions = users.filter { $0.status == .active }.map { Option($0.id, $0.name, selected: $0.id == input["manager"]) }
            // Depth-first, so that each department follows its parent, indented by its depth.
            var rows: [Row] = []
            func visit(_ parent: String?, depth: Int) {
                for d in departments.filter({ $0.parentID == parent }).sorted(by: { $0.name < $1.name }) {
                    rows.append(Row(name: d.name, indent: String(repeating: "— ", count: depth), manager: d.managerID.flatMap { names[$0] } ?? "—",
                                    members: users.filter { $0.departmentID == d.id }.count))
                    visit(d.id, depth: depth + 1)
                }
            }
            visit(nil, depth: 0)
            self.departments = rows
        }
    }

    public struct Roles: PageContext {
        public static let template = Template.adminRoles

        struct Row {
            var name, can: String
            var count: Int
            var members: String
        }

        var frame: Frame
        var roles: [Row]

        public init(_ users: [User], _ t: Strings) {
            frame = Frame("roles", t, violations: [])
            roles = Role.allCases.map { role in
                let members = users.filter { $0.role == role }
                return Row(name: t["role_" + role.rawValue], can: t["role_" + role.rawValue + "_can"], count: members.count,
                           members: members.map(\.name).joined(separator: "、"))
            }
        }
    }

    public struct Objects: PageContext {
        public static let template = Template.adminObjects

        struct Row {
            var name, zh, en, custom: String
            var fieldCount: Int
            var fieldsHref, listHref: String
        }

        var frame: Frame
        var csrf: String
        var input: [String: String]
        var objects: [Row]

        public init(_ objects: [ObjectDefinition], _ t: Strings, csrf: String, violations: [Violation] = [], input: [String: String] = [:]) {
            (frame, self.csrf, self.input) = (Frame("objects", t, violations: violations), csrf, input)
            self.objects = objects.map { o in
                Row(name: o.name, zh: o.labels.zhCN, en: o.labels.en, custom: o.isCustom ? t["yes"] : t["no"],
                    fieldCount: o.fields.count, fieldsHref: "/admin/fields?object=\(o.name)", listHref: "/o/\(o.name)")
            }
        }
    }

    /// What the identity-rules form shows: the rules in force, whether they are Keel's defaults, the roles to choose from.
    public struct IdentitySettings {
        public var rules: IdentityRules
        public var isDefault: Bool
        public var roles: [String]

        public init(rules: IdentityRules, isDefault: Bool, roles: [String]) { (self.rules, self.isDefault, self.roles) = (rules, isDefault, roles) }
    }
}
