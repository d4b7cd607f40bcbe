/// The one script: optional speed-ups over pages that work without it. Dragging a deal card onto another
/// column picks that stage in the card's own form and submits it, the same request the Move button sends. Typing in
/// a reference field offers the records it may mean (the browser's own list, keyboard and all); choosing one puts its
/// id in the field, and without a choice the server reads what was typed.
public enum Script {
    public static let js = """
        document.addEventListener('dragstart', function (e) {
          var card = e.target.closest && e.target.closest('[data-card]');
          if (card) { e.dataTransfer.setData('text/plain', card.id); e.dataTransfer.effectAllowed = 'move'; }
        });
        document.addEventListener('dragover', function (e) {
          var column = e.target.closest && e.target.closest('[data-stage]');
          if (column) { e.preventDefault(); column.classList.add('over'); }
        });
        document.addEventListener('dragleave', function (e) {
          var column = e.target.closest && e.target.closest('[data-stage]');
          if (column) { column.classList.remove('over'); }
        });
        document.addEventListener('drop', function (e) {
          var column = e.target.closest && e.target.closest('[data-stage]');
          if (!column) { return; }
          e.preventDefault();
          var card = document.getElementById(e.dataTransfer.getData('text/plain'));
          if (!card || card.parentNode === column) { column.classList.remove('over'); return; }
          var form = card.querySelector('form');
          form.elements.stage.value = column.getAttribute('data-stage');
          column.appendChild(card);
          form.submit();
        });
        var pickTimer;
        document.addEventListener('input', function (e) {
          var input = e.target;
          if (!input.matches || !input.matches('input[data-pick]')) { return; }
          var id = input.previousElementSibling, list = document.getElementById(input.getAttribute('list'));
          var chosen = Array.prototype.find.call(list.options, function (o) { return o.value === input.value; });
          id.value = chosen ? chosen.getAttribute('data-id') : '';
          if (chosen || input.value.trim() === '') { return; }
          clearTimeout(pickTimer);
          pickTimer = setTimeout(function () {
            fetch(input.getAttribute('data-pick') + '?q=' + encodeURIComponent(input.value.trim()), { headers: { Accept: 'application/json' } })
              .then(function (r) { return r.ok ? r.json() : { data: [] }; })
              .then(function (body) {
                var seen = {};
                body.data.forEach(function (c) { seen[c.name] = (seen[c.name] || 0) + 1; });
                list.textContent = '';
                body.data.forEach(function (c) {
                  var o = document.createElement('option');
                  o.value = seen[c.name] > 1 && c.detail ? c.name + ' · ' + c.detail : c.name;
                  o.label = c.detail;
                  o.setAttribute('data-id', c.id);
                  list.appendChild(o);
                });
              });
          }, 150);
        });
        """
}
