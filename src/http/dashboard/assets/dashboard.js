// Keyboard shortcuts for the Hearth dashboard: progressive enhancement only. Every action is
// also a link, button or form that works without this script.
(() => {
  const rows = Array.from(document.querySelectorAll('[data-row]'));
  let at = -1;

  const select = (index) => {
    if (rows.length === 0) return;
    at = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => {
      row.classList.toggle('selected', i === at);
      row.setAttribute('aria-selected', String(i === at));
    });
    const link = rows[at].querySelector('[data-open]');
    if (link) link.focus();
  };

  const selectedLink = () => (at >= 0 ? rows[at].querySelector('[data-open]') : null);

  const focusButton = (id) => {
    const button = document.getElementById(id);
    if (!button) return false;
    button.scrollIntoView({ block: 'center' });
    button.focus();
    return true;
  };

  const help = document.getElementById('help');
  const toggleHelp = () => {
    if (!help) return;
    help.open = !help.open;
    if (help.open) help.querySelector('summary').focus();
  };

  // An override's labels follow its action: allowing a post says nothing applies; any stricter
  // action starts from the policies the decision flagged. The moderator can still tick others.
  const action = document.getElementById('override-action');
  if (action) {
    const flagged = (action.dataset.flagged || '').split(' ').filter(Boolean);
    action.addEventListener('change', () => {
      for (const box of document.querySelectorAll('#override-form input[name="labels"]')) {
        box.checked = action.value !== 'allow' && flagged.includes(box.value);
      }
    });
  }

  if (rows.length > 0) {
    const first = rows.findIndex((row) => row.classList.contains('selected'));
    select(Math.max(first, 0));
  }
  if (location.hash === '#confirm') focusButton('confirm-button');
  if (location.hash === '#override') focusButton('override-button');

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]')) {
      if (event.key === 'Escape') target.blur();
      return;
    }
    const link = selectedLink();
    switch (event.key) {
      case 'j':
        select(at + 1);
        break;
      case 'k':
        select(at - 1);
        break;
      case 'Enter':
        // A focused link or button does its own thing; this covers a selection with focus elsewhere.
        if (target instanceof HTMLElement && target.closest('a, button, summary')) return;
        if (link) link.click();
        else return;
        break;
      case 'c':
        if (focusButton('confirm-button')) break;
        if (link) location.href = `${link.getAttribute('href')}#confirm`;
        else return;
        break;
      case 'o':
        if (focusButton('override-button')) break;
        if (link) location.href = `${link.getAttribute('href')}#override`;
        else return;
        break;
      case 'u':
        location.href = '/dashboard/queue';
        break;
      case '?':
        toggleHelp();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();
