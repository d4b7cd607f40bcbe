import Mustache

/// The page templates. Mustache escapes every `{{value}}`; only `{{{content}}}`, which holds HTML rendered
/// from these same templates, is inserted raw.
public struct Templates: Sendable {
    let library: MustacheLibrary

    public init() {
        var library = MustacheLibrary()
        for (name, text) in Self.sources {
            // The templates are constants of this file: a parse error is a programming error caught by every test.
            try! library.register(text, named: name)
        }
        self.library = library
    }

    /// Renders `template` with `context` inside the layout.
    public func page(_ template: String, _ context: [String: Any], layout: [String: Any]) -> String {
        var outer = layout
        outer["content"] = library.render(context, withTemplate: template) ?? ""
        return library.render(outer, withTemplate: "layout") ?? ""
    }

    static let sources: [String: String] = [
        "layout": """
            <!doctype html>
            <html lang="{{lang}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}} · Keel</title><link rel="stylesheet" href="/static/keel.css"></head>
            <body>
            <header class="top">
            <a class="brand" href="/">Keel</a>
            {{#user}}
            <nav aria-label="{{t.app}}"><ul>{{#nav}}<li><a href="/o/{{name}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}</ul></nav>
            <div class="me">
            <form method="post" action="/locale" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="locale" value="{{otherLocale}}"><input type="hidden" name="next" value="{{path}}"><button type="submit" lang="{{otherLocale}}">{{t.switch_language}}</button></form>
            <span class="who">{{user}}</span>
            <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{t.sign_out}}</button></form>
            </div>
            {{/user}}
            </header>
            <main id="main">{{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}{{{content}}}</main>
            </body>
            </html>
            """,
        "login": """
            <section class="login"><h1>{{t.sign_in}}</h1>
            {{#error}}<p class="errors" role="alert">{{error}}</p>{{/error}}
            <form method="post" action="/login"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="next" value="{{next}}">
            <div class="field"><label for="email">{{t.email}}</label><input id="email" name="email" type="email" autocomplete="username" value="{{email}}" required></div>
            <div class="field"><label for="password">{{t.password}}</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
            <button type="submit">{{t.sign_in}}</button></form></section>
            """,
        "list": """
            <div class="bar"><h1>{{title}}</h1><a class="button" href="/o/{{object}}/new">{{t.new}}</a></div>
            <form method="get" action="/o/{{object}}" class="filters">
            <label for="ff">{{t.field}}</label><select id="ff" name="ff">{{#filterFields}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filterFields}}</select>
            <label for="fo">{{t.operator}}</label><select id="fo" name="fo">{{#ops}}<option value="{{op}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ops}}</select>
            <label for="fv">{{t.value}}</label><input id="fv" name="fv" value="{{fv}}">
            <button type="submit">{{t.filter}}</button> <a href="/o/{{object}}">{{t.clear}}</a>
            </form>
            <p class="count">{{count}} {{t.records}}</p>
            <div class="table-wrap"><table><thead><tr>{{#columns}}<th scope="col"><a href="{{sortHref}}">{{label}}{{arrow}}</a></th>{{/columns}}</tr></thead>
            <tbody>{{#rows}}<tr>{{#cells}}<td>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}</td>{{/cells}}</tr>{{/rows}}
            {{^rows}}<tr><td colspan="{{columnCount}}">{{t.no_records}}</td></tr>{{/rows}}</tbody></table></div>
            <nav class="pager">{{#firstHref}}<a href="{{firstHref}}">{{t.first_page}}</a> {{/firstHref}}{{#nextHref}}<a href="{{nextHref}}" rel="next">{{t.next_page}}</a>{{/nextHref}}</nav>
            """,
        "record": """
            <div class="bar"><h1>{{title}}</h1><a class="button" href="/o/{{object}}/{{id}}/edit">{{t.edit}}</a></div>
            <dl class="fields">{{#fields}}<div><dt>{{label}}</dt><dd>{{#href}}<a href="{{href}}">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</dd></div>{{/fields}}</dl>
            <section aria-labelledby="h-history"><h2 id="h-history">{{t.history}}</h2>
            <ol class="timeline">{{#history}}<li><time datetime="{{at}}">{{at}}</time> <span class="actor">{{actor}}</span> {{operation}} <strong>{{field}}</strong>: <span class="old">{{old}}</span> → <span class="new">{{new}}</span> <span class="src">({{t.via}} {{source}})</span></li>{{/history}}</ol>
            </section>
            """,
        "form": """
            <h1>{{title}}</h1>
            {{#hasErrors}}<div class="errors" role="alert">{{t.fix_errors}}{{#formError}} {{formError}}{{/formError}}</div>{{/hasErrors}}
            <form method="post" action="{{action}}" novalidate>
            <input type="hidden" name="_csrf" value="{{csrf}}">{{#version}}<input type="hidden" name="_version" value="{{version}}">{{/version}}
            {{#fields}}<div class="field{{#error}} invalid{{/error}}">
            <label for="f-{{name}}">{{label}}{{#required}} <abbr title="required">*</abbr>{{/required}}</label>
            {{#isTextarea}}<textarea id="f-{{name}}" name="{{name}}"{{#error}} aria-invalid="true" aria-describedby="e-{{name}}"{{/error}}>{{value}}</textarea>{{/isTextarea}}
            {{#isSelect}}<select id="f-{{name}}" name="{{name}}"{{#error}} aria-invalid="true" aria-describedby="e-{{name}}"{{/error}}><option value=""></option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/options}}</select>{{/isSelect}}
            {{#isChecks}}<fieldset id="f-{{name}}"><input type="hidden" name="_multi" value="{{name}}">{{#options}}<label><input type="checkbox" name="{{name}}" value="{{value}}"{{#selected}} checked{{/selected}}> {{text}}</label>{{/options}}</fieldset>{{/isChecks}}
            {{#isInput}}<input id="f-{{name}}" name="{{name}}" type="{{inputType}}" value="{{value}}"{{#step}} step="{{step}}"{{/step}}{{#placeholder}} placeholder="{{placeholder}}"{{/placeholder}}{{#error}} aria-invalid="true" aria-describedby="e-{{name}}"{{/error}}>{{/isInput}}
            {{#error}}<p class="error" id="e-{{name}}">{{error}}</p>{{/error}}
            </div>{{/fields}}
            <div class="actions"><button type="submit">{{t.save}}</button> <a href="{{cancelHref}}">{{t.cancel}}</a></div>
            </form>
            """,
        "message": """
            <h1>{{title}}</h1><p>{{message}}</p>{{#back}}<p><a href="{{back}}">←</a></p>{{/back}}
            """,
    ]
}
