import Mustache

/// The page templates. Mustache escapes every `{{value}}`; only `{{{content}}}`, which holds HTML rendered
/// from these same templates, and `{{{svg}}}`, which `Chart` renders with its texts escaped, are inserted raw.
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
            <nav aria-label="{{t.app}}"><ul>{{#pages}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/pages}}{{#nav}}<li><a href="/o/{{name}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}</ul></nav>
            <form method="get" action="/search" role="search" class="quick"><label for="quick-q" class="sr">{{t.search}}</label><input id="quick-q" name="q" type="search" placeholder="{{t.search_hint}}"></form>
            <div class="me">
            <form method="post" action="/locale" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="locale" value="{{otherLocale}}"><input type="hidden" name="next" value="{{path}}"><button type="submit" lang="{{otherLocale}}">{{t.switch_language}}</button></form>
            <span class="who">{{user}}</span>
            <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{t.sign_out}}</button></form>
            </div>
            {{/user}}
            </header>
            <main id="main">{{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}{{{content}}}</main>
            {{#watermark}}<div class="watermark" aria-hidden="true">{{#marks}}<span>{{watermark}}</span>{{/marks}}</div>{{/watermark}}
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
            <div class="bar"><h1>{{title}}</h1>{{#dedupHref}}<a class="button secondary" href="{{dedupHref}}">{{t.duplicate_review}}</a> {{/dedupHref}}{{#exportHref}}<a class="button secondary" href="{{exportHref}}">{{t.export_csv}}</a> {{/exportHref}}<a class="button" href="/o/{{object}}/new">{{t.new}}</a></div>
            <nav class="views" aria-label="{{t.views}}"><a href="{{allHref}}"{{^viewID}} aria-current="page"{{/viewID}}>{{t.all_records}}</a>{{#views}}
            <span class="view"><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{name}}</a>{{#shared}} <small>({{t.shared}})</small>{{/shared}}{{#deletable}}<form method="post" action="{{deleteAction}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="link" aria-label="{{t.delete_view}} {{name}}">×</button></form>{{/deletable}}</span>{{/views}}</nav>
            <form method="get" action="/o/{{object}}" class="filters">{{#viewID}}<input type="hidden" name="view" value="{{viewID}}">{{/viewID}}
            {{#filterRows}}<div class="filter-row">
            <label for="ff-{{index}}">{{t.field}}</label><select id="ff-{{index}}" name="ff"><option value=""></option>{{#fields}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/fields}}</select>
            <label for="fo-{{index}}">{{t.operator}}</label><select id="fo-{{index}}" name="fo">{{#ops}}<option value="{{op}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ops}}</select>
            <label for="fv-{{index}}">{{t.value}}</label><input id="fv-{{index}}" name="fv" value="{{fv}}"></div>{{/filterRows}}
            <details><summary>{{t.columns}}</summary><fieldset class="columns"><legend class="sr">{{t.columns}}</legend>{{#columnChoices}}<label><input type="checkbox" name="col" value="{{name}}"{{#checked}} checked{{/checked}}> {{label}}</label>{{/columnChoices}}</fieldset></details>
            <input type="hidden" name="sort" value="{{sort}}">
            <button type="submit">{{t.apply}}</button> <a href="{{allHref}}">{{t.clear}}</a>
            </form>
            {{#error}}<p class="errors" role="alert">{{error}}</p>{{/error}}
            <details class="save-view"><summary>{{t.save_view}}</summary>
            <form method="post" action="/o/{{object}}/views"><input type="hidden" name="_csrf" value="{{csrf}}">
            {{#stateColumns}}<input type="hidden" name="col" value="{{.}}">{{/stateColumns}}{{#stateFilters}}<input type="hidden" name="ff" value="{{field}}"><input type="hidden" name="fo" value="{{op}}"><input type="hidden" name="fv" value="{{value}}">{{/stateFilters}}
            <input type="hidden" name="sort" value="{{sort}}">
            <label for="view-name">{{t.view_name}}</label> <input id="view-name" name="name" maxlength="100" required>
            {{#canShare}}<label><input type="checkbox" name="shared" value="1"> {{t.share_with_everyone}}</label>{{/canShare}}
            <button type="submit">{{t.save}}</button></form></details>
            <p class="count">{{count}} {{t.records}}</p>
            <div class="table-wrap"><table><thead><tr>{{#columns}}<th scope="col"{{#ariaSort}} aria-sort="{{ariaSort}}"{{/ariaSort}}><a href="{{sortHref}}">{{label}}{{arrow}}</a></th>{{/columns}}</tr></thead>
            <tbody>{{#rows}}<tr>{{#cells}}<td>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}</td>{{/cells}}</tr>{{/rows}}
            {{^rows}}<tr><td colspan="{{columnCount}}">{{t.no_records}}</td></tr>{{/rows}}</tbody></table></div>
            <nav class="pager">{{#firstHref}}<a href="{{firstHref}}">{{t.first_page}}</a> {{/firstHref}}{{#nextHref}}<a href="{{nextHref}}" rel="next">{{t.next_page}}</a>{{/nextHref}}</nav>
            """,
        "record": """
            <div class="bar"><h1>{{title}}</h1>{{#relationshipsHref}}<a class="button secondary" href="{{relationshipsHref}}">{{t.relationships}}</a> {{/relationshipsHref}}<a class="button" href="/o/{{object}}/{{id}}/edit">{{t.edit}}</a></div>
            {{#closedStatus}}<p class="alert closed" role="alert">{{t.registry_closed}} {{closedStatus}}</p>{{/closedStatus}}
            {{#registryAction}}<form method="post" action="{{registryAction}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="secondary">{{t.check_registry}}</button></form>{{/registryAction}}
            {{#locked}}<p class="notice" role="status">🔒 {{t.record_locked}} <a href="/approvals">{{t.approvals}}</a></p>{{/locked}}
            {{^locked}}{{#hasProcesses}}<form method="post" action="/approvals" class="filters"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="object" value="{{object}}"><input type="hidden" name="record" value="{{id}}">
            <label for="ap-process">{{t.process}}</label><select id="ap-process" name="process">{{#processes}}<option value="{{id}}">{{label}}</option>{{/processes}}</select> <button type="submit">{{t.submit_for_approval}}</button></form>{{/hasProcesses}}{{/locked}}
            <div class="record">
            <div class="sections">{{#sections}}<section class="card"><h2>{{title}}</h2>
            <dl class="fields">{{#fields}}<div><dt>{{label}}</dt><dd>{{#href}}<a href="{{href}}">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</dd></div>{{/fields}}</dl></section>{{/sections}}
            {{#hasDuplicates}}<section class="card duplicates"><h2>{{t.possible_duplicates}}</h2><ul>
            {{#duplicates}}<li><a href="{{href}}">{{text}}</a>{{#mergeHref}} · <a href="{{mergeHref}}">{{t.merge}}</a>{{/mergeHref}}</li>{{/duplicates}}
            </ul></section>{{/hasDuplicates}}
            {{#hasMerges}}<section class="card merges"><h2>{{t.former_identities}}</h2><ul>
            {{#merges}}<li>{{#identities}}<div>{{.}}</div>{{/identities}}<small>{{t.merged_on}} {{date}}{{^active}} · {{t.merge_undone}} {{undone}}{{/active}}</small>
            {{#active}}<form method="post" action="{{undoAction}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="link">{{t.undo_merge}}</button></form>{{/active}}</li>{{/merges}}
            </ul></section>{{/hasMerges}}
            {{#hasRoles}}<section class="card roles"><h2>{{t.suggested_roles}}</h2><ul>
            {{#roles}}<li><strong>{{role}}</strong>: {{#people}}<a href="{{href}}">{{name}}</a> {{/people}}{{#vacant}}<span class="vacant">{{t.role_vacant}}</span> · <a href="{{addHref}}">{{t.add_contact}}</a>{{/vacant}}</li>{{/roles}}
            </ul></section>{{/hasRoles}}
            {{#related}}<section class="card related"><h2>{{title}} <small>({{count}})</small></h2>
            {{#hasRows}}<div class="table-wrap"><table><thead><tr>{{#columns}}<th scope="col">{{label}}</th>{{/columns}}</tr></thead>
            <tbody>{{#rows}}<tr>{{#cells}}<td>{{#href}}<a href="{{href}}">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</td>{{/cells}}</tr>{{/rows}}</tbody></table></div>{{/hasRows}}
            <p><a href="{{allHref}}">{{t.view_all}}</a> · <a href="{{newHref}}">{{t.new}}</a></p></section>{{/related}}
            </div>
            <section class="card history" aria-labelledby="h-history"><h2 id="h-history">{{t.history}}</h2>
            <ol class="timeline">{{#history}}<li><time datetime="{{at}}">{{at}}</time> <span class="actor">{{actor}}</span> {{operation}} <strong>{{field}}</strong>: <span class="old">{{old}}</span> → <span class="new">{{new}}</span> <span class="src">({{t.via}} {{source}})</span></li>{{/history}}</ol>
            </section>
            </div>
            """,
        "duplicates": """
            <h1>{{title}}</h1>
            {{#run}}<p class="run">{{t.last_run}} {{at}}: {{status}}{{^finished}} ({{done}} / {{total}}){{/finished}}{{#finished}} · {{t.records_checked}} {{records}} · {{t.clusters_found}} {{clusters}} · {{t.duplicate_rate}} {{rate}}{{/finished}} {{error}}</p>{{/run}}
            {{#canRun}}<form method="post" action="{{runAction}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{t.start_dedup}}</button></form>{{/canRun}}
            <h2>{{t.open_clusters}} ({{open}})</h2>
            {{^clusters}}<p>{{t.no_clusters}}</p>{{/clusters}}
            {{#clusters}}<section class="card cluster"><h3>{{t.match_score}} {{score}}%</h3>
            <form method="post" action="{{mergeAction}}"><input type="hidden" name="_csrf" value="{{csrf}}"><fieldset><legend>{{t.keep_record}}</legend>
            {{#records}}<div>{{^hidden}}<input type="radio" id="{{inputID}}" name="survivor" value="{{id}}"{{#first}} checked{{/first}}> <label for="{{inputID}}"><a href="{{href}}">{{name}}</a> <small>{{details}}</small></label>{{/hidden}}{{#hidden}}{{t.hidden_record}}{{/hidden}}</div>{{/records}}
            </fieldset>
            <ul class="evidence">{{#evidence}}<li>{{.}}</li>{{/evidence}}</ul>
            <button type="submit">{{t.merge}}</button> <button type="submit" formaction="{{distinctAction}}" class="secondary">{{t.not_duplicates}}</button></form></section>{{/clusters}}
            """,
        "relationships": """
            <h1>{{title}}</h1><p><a href="{{backHref}}">←</a> {{t.relationships_explain}}</p>
            {{#hasLinks}}<figure class="chart-box">{{{svg}}}</figure>
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.account}}</th><th scope="col">{{t.ties}}</th><th scope="col">{{t.hierarchy_suggestion}}</th></tr></thead><tbody>
            {{#links}}<tr><td><a href="{{href}}">{{name}}</a></td><td class="wrap">{{ties}}</td><td>{{suggestion}}</td></tr>{{/links}}</tbody></table></div>{{/hasLinks}}
            {{^hasLinks}}<p>{{t.no_relationships}}</p>{{/hasLinks}}
            """,
        "health": """
            <h1>{{title}}</h1><p>{{t.health_explain}} {{t.level_red}} &lt; {{red}} ≤ {{t.level_yellow}} &lt; {{yellow}} ≤ {{t.level_green}} · {{generatedAt}}</p>
            {{#objects}}<section class="card health {{level}}"><h2>{{name}} <small>{{records}} · {{t.completeness}} {{completeness}} ({{levelText}})</small></h2>
            <figure class="chart-box">{{{svg}}}</figure>
            {{#duplicateRate}}<p>{{t.duplicate_rate}}: {{duplicateRate}}</p>{{/duplicateRate}}
            {{#registry}}<p>{{t.registry_never}} {{never}} · {{t.registry_stale}} {{stale}} · <span class="vacant">{{t.registry_closed_count}} {{closed}}</span></p>{{/registry}}
            {{#missing}}<p class="vacant">{{.}}</p>{{/missing}}</section>{{/objects}}
            {{#settings}}<section class="card" id="health-settings"><h2>{{t.health_settings}}</h2>
            {{#hasErrors}}<div class="errors" role="alert"><p>{{t.fix_errors}}</p><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/hasErrors}}
            <form method="post" action="/health/settings"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="hs-red">{{t.health_red_below}}</label><input id="hs-red" name="red" type="number" min="0" max="100" value="{{red}}" required></div>
            <div class="field"><label for="hs-yellow">{{t.health_yellow_below}}</label><input id="hs-yellow" name="yellow" type="number" min="0" max="100" value="{{yellow}}" required></div>
            <fieldset class="field"><legend>{{t.health_recipients}}</legend>{{#recipients}}<label class="check" for="{{id}}"><input type="checkbox" id="{{id}}" name="recipient" value="{{value}}"{{#checked}} checked{{/checked}}> {{text}}</label> {{/recipients}}</fieldset>
            <div class="field"><label for="hs-cron">{{t.health_cron}}</label><input id="hs-cron" name="cron" value="{{cron}}" maxlength="100" required></div>
            <button type="submit">{{t.save}}</button></form></section>{{/settings}}
            """,
        "merge": """
            <h1>{{title}}</h1>
            <p>{{t.merge_explain}}</p>
            <form method="post" action="{{action}}"><input type="hidden" name="_csrf" value="{{csrf}}">
            {{#records}}{{#merged}}<input type="hidden" name="with" value="{{id}}">{{/merged}}<input type="hidden" name="v_{{id}}" value="{{version}}">{{/records}}
            {{^same}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.field}}</th>{{#records}}<th scope="col"><a href="{{href}}">{{label}}</a></th>{{/records}}</tr></thead><tbody>
            {{#rows}}<tr><th scope="row">{{label}}</th>{{#cells}}<td><input type="radio" id="{{inputID}}" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}}> <label for="{{inputID}}">{{text}}</label></td>{{/cells}}</tr>{{/rows}}
            </tbody></table></div>{{/same}}
            <button type="submit">{{t.merge}}</button> <a href="{{cancelHref}}">{{t.cancel}}</a></form>
            """,
        "form": """
            <h1>{{title}}</h1>
            {{#hasErrors}}<div class="errors" role="alert">{{t.fix_errors}}{{#formError}} {{formError}}{{/formError}}</div>{{/hasErrors}}
            {{#duplicates}}<div class="duplicate" role="alert">{{text}}{{#href}} <a href="{{href}}">{{t.open_existing}}</a>{{/href}}{{#mergeHref}} · <a href="{{mergeHref}}">{{t.merge}}</a>{{/mergeHref}}{{#absorbAction}} <button type="submit" form="record-form" formaction="{{absorbAction}}" class="secondary">{{t.merge_into_existing}}</button>{{/absorbAction}}</div>{{/duplicates}}
            <form method="post" action="{{action}}" id="record-form" novalidate>
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
        "home": """
            <h1>{{t.today}} <small>{{today}}</small></h1>
            <div class="cards">
            <section class="card" aria-labelledby="h-tasks"><h2 id="h-tasks">{{t.my_tasks}}</h2>
            <ul>{{#tasks}}<li{{#overdue}} class="overdue"{{/overdue}}><a href="{{href}}">{{subject}}</a> <time>{{due}}</time>{{#overdue}} <span class="tag">{{t.overdue}}</span>{{/overdue}}</li>{{/tasks}}</ul>
            {{^tasks}}<p class="muted">{{t.nothing_due}}</p>{{/tasks}}</section>
            <section class="card" aria-labelledby="h-leads"><h2 id="h-leads">{{t.my_new_leads}} <small>({{newLeadCount}})</small></h2>
            <ul>{{#leads}}<li><a href="{{href}}">{{name}}</a> {{company}} <span class="muted">{{channel}} · {{t.since}} {{since}}</span></li>{{/leads}}</ul>
            {{^leads}}<p class="muted">{{t.no_waiting_leads}}</p>{{/leads}}</section>
            <section class="card" aria-labelledby="h-deals"><h2 id="h-deals">{{t.my_open_deals}}</h2>
            <table><thead><tr><th scope="col">{{t.stage}}</th><th scope="col">{{t.deals}}</th><th scope="col">{{t.amount}}</th></tr></thead>
            <tbody>{{#stages}}<tr><td><a href="{{href}}">{{stage}}</a></td><td>{{count}}</td><td>{{amount}}</td></tr>{{/stages}}</tbody></table>
            {{^stages}}<p class="muted">{{t.no_open_deals}}</p>{{/stages}}</section>
            <section class="card wide" aria-labelledby="h-changes"><h2 id="h-changes">{{t.recent_changes}}</h2>
            <ol class="timeline">{{#changes}}<li><time datetime="{{at}}">{{at}}</time> <span class="actor">{{actor}}</span> · {{object}} <a href="{{href}}">{{title}}</a> <strong>{{field}}</strong>: <span class="old">{{old}}</span> → <span class="new">{{new}}</span></li>{{/changes}}</ol>
            {{^changes}}<p class="muted">{{t.no_changes}}</p>{{/changes}}</section>
            </div>
            """,
        "search": """
            <h1>{{t.search}}</h1>
            <form method="get" action="/search" role="search" class="filters"><label for="search-q">{{t.search_hint}}</label>
            <input id="search-q" name="q" type="search" value="{{q}}"> <button type="submit">{{t.search}}</button></form>
            {{#groups}}<section class="card"><h2>{{label}} <small>({{count}})</small></h2>
            <ul>{{#results}}<li><a href="{{href}}">{{title}}</a> <span class="muted">{{details}}</span></li>{{/results}}</ul></section>{{/groups}}
            {{#searched}}{{^groups}}<p class="muted">{{t.nothing_found}}</p>{{/groups}}{{/searched}}
            """,
        "board": """
            <div class="bar"><h1>{{t.board}}</h1>
            <p>{{#mineOnly}}<strong>{{t.my_deals}}</strong> · <a href="/board?owner=all">{{t.all_deals}}</a>{{/mineOnly}}{{^mineOnly}}<a href="/board">{{t.my_deals}}</a> · <strong>{{t.all_deals}}</strong>{{/mineOnly}}</p></div>
            <div class="board">{{#columns}}<section class="column" data-stage="{{stage}}" aria-labelledby="col-{{stage}}">
            <h2 id="col-{{stage}}">{{label}}</h2><p class="muted total">{{count}} · {{amount}}</p>
            {{#cards}}<article class="deal" id="card-{{id}}" draggable="true" data-card>
            <a href="{{href}}">{{title}}</a><div class="muted">{{account}}</div><div>{{amount}} <span class="muted">{{owner}}</span></div>
            <form method="post" action="/board/move"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{id}}"><input type="hidden" name="_version" value="{{version}}"><input type="hidden" name="next" value="{{back}}">
            <label for="stage-{{id}}" class="sr">{{t.stage}}</label><select id="stage-{{id}}" name="stage">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/options}}</select>
            <button type="submit">{{t.move}}</button></form></article>{{/cards}}
            {{#more}}<p class="muted">+{{more}}</p>{{/more}}
            </section>{{/columns}}</div>
            <script src="/static/keel.js" defer></script>
            """,
        "dashboard": """
            <h1>{{t.dashboard}}</h1>
            <div class="cards">{{#charts}}<section class="card"><h2>{{title}}</h2>{{{svg}}}</section>{{/charts}}</div>
            """,
        "access_request_form": """
            <h1>{{t.not_found}}</h1><p>{{t.not_found_or_hidden}}</p>
            <section class="card"><h2>{{t.request_access}}</h2>
            {{#hasErrors}}<div class="errors" role="alert"><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/hasErrors}}
            <form method="post" action="/access-requests"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="object" value="{{object}}"><input type="hidden" name="record" value="{{record}}">
            <div class="field"><label for="ar-approver">{{t.approver}}</label><select id="ar-approver" name="approver" required><option value=""></option>{{#approvers}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/approvers}}</select></div>
            <div class="field"><label for="ar-reason">{{t.reason}}</label><textarea id="ar-reason" name="reason" maxlength="500" required>{{reason}}</textarea></div>
            <button type="submit">{{t.send_request}}</button></form></section>
            """,
        "access_requests": """
            <h1>{{t.access_requests}}</h1>
            {{^hasRequests}}<p>{{t.no_requests}}</p>{{/hasRequests}}
            {{#hasRequests}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.record}}</th><th scope="col">{{t.requester}}</th><th scope="col">{{t.approver}}</th><th scope="col">{{t.reason}}</th><th scope="col">{{t.status}}</th><th scope="col">{{t.actions}}</th></tr></thead><tbody>
            {{#requests}}<tr><td><a href="{{record}}">{{object}}</a></td><td>{{requester}}</td><td>{{approver}}</td><td class="wrap">{{reason}}</td><td>{{status}}{{#expires}} <small>({{t.until}} {{expires}})</small>{{/expires}}</td>
            <td>{{#decide}}<form method="post" action="/access-requests/{{id}}/decision" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="decision" value="grant"><label for="h-{{id}}" class="sr">{{t.hours}}</label><select id="h-{{id}}" name="hours">{{#hours}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}} h</option>{{/hours}}</select> <button type="submit">{{t.grant}}</button></form>
            <form method="post" action="/access-requests/{{id}}/decision" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="decision" value="reject"><button type="submit">{{t.reject}}</button></form>{{/decide}}</td></tr>{{/requests}}
            </tbody></table></div>{{/hasRequests}}
            """,
        "step_up": """
            <section class="card narrow"><h1>{{t.step_up}}</h1><p>{{t.step_up_hint}}</p>
            {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
            <form method="post" action="/step-up"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="next" value="{{next}}">
            <div class="field"><label for="su-password">{{t.password}}</label><input id="su-password" name="password" type="password" autocomplete="current-password" required></div>
            <button type="submit">{{t.confirm}}</button></form></section>
            """,
        "admin_access": """
            <h1>{{t.admin_access}}</h1>{{> admin_tabs}}
            <section class="card"><h2>{{t.health_scan}}</h2>
            {{#hasFindings}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.finding}}</th><th scope="col">{{t.user}}</th><th scope="col">{{t.problem}}</th><th scope="col">{{t.suggested_fix}}</th></tr></thead><tbody>
            {{#findings}}<tr><td>{{kind}}</td><td>{{email}}</td><td class="wrap">{{message}}</td><td class="wrap">{{fix}}</td></tr>{{/findings}}</tbody></table></div>{{/hasFindings}}
            {{^hasFindings}}<p>{{t.no_findings}}</p>{{/hasFindings}}</section>
            <section class="card"><h2>{{t.explain}}</h2>
            <form method="get" action="/admin/access" class="filters">
            <label for="x-user">{{t.user}}</label><select id="x-user" name="user">{{#explainUsers}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/explainUsers}}</select>
            <label for="x-action">{{t.action}}</label><select id="x-action" name="action">{{#explainActions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/explainActions}}</select>
            <label for="x-object">{{t.object}}</label><select id="x-object" name="object">{{#explainObjects}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/explainObjects}}</select>
            <label for="x-record">{{t.record}} ID</label><input id="x-record" name="record" value="{{explainRecord}}">
            <button type="submit">{{t.explain}}</button></form>
            {{#explanation}}<p class="notice" role="status"><strong>{{decision}}</strong> — {{reason}}{{#masked}} · {{t.masked_fields}}: {{masked}}{{/masked}}</p>
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.policy}}</th><th scope="col">{{t.effect}}</th><th scope="col">{{t.matches}}</th><th scope="col">{{t.condition}}</th></tr></thead><tbody>
            {{#policies}}<tr><td>{{id}}</td><td>{{effect}}</td><td>{{matches}}</td><td class="wrap"><code>{{condition}}</code></td></tr>{{/policies}}</tbody></table></div>{{/explanation}}
            </section>
            <section class="card"><h2>{{t.policies}} <small>v{{version}}</small></h2><p class="muted">{{t.policies_hint}}</p>
            <form method="post" action="/admin/access"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="p-document">{{t.policy_document}}</label><textarea id="p-document" name="document" rows="24" class="code" spellcheck="false">{{document}}</textarea></div>
            <button type="submit">{{t.save}}</button></form></section>
            <section class="card"><h2>{{t.audit_log}}</h2><div class="table-wrap"><table><thead><tr><th scope="col">{{t.time}}</th><th scope="col">{{t.user}}</th><th scope="col">{{t.action}}</th><th scope="col">{{t.object}}</th><th scope="col">{{t.detail}}</th></tr></thead><tbody>
            {{#audit}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{object}} <small>{{record}}</small></td><td class="wrap"><code>{{detail}}</code></td></tr>{{/audit}}</tbody></table></div></section>
            """,
        "admin_automations": """
            <h1>{{t.admin_automations}}</h1>{{> admin_tabs}}
            {{#secret}}<p class="notice" role="status">{{t.webhook_secret_once}}: <code>{{secret}}</code></p>{{/secret}}
            <section class="card"><h2>{{t.automations}}</h2>
            {{^hasAutomations}}<p>{{t.no_automations}}</p>{{/hasAutomations}}
            {{#hasAutomations}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.name}}</th><th scope="col">{{t.object}}</th><th scope="col">{{t.trigger}}</th><th scope="col">{{t.version}}</th><th scope="col">{{t.status}}</th><th scope="col">{{t.runs}}</th><th scope="col">{{t.success_rate}}</th><th scope="col">{{t.actions}}</th></tr></thead><tbody>
            {{#automations}}<tr><td><code>{{id}}</code><br><small>{{label}}</small></td><td>{{object}}</td><td><code>{{trigger}}</code></td><td>v{{version}}</td><td>{{status}}{{#reason}}<br><small class="error">{{reason}}</small>{{/reason}}</td>
            <td>{{#runs}}✓ {{ok}} · ✗ {{failed}} · – {{skipped}} · … {{pending}}{{/runs}}</td><td>{{#runs}}{{rate}}{{/runs}}</td>
            <td><a href="/admin/automations/{{id}}/runs">{{t.run_log}}</a>
            <form method="post" action="/admin/automations/{{id}}/{{#active}}disable{{/active}}{{^active}}enable{{/active}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{#active}}{{t.disable}}{{/active}}{{^active}}{{t.enable}}{{/active}}</button></form></td></tr>{{/automations}}
            </tbody></table></div>{{/hasAutomations}}</section>
            <section class="card"><h2>{{t.publish_automation}}</h2><p class="muted">{{t.automation_hint}}</p>
            <form method="post" action="/admin/automations"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="a-definition">{{t.automation_definition}}</label><textarea id="a-definition" name="definition" rows="16" class="code" spellcheck="false">{{definition}}</textarea></div>
            <button type="submit" name="intent" value="dry-run">{{t.dry_run}}</button> <button type="submit" name="intent" value="publish">{{t.publish}}</button></form>
            {{#dryRun}}<h3>{{t.dry_run}}</h3><p role="status">{{t.would_run}}: {{wouldRun}} / {{evaluated}}</p>
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.record}}</th><th scope="col">{{t.condition}}</th><th scope="col">{{t.actions}}</th></tr></thead><tbody>
            {{#results}}<tr><td><code>{{id}}</code></td><td>{{condition}}</td><td class="wrap"><pre>{{effects}}</pre></td></tr>{{/results}}</tbody></table></div>{{/dryRun}}
            </section>
            <section class="card"><h2>{{t.approval_processes}}</h2>
            {{#hasProcesses}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.name}}</th><th scope="col">{{t.object}}</th><th scope="col">{{t.steps}}</th><th scope="col">{{t.version}}</th><th scope="col">{{t.status}}</th></tr></thead><tbody>
            {{#processes}}<tr><td><code>{{id}}</code></td><td>{{object}}</td><td>{{steps}}</td><td>v{{version}}</td><td>{{status}}{{#reason}}<br><small class="error">{{reason}}</small>{{/reason}}</td></tr>{{/processes}}</tbody></table></div>{{/hasProcesses}}
            <form method="post" action="/admin/approval-processes"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="ap-definition">{{t.process_definition}}</label><textarea id="ap-definition" name="process" rows="12" class="code" spellcheck="false">{{processDefinition}}</textarea></div>
            <button type="submit">{{t.publish}}</button></form></section>
            <section class="card"><h2>{{t.webhooks}}</h2>
            {{#hasEndpoints}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.name}}</th><th scope="col">URL</th><th scope="col">{{t.objects}}</th><th scope="col">{{t.events}}</th><th scope="col">{{t.status}}</th><th scope="col">{{t.deliveries}}</th><th scope="col">{{t.success_rate}}</th></tr></thead><tbody>
            {{#endpoints}}<tr><td><code>{{id}}</code></td><td class="wrap">{{url}}</td><td>{{objects}}</td><td>{{events}}</td><td>{{status}}</td><td><a href="/admin/webhooks/{{id}}/deliveries">{{#runs}}✓ {{ok}} · ✗ {{failed}} · … {{pending}}{{/runs}}</a></td><td>{{#runs}}{{rate}}{{/runs}}</td></tr>{{/endpoints}}</tbody></table></div>{{/hasEndpoints}}
            <form method="post" action="/admin/webhooks"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="w-id">{{t.api_name}}</label><input id="w-id" name="id" value="{{input.id}}" pattern="[A-Za-z0-9_-]+" maxlength="64" required></div>
            <div class="field"><label for="w-url">URL</label><input id="w-url" name="url" type="url" value="{{input.url}}" required></div>
            <div class="field"><label for="w-objects">{{t.objects}}</label><input id="w-objects" name="objects" value="{{input.objects}}" placeholder="*"></div>
            <div class="field"><label for="w-events">{{t.events}}</label><input id="w-events" name="events" value="{{input.events}}" placeholder="created, updated, deleted"></div>
            <div class="field"><label><input type="checkbox" name="allowPrivate" value="true"> {{t.allow_private}}</label></div>
            <button type="submit">{{t.create}}</button></form></section>
            <section class="card"><h2>{{t.working_calendar}}</h2><p class="muted">{{t.working_calendar_hint}}</p>
            <form method="post" action="/admin/calendar"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="cal">{{t.working_calendar}} (JSON)</label><textarea id="cal" name="calendar" rows="6" class="code" spellcheck="false">{{calendar}}</textarea></div>
            <button type="submit">{{t.save}}</button></form></section>
            <section class="card"><h2>{{t.dead_letters}}</h2>
            {{^hasDead}}<p>{{t.no_dead_letters}}</p>{{/hasDead}}
            {{#hasDead}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.time}}</th><th scope="col">{{t.endpoint}}</th><th scope="col">{{t.record}}</th><th scope="col">{{t.reason}}</th><th scope="col">{{t.actions}}</th></tr></thead><tbody>
            {{#dead}}<tr><td>{{at}}</td><td>{{endpoint}}</td><td><code>{{record}}</code></td><td class="wrap">{{error}}</td>
            <td><form method="post" action="/admin/webhooks/deliveries/{{id}}/replay" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{t.replay}}</button></form></td></tr>{{/dead}}</tbody></table></div>{{/hasDead}}</section>
            """,
        "admin_runs": """
            <h1>{{heading}}</h1><p><a href="/admin/automations">← {{t.admin_automations}}</a></p>
            {{^hasRuns}}<p>{{t.no_runs}}</p>{{/hasRuns}}
            {{#hasRuns}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.time}}</th><th scope="col">{{t.record}}</th><th scope="col">{{t.version}}</th><th scope="col">{{t.status}}</th><th scope="col">{{t.attempts}}</th><th scope="col">{{t.reason}}</th><th scope="col">{{t.run_log}}</th></tr></thead><tbody>
            {{#runs}}<tr><td>{{at}}</td><td>{{#record}}<a href="{{record}}">{{recordID}}</a>{{/record}}{{^record}}—{{/record}}</td><td>v{{version}}</td><td>{{status}}</td><td>{{attempts}}</td><td class="wrap">{{note}}</td><td class="wrap"><pre>{{log}}</pre></td></tr>{{/runs}}
            </tbody></table></div>{{/hasRuns}}
            """,
        "approvals": """
            <h1>{{t.approvals}}</h1>
            {{^hasRequests}}<p>{{t.no_approvals}}</p>{{/hasRequests}}
            {{#hasRequests}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.record}}</th><th scope="col">{{t.process}}</th><th scope="col">{{t.step}}</th><th scope="col">{{t.submitted_by}}</th><th scope="col">{{t.status}}</th><th scope="col">{{t.history}}</th><th scope="col">{{t.actions}}</th></tr></thead><tbody>
            {{#requests}}<tr><td><a href="{{record}}">{{object}}</a></td><td>{{process}} <small>v{{version}}</small></td><td>{{step}}</td><td>{{submitter}}</td><td>{{status}}</td>
            <td class="wrap">{{#decisions}}{{step}}: {{decision}} ({{actor}}){{#comment}} — {{comment}}{{/comment}}<br>{{/decisions}}</td>
            <td>{{#decide}}<form method="post" action="/approvals/{{id}}/decision" class="decision"><input type="hidden" name="_csrf" value="{{csrf}}">
            <label for="c-{{id}}" class="sr">{{t.comment}}</label><input id="c-{{id}}" name="comment" placeholder="{{t.comment}}" maxlength="500">
            <button type="submit" name="decision" value="approve">{{t.approve}}</button> <button type="submit" name="decision" value="reject">{{t.reject}}</button></form>{{/decide}}</td></tr>{{/requests}}
            </tbody></table></div>{{/hasRequests}}
            """,
        "notifications": """
            <h1>{{t.notifications}}</h1>
            {{^hasItems}}<p>{{t.no_notifications}}</p>{{/hasItems}}
            {{#hasItems}}<form method="post" action="/notifications/read"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{t.mark_all_read}}</button></form>
            <ul class="inbox">{{#items}}<li{{#unread}} class="unread"{{/unread}}>{{#href}}<a href="{{href}}">{{title}}</a>{{/href}}{{^href}}{{title}}{{/href}} <small>{{at}}</small></li>{{/items}}</ul>{{/hasItems}}
            """,
        "admin_tabs": """
            <nav class="views" aria-label="{{t.admin}}">{{#tabs}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
            {{#hasErrors}}<div class="errors" role="alert"><p>{{t.fix_errors}}</p><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/hasErrors}}
            """,
        "admin_users": """
            <h1>{{t.admin_users}}</h1>{{> admin_tabs}}
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.name}}</th><th scope="col">{{t.email}}</th><th scope="col">{{t.role}}</th><th scope="col">{{t.department}}</th><th scope="col">{{t.manager}}</th><th scope="col">{{t.status}}</th><th scope="col">{{t.actions}}</th></tr></thead><tbody>
            {{#users}}<tr><td>{{name}}</td><td>{{email}}</td>
            <td>{{^self}}<form method="post" action="/admin/users/{{id}}/role" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="role-{{id}}" class="sr">{{t.role}}</label><select id="role-{{id}}" name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/roles}}</select> <button type="submit">{{t.change}}</button></form>{{/self}}{{#self}}{{role}}{{/self}}</td>
            <td>{{department}}</td><td>{{manager}}</td><td>{{status}}</td>
            <td>{{^self}}<form method="post" action="/admin/users/{{id}}/status" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}">{{#frozen}}<input type="hidden" name="status" value="active"><button type="submit">{{t.unfreeze}}</button>{{/frozen}}{{^frozen}}<input type="hidden" name="status" value="frozen"><button type="submit">{{t.freeze}}</button>{{/frozen}}</form>{{/self}}</td></tr>{{/users}}
            </tbody></table></div>
            <section class="card"><h2>{{t.new_user}}</h2><form method="post" action="/admin/users"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="u-email">{{t.email}}</label><input id="u-email" name="email" type="email" value="{{input.email}}" required></div>
            <div class="field"><label for="u-name">{{t.name}}</label><input id="u-name" name="name" value="{{input.name}}"></div>
            <div class="field"><label for="u-password">{{t.password}}</label><input id="u-password" name="password" type="password" autocomplete="new-password" minlength="8" maxlength="64" required></div>
            <div class="field"><label for="u-role">{{t.role}}</label><select id="u-role" name="role">{{#roleOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/roleOptions}}</select></div>
            <div class="field"><label for="u-department">{{t.department}}</label><select id="u-department" name="department"><option value=""></option>{{#departmentOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/departmentOptions}}</select></div>
            <div class="field"><label for="u-manager">{{t.manager}}</label><select id="u-manager" name="manager"><option value=""></option>{{#managerOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/managerOptions}}</select></div>
            <button type="submit">{{t.create}}</button></form></section>
            """,
        "admin_departments": """
            <h1>{{t.admin_departments}}</h1>{{> admin_tabs}}
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.name}}</th><th scope="col">{{t.manager}}</th><th scope="col">{{t.members}}</th></tr></thead><tbody>
            {{#departments}}<tr><td>{{indent}}{{name}}</td><td>{{manager}}</td><td>{{members}}</td></tr>{{/departments}}</tbody></table></div>
            <section class="card"><h2>{{t.new_department}}</h2><form method="post" action="/admin/departments"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="d-name">{{t.name}}</label><input id="d-name" name="name" value="{{input.name}}" maxlength="100" required></div>
            <div class="field"><label for="d-parent">{{t.parent_department}}</label><select id="d-parent" name="parent"><option value=""></option>{{#parentOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/parentOptions}}</select></div>
            <div class="field"><label for="d-manager">{{t.manager}}</label><select id="d-manager" name="manager"><option value=""></option>{{#managerOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/managerOptions}}</select></div>
            <button type="submit">{{t.create}}</button></form></section>
            """,
        "admin_roles": """
            <h1>{{t.admin_roles}}</h1>{{> admin_tabs}}
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.role}}</th><th scope="col">{{t.role_can}}</th><th scope="col">{{t.members}}</th></tr></thead><tbody>
            {{#roles}}<tr><td>{{name}}</td><td class="wrap">{{can}}</td><td class="wrap">{{count}}{{#members}}: {{members}}{{/members}}</td></tr>{{/roles}}</tbody></table></div>
            """,
        "admin_fields": """
            <h1>{{t.admin_fields}}</h1>{{> admin_tabs}}
            <nav class="views" aria-label="{{t.objects}}">{{#objects}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/objects}}</nav>
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.api_name}}</th><th scope="col">{{t.label}}</th><th scope="col">{{t.type}}</th><th scope="col">{{t.required}}</th><th scope="col">{{t.options_or_target}}</th><th scope="col">{{t.sensitivity}}</th></tr></thead><tbody>
            {{#fields}}<tr><td><code>{{name}}</code>{{#custom}} <small>({{t.custom}})</small>{{/custom}}</td><td>{{label}}</td><td>{{type}}</td><td>{{required}}</td><td class="wrap">{{detail}}</td>
            <td><form method="post" action="/admin/fields/{{name}}/sensitivity?object={{object}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="sens-{{name}}" class="sr">{{t.sensitivity}} {{name}}</label><select id="sens-{{name}}" name="sensitivity">{{#levels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>L{{value}}</option>{{/levels}}</select> <button type="submit">{{t.change}}</button></form></td></tr>{{/fields}}</tbody></table></div>
            <section class="card"><h2>{{t.new_field}}</h2><form method="post" action="/admin/fields?object={{object}}"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="cf-name">{{t.api_name}}</label><input id="cf-name" name="name" value="{{input.name}}" pattern="[a-z][a-z0-9_]*" maxlength="63" required></div>
            <div class="field"><label for="cf-zh">{{t.label_zh}}</label><input id="cf-zh" name="label_zh" value="{{input.label_zh}}" maxlength="100"></div>
            <div class="field"><label for="cf-en">{{t.label_en}}</label><input id="cf-en" name="label_en" value="{{input.label_en}}" maxlength="100"></div>
            <div class="field"><label for="cf-type">{{t.type}}</label><select id="cf-type" name="type">{{#typeOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/typeOptions}}</select></div>
            <div class="field"><label for="cf-options">{{t.options_hint}}</label><textarea id="cf-options" name="options">{{input.options}}</textarea></div>
            <div class="field"><label for="cf-target">{{t.target_hint}}</label><select id="cf-target" name="target"><option value=""></option>{{#targetOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/targetOptions}}</select></div>
            <div class="field"><label for="cf-expression">{{t.formula_expression}}</label><textarea id="cf-expression" name="expression" class="code" spellcheck="false">{{input.expression}}</textarea></div>
            <div class="field"><label for="cf-result">{{t.result_type}}</label><select id="cf-result" name="resultType">{{#resultTypeOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/resultTypeOptions}}</select></div>
            <div class="field"><label><input type="checkbox" name="required" value="true"> {{t.required}}</label></div>
            <button type="submit">{{t.create}}</button></form></section>
            <section class="card"><h2>{{t.validation_rules}}</h2>
            {{#hasRules}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.api_name}}</th><th scope="col">{{t.rule_expression}}</th><th scope="col">{{t.rule_message}}</th></tr></thead><tbody>
            {{#rules}}<tr><td><code>{{name}}</code></td><td class="wrap"><code>{{expression}}</code></td><td class="wrap">{{message}}</td></tr>{{/rules}}</tbody></table></div>{{/hasRules}}
            {{^hasRules}}<p>{{t.no_rules}}</p>{{/hasRules}}
            <h3>{{t.new_rule}}</h3><form method="post" action="/admin/rules?object={{object}}"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="vr-name">{{t.api_name}}</label><input id="vr-name" name="rule_name" value="{{input.rule_name}}" pattern="[a-z][a-z0-9_]*" maxlength="63" required></div>
            <div class="field"><label for="vr-expression">{{t.rule_expression}}</label><textarea id="vr-expression" name="rule_expression" class="code" spellcheck="false" required>{{input.rule_expression}}</textarea></div>
            <div class="field"><label for="vr-message">{{t.rule_message}}</label><input id="vr-message" name="rule_message" value="{{input.rule_message}}" maxlength="500" required></div>
            <button type="submit">{{t.create}}</button></form></section>
            <section class="card"><h2>{{t.required_groups}}</h2>
            {{#hasGroups}}<div class="table-wrap"><table><thead><tr><th scope="col">{{t.api_name}}</th><th scope="col">{{t.group_label}}</th><th scope="col">{{t.group_when}}</th><th scope="col">{{t.fields}}</th><th scope="col">{{t.suggested_roles}}</th></tr></thead><tbody>
            {{#groups}}<tr><td><code>{{name}}</code></td><td>{{label}}</td><td class="wrap">{{when}}</td><td class="wrap">{{fields}}</td><td class="wrap">{{roles}}</td></tr>{{/groups}}</tbody></table></div>{{/hasGroups}}
            {{^hasGroups}}<p>{{t.no_groups}}</p>{{/hasGroups}}
            {{#templates}}<form method="post" action="/admin/templates" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="template" value="{{name}}"><button type="submit">{{t.apply_template}}: {{label}}</button></form>{{/templates}}
            <h3>{{t.new_group}}</h3><form method="post" action="/admin/required-groups?object={{object}}"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="rg-name">{{t.api_name}}</label><input id="rg-name" name="group_name" value="{{input.group_name}}" pattern="[a-z][a-z0-9_]*" maxlength="63" required></div>
            <div class="field"><label for="rg-label">{{t.group_label}}</label><input id="rg-label" name="group_label" value="{{input.group_label}}" maxlength="100"></div>
            <div class="field"><label for="rg-when">{{t.group_when}}</label><select id="rg-when" name="group_when_field"><option value="">{{t.always}}</option>{{#whenOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/whenOptions}}</select></div>
            <div class="field"><label for="rg-values">{{t.group_when_values}}</label><input id="rg-values" name="group_when_values" value="{{input.group_when_values}}" maxlength="500"></div>
            <fieldset class="field"><legend>{{t.fields}}</legend>{{#groupFieldOptions}}<label class="check"><input type="checkbox" name="group_field_{{name}}" value="1"{{#checked}} checked{{/checked}}> {{label}}</label> {{/groupFieldOptions}}</fieldset>
            <button type="submit">{{t.create}}</button></form></section>
            {{#identity}}<section class="card" id="identity"><h2>{{t.identity_rules}}</h2>
            <p>{{t.identity_rules_hint}}</p><p><strong>{{#isDefault}}{{t.identity_default}}{{/isDefault}}{{^isDefault}}{{t.identity_custom}}{{/isDefault}}</strong>: {{summary}}</p>
            <form method="post" action="/admin/identity-rules?object={{object}}"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.fields}}</th><th scope="col">{{t.match_role}}</th></tr></thead><tbody>
            {{#fields}}<tr><td><label for="ir-{{name}}">{{label}}</label></td><td><select id="ir-{{name}}" name="identity_role_{{name}}">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/roles}}</select></td></tr>{{/fields}}
            </tbody></table></div>
            <div class="field"><label for="ir-block">{{t.identity_block}}</label><input id="ir-block" name="identity_block" type="number" min="1" max="100" value="{{block}}" required></div>
            <div class="field"><label for="ir-warn">{{t.identity_warn}}</label><input id="ir-warn" name="identity_warn" type="number" min="1" max="100" value="{{warn}}" required></div>
            <button type="submit">{{t.save}}</button></form>
            {{^isDefault}}<form method="post" action="/admin/identity-rules/reset?object={{object}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{t.identity_reset}}</button></form>{{/isDefault}}
            </section>{{/identity}}
            """,
        "admin_objects": """
            <h1>{{t.admin_objects}}</h1>{{> admin_tabs}}
            <div class="table-wrap"><table><thead><tr><th scope="col">{{t.api_name}}</th><th scope="col">{{t.label_zh}}</th><th scope="col">{{t.label_en}}</th><th scope="col">{{t.custom}}</th><th scope="col">{{t.fields}}</th></tr></thead><tbody>
            {{#objects}}<tr><td><a href="{{listHref}}"><code>{{name}}</code></a></td><td>{{zh}}</td><td>{{en}}</td><td>{{custom}}</td><td><a href="{{fieldsHref}}">{{fieldCount}}</a></td></tr>{{/objects}}</tbody></table></div>
            <section class="card"><h2>{{t.new_object}}</h2><form method="post" action="/admin/objects"><input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="co-name">{{t.api_name_plural}}</label><input id="co-name" name="name" value="{{input.name}}" pattern="[a-z][a-z0-9_]*" maxlength="63" required></div>
            <div class="field"><label for="co-zh">{{t.label_zh}}</label><input id="co-zh" name="label_zh" value="{{input.label_zh}}" maxlength="100" required></div>
            <div class="field"><label for="co-en">{{t.label_en}}</label><input id="co-en" name="label_en" value="{{input.label_en}}" maxlength="100"></div>
            <button type="submit">{{t.create}}</button></form></section>
            """,
        "message": """
            <h1>{{title}}</h1><p>{{message}}</p>{{#back}}<p><a href="{{back}}">←</a></p>{{/back}}
            """,
    ]
}
