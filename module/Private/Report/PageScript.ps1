# The script of every report page (HtmlPage.ps1 appends it before </body>): each table.data
# sorts by the column whose heading is clicked (again: the other way), by number, by state (in the
# table's data-state-order, failures first) or as text (one Intl.Collator: a 12,000-row table sorts
# in about a second), and filters on one column with the select above it (id <table>-filter). The
# reader's sort and filter are kept in the tab (window.name), so a page that reloads itself while
# Wait-SPOCrossTenantContentMove rewrites it comes back as it was left.
#
# It sits in a CDATA section (commented out for HTML), so the page stays well-formed XML.

$script:SpoReportScript = @'
<script>
//<![CDATA[
(function () {
  'use strict';
  // The reader's choices live in window.name, which lasts as long as the tab and survives the
  // page's own reloads: Chromium was seen to read a file:// page's sessionStorage empty after a
  // meta refresh, and a refresh drops the address's fragment. Kept per page, as JSON.
  var page = location.pathname;
  function choices() {
    try { var all = JSON.parse(window.name || '{}'); if (all && typeof all === 'object') { return all; } } catch (e) { }
    return {};
  }
  function remember(key, value) {
    var all = choices();
    var mine = all[page] || {};
    mine[key] = value;
    all[page] = mine;
    window.name = JSON.stringify(all);
  }
  function recall(key) {
    var mine = choices()[page];
    return mine && Object.prototype.hasOwnProperty.call(mine, key) ? mine[key] : null;
  }
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  function compare(a, b, kind, order) {
    if (kind === 'state') {
      var x = order.indexOf(a), y = order.indexOf(b);
      if (x < 0) { x = order.length; } if (y < 0) { y = order.length; }
      if (x !== y) { return x - y; }
    } else if (kind === 'number') {
      var m = parseFloat(a), n = parseFloat(b);
      if (isNaN(m)) { m = -1; } if (isNaN(n)) { n = -1; }
      if (m !== n) { return m - n; }
    }
    return collator.compare(a, b);
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.data'), function (table) {
    var body = table.tBodies[0];
    var headers = table.tHead.rows[0].cells;
    var order = (table.getAttribute('data-state-order') || '').split(' ');
    var select = document.getElementById(table.id + '-filter');
    function sortBy(column, ascending) {
      var kind = headers[column].getAttribute('data-sort');
      var rows = Array.prototype.slice.call(body.rows);
      var keyed = rows.map(function (row, index) { return { row: row, key: row.cells[column].textContent, index: index }; });
      keyed.sort(function (a, b) {
        var result = compare(a.key, b.key, kind, order);
        if (result === 0) { return a.index - b.index; }
        return ascending ? result : -result;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (item) { fragment.appendChild(item.row); });
      body.appendChild(fragment);
      Array.prototype.forEach.call(headers, function (header) { header.classList.remove('sorted-up', 'sorted-down'); });
      headers[column].classList.add(ascending ? 'sorted-up' : 'sorted-down');
      remember(table.id + '.sort', column + ':' + (ascending ? 'up' : 'down'));
    }
    function filter(value) {
      Array.prototype.forEach.call(body.rows, function (row) {
        row.hidden = value !== '' && row.getAttribute('data-state') !== value;
      });
      remember(table.id + '.filter', value);
    }
    Array.prototype.forEach.call(headers, function (header, column) {
      header.addEventListener('click', function () {
        sortBy(column, !header.classList.contains('sorted-up'));
      });
    });
    if (select) {
      select.addEventListener('change', function () { filter(select.value); });
    }
    var savedSort = recall(table.id + '.sort');
    if (savedSort) {
      var parts = savedSort.split(':');
      var column = parseInt(parts[0], 10);
      if (column >= 0 && column < headers.length) { sortBy(column, parts[1] === 'up'); }
    }
    var savedFilter = recall(table.id + '.filter');
    if (select && savedFilter !== null) {
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === savedFilter; });
      if (known) { select.value = savedFilter; filter(savedFilter); }
    }
  });
})();
//]]>
</script>
'@
