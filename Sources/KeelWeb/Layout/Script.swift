/// The one script: optional speed-ups over pages that work without it. Dragging a deal card onto another
/// column picks that stage in the card's own form and submits it, the same request the Move button sends. Typing in
/// a reference field offers the records it may mean (the browser's own list, keyboard and all); choosing one puts its
/// id in the field, and without a choice the server reads what was typed. Signed in, the page asks every 30 seconds
/// for unread notifications and shows each new one as a browser notification, once the user allowed them. A chosen
/// file's name shows beside the page's own "选择文件" button (the browser's file button speaks the browser's language).
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
        (function () {
          // A page showing work under way (an import's progress) reloads itself until the work is done.
          var running = document.querySelector('[data-reload]');
          if (running) { setTimeout(function () { location.reload(); }, 1000 * Number(running.getAttribute('data-reload'))); }
        })();
        (function () {
          var source = document.body.getAttribute('data-notify');
          if (!source || !('Notification' in window)) { return; }
          var offer = document.querySelector('.browser-alerts');
          if (offer && Notification.permission === 'default') {
            offer.hidden = false;
            offer.querySelector('button').addEventListener('click', function () {
              Notification.requestPermission().then(function () { offer.hidden = true; });
            });
          }
          function poll() {
            if (Notification.permission !== 'granted') { return; }
            fetch(source, { headers: { Accept: 'application/json' } }).then(function (r) { return r.ok ? r.json() : { items: [] }; })
              .then(function (body) {
                var shown = JSON.parse(localStorage.getItem('keel-shown') || '[]');
                body.items.forEach(function (n) {
                  if (shown.indexOf(n.id) >= 0) { return; }
                  shown.push(n.id);
                  var note = new Notification('Keel', { body: n.title, tag: n.id });
                  note.onclick = function () { window.focus(); location.href = n.href; };
                });
                localStorage.setItem('keel-shown', JSON.stringify(shown.slice(-200)));
              });
          }
          poll();
          setInterval(poll, 30000);
        })();
        var pickTimer;
        document.addEventListener('change', function (e) {
          var input = e.target, shown = input.matches && input.matches('input[type=file]') && document.querySelector('.file-name[data-for="' + input.id + '"]');
          if (shown && input.files.length) { shown.textContent = input.files[0].name; }
        });
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
