import Mustache

/// What a page's template reads, as a type: each page declares the struct its template fills, and names the template.
/// A template reads the struct's stored properties by name (`{{title}}`, `{{#rows}}…{{/rows}}`); `{{t.key}}` reads the
/// reader's texts, which every page has beside its own values.
public protocol PageContext {
    static var template: Template { get }
}

/// A page's values with the reader's texts beside them: the root a template is rendered with.
struct PageScope: MustacheParent {
    let t: Strings
    let page: Any

    func child(named name: String) -> Any? {
        if name == "t" { return t }
        guard let value = Mirror(reflecting: page).children.first(where: { $0.label == name })?.value else { return nil }
        // An absent optional is no value, as Mustache treats it on any other struct.
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional ? mirror.children.first?.value : value
    }
}

/// `{{t.key}}`: the text for `key` in the reader's language.
extension Strings: MustacheParent {
    public func child(named name: String) -> Any? {
        text(name)
    }
}
