import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    func registerImports(on pages: RouterGroup<KeelRequestContext>) {
        pages.get("imports") { request, _ in try await imports(request, error: nil, object: nil) }
        pages.post("imports/upload") { request, _ in try await uploadImport(request) }
        pages.post("imports/start") { request, context in try await startImport(request, context) }
        pages.get("imports/:id") { request, context in try await importJob(request, id: try context.parameters.require("id")) }
        pages.get("imports/:id/errors.csv") { request, context in
            let session = try await requireSession(request)
            return try await ImportReport.errorsResponse(try context.parameters.require("id"), imports: keel.imports, as: session.principal)
        }
        pages.get("imports/:id/duplicates.csv") { request, context in try await importDuplicates(request, id: try context.parameters.require("id")) }
        pages.post("imports/:id/run") { request, context in
            let session = try await requireSession(request)
            var request = request
            _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            let dry = try await keel.imports.job(try context.parameters.require("id"), as: session.principal)
            guard dry.dryRun, dry.status == .done, FileManager.default.fileExists(atPath: dry.path) else {
                throw KeelError(.conflict, code: "upload_gone", message: "The uploaded file is gone; upload it again.")
            }
            let job = try await keel.imports.start(path: dry.path, filename: dry.filename, plan: dry.plan, dryRun: false, as: session.principal)
            keel.imports.enqueue(job.id)
            return WebSupport.redirect("/imports/\(job.id)")
        }
        pages.post("imports/mappings/:id/delete") { request, context in
            let session = try await requireSession(request)
            var request = request
            _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            try await keel.imports.deleteMapping(try context.parameters.require("id"), as: session.principal)
            return WebSupport.redirect("/imports")
        }
        pages.post("imports/:id/revert") { request, context in
            let session = try await requireSession(request)
            var request = request
            _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            let job = try await keel.imports.beginRevert(try context.parameters.require("id"), as: session.principal)
            keel.imports.enqueueRevert(job.id)
            return WebSupport.redirect("/imports/\(job.id)")
        }
    }

    /// The objects the reader may import into: those they may create records of.
    func importableObjects(_ principal: Principal) async throws -> [ObjectDefinition] {
        var out: [ObjectDefinition] = []
        for object in try await keel.metadata.catalog().objects where !(try await keel.access.scope(principal, .create, object: object).plan.deniesAll) {
            out.append(object)
        }
        return out
    }

    /// 导入数据: the upload form and the newest imports; `error` says why the last upload was refused.
    func imports(_ request: Request, error: JSONValue?, object: String?) async throws -> Response {
        let session = try await requireSession(request)
        let t = Strings(web.language(request, session))
        let page = ImportsPage(objects: try await importableObjects(session.principal), chosen: object, jobs: try await keel.imports.jobs(as: session.principal),
                               mappings: try await keel.imports.mappings(object: nil, as: session.principal), reader: session.principal,
                               error: error.map { ImportsPage.fileProblem($0, t) }, csrf: session.csrf, t)
        return try await web.render(page, title: t["imports"], request: request, session: session, status: error == nil ? .ok : .unprocessableContent)
    }

    /// A file refused as a page says it: its code, and the row or the headers concerned.
    static func problem(_ error: KeelError) -> JSONValue {
        var out: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
        if let row = error.details["row"] { out["row"] = row }
        if let headers = error.details["headers"] { out["headers"] = headers }
        return .object(out)
    }

    /// The upload form: the file is kept and read whole, then its columns are shown to be mapped.
    func uploadImport(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        var request = request
        let path = try keel.imports.uploadPath(for: session.principal)
        let (filename, fields) = try await ImportsAPI.receive(&request, at: path, limit: Imports.maxUploadBytes, fields: ["object", "preset", "mapping", "_csrf"])
        guard WebSupport.constantTimeEqual(fields["_csrf"] ?? "", session.csrf), !session.csrf.isEmpty else {
            try? FileManager.default.removeItem(atPath: path)
            throw KeelError(.forbidden, code: "csrf_failed", message: "The form's CSRF token is missing or wrong.")
        }
        let object = fields["object"] ?? ""
        do {
            // A saved mapping chosen: its object, columns, values and duplicate handling (the file's encoding is detected).
            var plan = ImportPlan(object: object, preset: fields["preset"].flatMap(ImportPreset.init(rawValue:)))
            if let id = fields["mapping"], !id.isEmpty { plan = try await keel.imports.mapping(id, as: session.principal).plan }
            return try await mapping(request, session: session, path: path, filename: filename, plan: plan, error: nil)
        } catch let error as KeelError where error.kind == .unprocessable {
            try? FileManager.default.removeItem(atPath: path)
            return try await imports(request, error: Self.problem(error), object: object)
        }
    }

    /// The mapping page for an upload kept at `path`.
    func mapping(_ request: Request, session: WebSession, path: String, filename: String, plan: ImportPlan, saveAs: String = "", error: JSONValue?) async throws -> Response {
        let t = Strings(web.language(request, session))
        let object = try await keel.metadata.catalog().require(plan.object)
        let preview = try await keel.imports.preview(path: path, plan: plan, as: session.principal)
        let page = ImportMappingPage(upload: URL(fileURLWithPath: path).lastPathComponent, object: object, filename: filename, format: preview.format, encoding: preview.encoding,
                                     headers: preview.headers, fields: preview.fields, samples: preview.samples.map(\.cells), distinct: preview.distinct,
                                     sheets: preview.sheets, sheet: preview.sheet, rows: preview.rows, plan: plan,
                                     saveAs: saveAs, error: error.map { ImportsPage.fileProblem($0, t) }, csrf: session.csrf, t)
        return try await web.render(page, title: t["import_mapping"], request: request, session: session, status: error == nil ? .ok : .unprocessableContent)
    }

    /// The mapping form: the plan it says, then a dry run or the import itself, followed on the import's page.
    func startImport(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        var request = request
        let form = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        func value(_ name: String) -> String { form.last { $0.0 == name }?.1 ?? "" }
        guard let path = keel.imports.uploadedPath(value("upload"), for: session.principal) else {
            return try await imports(request, error: ["code": "upload_gone"], object: value("object"))
        }
        let object = try await keel.metadata.catalog().require(value("object"))
        var fields: [String: JSONValue] = ["onDuplicate": .string(value("onDuplicate")), "update": .string(value("update"))]
        for key in ["encoding", "preset", "sheet"] where !value(key).isEmpty { fields[key] = .string(value(key)) }
        var plan = try ImportPlan.parse(.object(fields), object: object)
        // The form names each column's header beside its field, so the file is not read again for them.
        for (key, field) in form where key.hasPrefix("column.") {
            let header = value("header." + key.dropFirst("column.".count))
            guard !header.isEmpty, field.isEmpty || object.field(field) != nil else { continue }
            plan.columns[header] = field
        }
        // Each picklist cell's option (`value.<column>.<n>`: the cell, `map.<column>.<n>`: the option; none: as it is).
        for (key, text) in form where key.hasPrefix("value.") {
            let id = key.dropFirst("value.".count), column = id.split(separator: ".").first.map(String.init) ?? ""
            let field = value("column." + column), option = value("map." + id)
            guard !text.isEmpty, !option.isEmpty, object.field(field)?.options?.contains(option) == true else { continue }
            plan.values[field, default: [:]][text] = option
        }
        if value("action") == "remap" {
            return try await mapping(request, session: session, path: path, filename: value("filename"), plan: plan, saveAs: value("saveAs"), error: nil)
        }
        do {
            if !value("saveAs").isEmpty {
                var saved = plan
                saved.encoding = nil
                _ = try await keel.imports.saveMapping(name: value("saveAs"), plan: saved, as: session.principal)
            }
            let job = try await keel.imports.start(path: path, filename: value("filename"), plan: plan, dryRun: value("action") == "dry", as: session.principal)
            keel.imports.enqueue(job.id)
            return WebSupport.redirect("/imports/\(job.id)")
        } catch let error as KeelError where error.kind == .unprocessable {
            return try await mapping(request, session: session, path: path, filename: value("filename"), plan: plan, saveAs: value("saveAs"), error: Self.problem(error))
        }
    }

    /// One import: progress, counts, problems, and what may be done next.
    func importJob(_ request: Request, id: String) async throws -> Response {
        let session = try await requireSession(request)
        let t = Strings(web.language(request, session))
        let job = try await keel.imports.job(id, as: session.principal)
        let object = try await keel.metadata.catalog().require(job.object)
        let problems = try await keel.imports.rows(job.id, outcomes: [.failed], limit: 100, as: session.principal)
        // The duplicates: each with the record it matched as the reader may see it, or the earlier row of the file.
        let decisions = try await keel.imports.rows(job.id, outcomes: ImportOutcome.duplicates, limit: 100, as: session.principal)
        let (names, earlierRows) = try await matches(of: decisions, in: job, object: object, as: session.principal)
        let started = ValueFormats.parseDateTime(job.createdAt) ?? Date()
        let page = ImportPage(job: job, object: object, problems: problems, decisions: decisions, names: names, earlierRows: earlierRows,
                              revertible: Date().timeIntervalSince(started) <= Double(Imports.revertDays) * 86_400,
                              mayDelete: !(try await keel.access.scope(session.principal, .delete, object: object).plan.deniesAll),
                              upload: FileManager.default.fileExists(atPath: job.path), csrf: session.csrf, t)
        return try await web.render(page, title: t["import_title"], request: request, session: session)
    }

    /// What duplicate rows repeat: the records they matched, named as the reader may know them, and the rows of the
    /// import that created those records.
    func matches(of rows: [ImportRowResult], in job: ImportJob, object: ObjectDefinition, as principal: Principal) async throws -> (ReferenceNames, [String: Int]) {
        let matched = Set(rows.compactMap(\.matchedID))
        return (try await referenceNames(matched.map { (object.name, $0) }, as: principal),
                try await keel.imports.rowsCreating(matched, in: job.id, as: principal))
    }

    /// Every duplicate row of an import, as the page lists the first of them, in the reader's language.
    func importDuplicates(_ request: Request, id: String) async throws -> Response {
        let session = try await requireSession(request)
        let t = Strings(web.language(request, session))
        let job = try await keel.imports.job(id, as: session.principal)
        let object = try await keel.metadata.catalog().require(job.object)
        let report = try ImportReport(header: [t["import_row"], t["import_decision"], t["import_matched"], t["import_changed_fields"]])
        try await ImportReport.each(of: job.id, ImportOutcome.duplicates, imports: keel.imports, as: session.principal) { rows in
            let (names, earlierRows) = try await matches(of: rows, in: job, object: object, as: session.principal)
            for d in ImportPage.decisions(rows, object: object, names: names, earlierRows: earlierRows, t) {
                try report.add([String(d.row), d.outcome, d.matched, d.fields])
            }
        }
        return ImportReport.response(report.data(), filename: "import-\(job.id)-duplicates.csv")
    }
}
