"""One router per area of the API: templates, render, lint, issue, register, and the page."""
