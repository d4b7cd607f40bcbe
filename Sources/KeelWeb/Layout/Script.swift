/// The one script: optional speed-ups over pages that work without it. Dragging a deal card onto another
/// column picks that stage in the card's own form and submits it, the same request the Move button sends.
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
        """
}
