/* The board's sorter and filter: plain JavaScript, no library, nothing loaded from the network.
   Click a column head to sort (again to reverse); type in a table's filter box to keep matching rows.
   The address keeps the state, so a link reproduces a view:
     index.html#sort=t-mit-3.0:css:desc&filter=t-mit-3.0:pa_pwm
   (sort=KEY:DIR without a table sorts every table that has the column). Missing values sort last. */
(function () {
  'use strict';

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function columnIndex(table, key) {
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].getAttribute('data-key') === key) { return i; }
    }
    return -1;
  }

  function cellValue(row, idx, numeric) {
    var cell = row.cells[idx];
    var text = cell ? cell.getAttribute('data-sort') : null;
    if (text === null) { text = cell ? cell.textContent.trim() : ''; }
    if (!numeric) { return text === '' ? null : text.toLowerCase(); }
    var x = parseFloat(text);
    return text === '' || isNaN(x) ? null : x;
  }

  function sortTable(table, key, dir) {
    var idx = columnIndex(table, key);
    if (idx < 0) { return false; }
    var heads = table.tHead.rows[0].cells;
    var numeric = heads[idx].getAttribute('data-type') === 'num';
    var sign = dir === 'desc' ? -1 : 1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { r.setAttribute('data-order', String(i)); });
    rows.sort(function (a, b) {
      var x = cellValue(a, idx, numeric), y = cellValue(b, idx, numeric);
      if (x === null || y === null) {
        if (x === null && y === null) { return a.getAttribute('data-order') - b.getAttribute('data-order'); }
        return x === null ? 1 : -1;
      }
      if (x < y) { return -sign; }
      if (x > y) { return sign; }
      return a.getAttribute('data-order') - b.getAttribute('data-order');
    });
    rows.forEach(function (r) { body.appendChild(r); });
    each(heads, function (h) { h.removeAttribute('aria-sort'); });
    heads[idx].setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
    table.setAttribute('data-sorted', key + ':' + dir);
    return true;
  }

  function filterTable(table, text) {
    var needle = text.toLowerCase(), shown = 0;
    each(table.tBodies[0].rows, function (r) {
      var keep = needle === '' || r.textContent.toLowerCase().indexOf(needle) >= 0;
      r.hidden = !keep;
      if (keep) { shown += 1; }
    });
    table.setAttribute('data-shown', String(shown));
  }

  function readState() {
    var state = {sort: {}, filter: {}};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq < 0) { return; }
      var name = decodeURIComponent(part.slice(0, eq));
      var bits = decodeURIComponent(part.slice(eq + 1)).split(':');
      if (name === 'sort' && bits.length === 3) { state.sort[bits[0]] = bits[1] + ':' + bits[2]; }
      if (name === 'sort' && bits.length === 2) { state.sort['*'] = bits[0] + ':' + bits[1]; }
      if (name === 'filter' && bits.length >= 2) { state.filter[bits[0]] = bits.slice(1).join(':'); }
    });
    return state;
  }

  function writeState(state) {
    var parts = [];
    Object.keys(state.sort).forEach(function (t) { parts.push('sort=' + encodeURIComponent(t + ':' + state.sort[t])); });
    Object.keys(state.filter).forEach(function (t) {
      if (state.filter[t] !== '') { parts.push('filter=' + encodeURIComponent(t + ':' + state.filter[t])); }
    });
    if (window.history && history.replaceState) { history.replaceState(null, '', parts.length ? '#' + parts.join('&') : '#'); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var state = readState();
    each(document.querySelectorAll('table.board'), function (table) {
      var id = table.id;
      each(table.tHead.rows[0].cells, function (head) {
        var key = head.getAttribute('data-key');
        if (!key) { return; }
        head.tabIndex = 0;
        var toggle = function () {
          var dir = table.getAttribute('data-sorted') === key + ':asc' ? 'desc' : 'asc';
          if (sortTable(table, key, dir)) { state.sort[id] = key + ':' + dir; delete state.sort['*']; writeState(state); }
        };
        head.addEventListener('click', toggle);
        head.addEventListener('keydown', function (e) { if (e.key === 'Enter') { toggle(); } });
      });
      var wanted = state.sort[id] || state.sort['*'];
      if (wanted) { sortTable(table, wanted.split(':')[0], wanted.split(':')[1]); }
      filterTable(table, state.filter[id] || '');
    });
    each(document.querySelectorAll('input.board-filter'), function (input) {
      var table = document.getElementById(input.getAttribute('data-table'));
      if (!table) { return; }
      input.value = state.filter[table.id] || '';
      input.addEventListener('input', function () {
        filterTable(table, input.value);
        state.filter[table.id] = input.value;
        writeState(state);
      });
    });
  });
})();
