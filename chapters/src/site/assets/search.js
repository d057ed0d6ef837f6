// Search over the course's sections, in the browser, from the index built with the site (assets/search-index.js).
/* global window, document, MiniSearch */
(function () {
  var input = document.getElementById('search-input');
  var list = document.getElementById('search-results');
  var data = window.DECAYLAB_SEARCH;
  var search = MiniSearch.loadJSON(data.index, data.options);

  function item(href, heading, chapter) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = href;
    a.textContent = heading;
    li.appendChild(a);
    var where = document.createElement('span');
    where.className = 'where';
    where.textContent = chapter;
    li.appendChild(where);
    return li;
  }

  input.addEventListener('input', function () {
    var query = input.value.trim();
    list.replaceChildren();
    list.hidden = query === '';
    if (list.hidden) return;
    var hits = search.search(query, { prefix: true, fuzzy: 0.2, boost: { heading: 3 } }).slice(0, 12);
    if (hits.length === 0) {
      var none = document.createElement('li');
      none.className = 'none';
      none.textContent = 'No section mentions that.';
      list.appendChild(none);
    }
    hits.forEach(function (h) {
      list.appendChild(item(h.href, h.heading, h.chapter));
    });
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') {
      input.value = '';
      list.hidden = true;
    }
  });
})();
