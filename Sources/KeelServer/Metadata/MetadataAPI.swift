import Hummingbird
import KeelCore
import KeelEngine

/// `/api/v1/metadata/objects`: object and field definitions; changes need an admin.
struct MetadataAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("metadata/objects") { _, context in
            _ = try context.requirePrincipal()
            return APIResponse.json(["data": .array(try await keel.metadata.catalog().objects.map(\.json))])
        }
        group.post("metadata/objects") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let object = try await keel.metadata.addObject(.object(body), as: try context.requirePrincipal())
            return APIResponse.json(object.json, status: .created, headers: [.location: "/api/v1/metadata/objects/\(object.name)"])
        }
        group.get("metadata/objects/:object") { _, context in
            _ = try context.requirePrincipal()
            return APIResponse.json(try await keel.metadata.catalog().require(try context.parameters.require("object")).json)
        }
        group.get("metadata/objects/:object/fields") { _, context in
            _ = try context.requirePrincipal()
            let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
            return APIResponse.json(["data": .array(object.fields.map(\.json))])
        }
        group.post("metadata/objects/:object/fields") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let field = try await keel.metadata.addField(to: try context.parameters.require("object"), .object(body),
                                                         as: try context.requirePrincipal())
            return APIResponse.json(field.json, status: .created)
        }
        group.get("metadata/objects/:object/validation-rules") { _, context in
            _ = try context.requirePrincipal()
            let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
            return APIResponse.json(["data": .array(object.validationRules.map(\.json))])
        }
        group.post("metadata/objects/:object/validation-rules") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let rule = try await keel.metadata.addValidationRule(to: try context.parameters.require("object"), .object(body),
                                                                 as: try context.requirePrincipal())
            return APIResponse.json(rule.json, status: .created)
        }
        group.get("metadata/objects/:object/required-groups") { _, context in
            _ = try context.requirePrincipal()
            let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
            return APIResponse.json(["data": .array(object.requiredGroups.map(\.json))])
        }
        group.post("metadata/objects/:object/required-groups") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let group = try await keel.metadata.addRequiredGroup(to: try context.parameters.require("object"), .object(body),
                                                                 as: try context.requirePrincipal())
            return APIResponse.json(group.json, status: .created)
        }
        group.delete("metadata/objects/:object/required-groups/:name") { _, context in
            try await keel.metadata.deleteRequiredGroup(from: try context.parameters.require("object"), name: try context.parameters.require("name"),
                                                        as: try context.requirePrincipal())
            return APIResponse.json(["deleted": .string(try context.parameters.require("name"))])
        }
        group.get("metadata/objects/:object/identity-rules") { _, context in
            _ = try context.requirePrincipal()
            return APIResponse.json(try await keel.identityRules(try context.parameters.require("object")))
        }
        group.put("metadata/objects/:object/identity-rules") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.setIdentityRules(try context.parameters.require("object"), .object(body), by: try context.requirePrincipal()))
        }
        group.delete("metadata/objects/:object/identity-rules") { _, context in
            APIResponse.json(try await keel.setIdentityRules(try context.parameters.require("object"), nil, by: try context.requirePrincipal()))
        }
        group.post("metadata/templates/:template/apply") { _, context in
            let applied = try await keel.metadata.applyTemplate(try context.parameters.require("template"), as: try context.requirePrincipal())
            return APIResponse.json(applied)
        }
        group.post("metadata/objects/:object/dry-run") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let kind = body["kind"]?.stringValue ?? "formula"
            guard ["formula", "validation_rule"].contains(kind), let expression = body["expression"]?.stringValue else {
                throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"expression\", \"kind\": \"formula\"|\"validation_rule\", \"sample\": 1…500}.")
            }
            let run = try await keel.records.dryRun(try context.parameters.require("object"), expression: expression, rule: kind == "validation_rule",
                                                    sample: try body.integer("sample", in: 1...ListQuery.maxLimit, default: 100), as: try context.requirePrincipal())
            return APIResponse.json(run.json)
        }
        group.patch("metadata/objects/:object") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.metadata.setSensitivity(object: try context.parameters.require("object"), field: nil,
                                                                          .object(body), as: try context.requirePrincipal()))
        }
        group.get("health/master-data") { _, context in
            APIResponse.json(try await keel.health.report(as: try context.requirePrincipal()))
        }
        group.get("settings/health-report") { _, context in
            _ = try context.requirePrincipal()
            return APIResponse.json(try await keel.health.settings().json)
        }
        group.put("settings/health-report") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.health.setSettings(.object(body), by: try context.requirePrincipal()).json)
        }
        group.get("settings/calendar") { _, _ in
            APIResponse.json(try await keel.metadata.catalog().calendar.json)
        }
        group.put("settings/calendar") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.metadata.setCalendar(.object(body), by: try context.requirePrincipal()).json)
        }
        group.delete("metadata/objects/:object/fields/:field") { _, context in
            let disabled = try await keel.deleteField(object: try context.parameters.require("object"), field: try context.parameters.require("field"),
                                                      by: try context.requirePrincipal())
            return APIResponse.json(["deleted": .string(try context.parameters.require("field")), "disabled": .array(disabled.map(JSONValue.string))])
        }
        group.patch("metadata/objects/:object/fields/:field") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            if let expression = body["expression"]?.stringValue, body.count == 1 {
                return APIResponse.json(try await keel.metadata.changeFormula(object: try context.parameters.require("object"),
                                                                             field: try context.parameters.require("field"), expression: expression,
                                                                             as: try context.requirePrincipal()).json)
            }
            return APIResponse.json(try await keel.metadata.setSensitivity(object: try context.parameters.require("object"),
                                                                          field: try context.parameters.require("field"),
                                                                          .object(body), as: try context.requirePrincipal()))
        }
    }
}
