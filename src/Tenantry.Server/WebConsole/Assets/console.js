// The invitation link carries its token in the fragment (#token=...), which never reaches the server.
// Keep it in this tab's session storage, so that it survives signing up or in first, and put it into
// the invitation form. Everything else in the console works without script.
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-invitation-token]");
  if (fields.length === 0) { return; }
  var id = fields[0].getAttribute("data-invitation-token");
  var key = "tenantry.invitation." + id;
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
