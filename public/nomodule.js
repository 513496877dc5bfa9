// Browsers without ES modules cannot run the app: show the readable fallback at once.
(function () {
  var loading = document.getElementById('boot-loading');
  var fallback = document.getElementById('boot-fallback');
  if (loading) loading.hidden = true;
  if (fallback) fallback.hidden = false;
})();
