// Runs in <head>, before the first paint: marks <html> English when the app will be (saved choice, else
// Lang::negotiate), so app.css shows #boot's English words and the app then paints nothing larger.
(function () {
  var lang = null;
  try { lang = JSON.parse(localStorage.getItem('ql.lang')); } catch (e) { /* negotiate */ }
  var tags = navigator.languages || [navigator.language || ''];
  for (var i = 0; !lang && i < tags.length; i++) {
    var tag = String(tags[i]).toLowerCase();
    lang = tag.indexOf('en') === 0 ? 'en' : tag.indexOf('zh') === 0 ? 'zh' : null;
  }
  if (lang === 'en') document.documentElement.lang = 'en';
})();
