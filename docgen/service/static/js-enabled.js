// Runs first in <body>, as the GOV.UK template's inline script does; a file, because the
// page's Content-Security-Policy allows no inline script.
document.body.className += ' js-enabled' +
  ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
