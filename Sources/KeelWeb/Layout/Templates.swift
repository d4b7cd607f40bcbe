import Mustache

/// Every page template and partial: `Templates/<Capability>/<name>.mustache`, compiled into the binary (a copied
/// `keel` needs no folder beside it). A template the code names but no file holds does not compile; a file without a
/// case here fails `TemplateTests`.
public enum Template: String, CaseIterable, Sendable {
    case accessRequestForm = "access_request_form"
    case accessRequests = "access_requests"
    case adminAccess = "admin_access"
    case adminDepartments = "admin_departments"
    case adminFields = "admin_fields"
    case adminObjects = "admin_objects"
    case adminRoles = "admin_roles"
    case adminTabs = "admin_tabs"
    case adminUsers = "admin_users"
    case login
    case stepUp = "step_up"
    case adminAutomations = "admin_automations"
    case adminRuns = "admin_runs"
    case approvals
    case notifications
    case home
    case csrf
    case layout
    case message
    case duplicates
    case health
    case merge
    case relationships
    case board
    case forecast
    case followUps = "follow_ups"
    case adminPipelines = "admin_pipelines"
    case fieldRow = "field_row"
    case form
    case list
    case record
    case quickLog = "quick_log"
    case leadConvert = "lead_convert"
    case adminLeadRouting = "admin_lead_routing"
    case leadInbox = "lead_inbox"
    case leadResponse = "lead_response"
    case search
    case dashboard
    case imports
    case importMapping = "import_mapping"
    case importJob = "import_job"
    case quoteLines = "quote_lines"
    case reconciliation

    var source: [UInt8] {
        switch self {
        case .accessRequestForm: PackageResources.access_request_form_mustache
        case .accessRequests: PackageResources.access_requests_mustache
        case .adminAccess: PackageResources.admin_access_mustache
        case .adminDepartments: PackageResources.admin_departments_mustache
        case .adminFields: PackageResources.admin_fields_mustache
        case .adminObjects: PackageResources.admin_objects_mustache
        case .adminRoles: PackageResources.admin_roles_mustache
        case .adminTabs: PackageResources.admin_tabs_mustache
        case .adminUsers: PackageResources.admin_users_mustache
        case .login: PackageResources.login_mustache
        case .stepUp: PackageResources.step_up_mustache
        case .adminAutomations: PackageResources.admin_automations_mustache
        case .adminRuns: PackageResources.admin_runs_mustache
        case .approvals: PackageResources.approvals_mustache
        case .notifications: PackageResources.notifications_mustache
        case .home: PackageResources.home_mustache
        case .csrf: PackageResources.csrf_mustache
        case .layout: PackageResources.layout_mustache
        case .message: PackageResources.message_mustache
        case .duplicates: PackageResources.duplicates_mustache
        case .health: PackageResources.health_mustache
        case .merge: PackageResources.merge_mustache
        case .relationships: PackageResources.relationships_mustache
        case .board: PackageResources.board_mustache
        case .fieldRow: PackageResources.field_row_mustache
        case .form: PackageResources.form_mustache
        case .list: PackageResources.list_mustache
        case .record: PackageResources.record_mustache
        case .quickLog: PackageResources.quick_log_mustache
        case .leadConvert: PackageResources.lead_convert_mustache
        case .adminLeadRouting: PackageResources.admin_lead_routing_mustache
        case .leadInbox: PackageResources.lead_inbox_mustache
        case .leadResponse: PackageResources.lead_response_mustache
        case .forecast: PackageResources.forecast_mustache
        case .followUps: PackageResources.follow_ups_mustache
        case .adminPipelines: PackageResources.admin_pipelines_mustache
        case .search: PackageResources.search_mustache
        case .dashboard: PackageResources.dashboard_mustache
        case .imports: PackageResources.imports_mustache
        case .importMapping: PackageResources.import_mapping_mustache
        case .importJob: PackageResources.import_job_mustache
        case .quoteLines: PackageResources.quote_lines_mustache
        case .reconciliation: PackageResources.reconciliation_mustache
        }
    }
}

/// The templates, parsed once. Mustache escapes every `{{value}}`; only `{{{content}}}`, which holds HTML rendered
/// from these same templates, and `{{{svg}}}`, which `Chart` renders with its texts escaped, are inserted raw. Partials
/// (`{{> csrf}}`, `{{> field_row}}`, `{{> admin_tabs}}`) are templates like any other.
public struct Templates: Sendable {
    let library: MustacheLibrary

    public init() {
        var library = MustacheLibrary()
        for template in Template.allCases {
            // The templates are part of the binary: a parse error is a programming error that every page test meets.
            try! library.register(String(decoding: template.source, as: UTF8.self), named: template.rawValue)
        }
        self.library = library
    }

    /// Renders `template` with `object` as its root (partials and tests).
    func render(_ template: Template, _ object: Any) -> String {
        // Every case is registered in `init`, so the library has it.
        library.render(object, withTemplate: template.rawValue)!
    }

    /// Renders a page's template with its context and the reader's texts.
    public func render(_ context: some PageContext, _ t: Strings) -> String {
        render(type(of: context).template, PageScope(t: t, page: context))
    }

    /// A whole HTML page: the page's template inside the layout.
    public func page(_ context: some PageContext, _ t: Strings, layout: LayoutPage) -> String {
        var outer = layout
        outer.content = render(context, t)
        return render(outer, t)
    }
}
