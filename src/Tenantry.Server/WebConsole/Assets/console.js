// Links in emails carry their token in the fragment (#token=...), which never reaches the server.
// Keep it in this tab's session storage (so that an invitation's token survives signing up or in first)
// and put it into the page's form: inputs marked data-fragment-token="<key>". Everything else in the
// console works without script.
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-fragment-token]");
  if (fields.length === 0) { return; }
  var key = "tenantry." + fields[0].getAttribute("data-fragment-token");
  var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  var token = null;
  try {
    if (match) {
      token = decodeURIComponent(match[1]);
      window.sessionStorage.setItem(key, token);
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    } else {
      token = window.sessionStorage.getItem(key);
    }
  } catch (e) {
    token = match ? decodeURIComponent(match[1]) : null;
  }
  if (!token) { return; }
  for (var i = 0; i < fields.length; i++) {
    if (!fields[i].value) { fields[i].value = token; }
  }
})();
