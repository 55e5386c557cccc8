// The search page's live results send only the filters that are set, so that the
// address bar (pushed by htmx) and a bookmarked search stay short and readable.
document.addEventListener("htmx:configRequest", function (event) {
  if (!event.target || event.target.id !== "search-form") return;
  var params = event.detail.parameters;
  if (params && typeof params.entries === "function" && typeof params.delete === "function") {
    Array.from(params.entries()).forEach(function (pair) {
      if (pair[1] === "") params.delete(pair[0]);
    });
  } else if (params) {
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  }
});
