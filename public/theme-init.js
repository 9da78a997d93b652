// Applies the remembered theme before React starts, so a dark theme does not flash white.
(function () {
  try {
    var t = localStorage.getItem('steward.theme') || 'system';
    var dark =
      t === 'dark' ||
      t === 'fallout' ||
      (t === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.setAttribute('data-mantine-color-scheme', dark ? 'dark' : 'light');
  } catch (e) {
    /* storage unavailable: keep the default */
  }
})();
