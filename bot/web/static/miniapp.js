// Inside a Telegram Mini App: Telegram passes initData and its theme in the URL fragment
// (tgWebAppData, tgWebAppThemeParams). The theme is kept for the pages that follow; on the
// entry page the initData goes to the server, which checks its signature and signs in.
(function () {
  var hash = new URLSearchParams(location.hash.slice(1));
  var theme = hash.get("tgWebAppThemeParams");
  if (theme) { sessionStorage.setItem("tgTheme", theme); }
  theme = sessionStorage.getItem("tgTheme");
  if (theme) {
    try {
      var colours = JSON.parse(theme), root = document.documentElement.style;
      var names = { bg_color: "--bg", text_color: "--text", hint_color: "--hint", button_color: "--button", button_text_color: "--button-text" };
      Object.keys(names).forEach(function (key) { if (colours[key]) { root.setProperty(names[key], colours[key]); } });
    } catch (ignored) {}
  }
  var form = document.getElementById("miniapp");
  if (form) {
    form.elements["init_data"].value = hash.get("tgWebAppData") || "";
    form.submit();
  }
})();
