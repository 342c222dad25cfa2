// The tone-check page: send the letter to POST /v1/lint, highlight each finding in the
// text, offer each suggested rewrite as a one-click change, and download the report.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

initAll()

const form = document.getElementById('tone-form')
const letter = document.getElementById('letter')
const upload = document.getElementById('upload')
const documentType = document.getElementById('document-type')
const tokenGroup = document.getElementById('token-group')
const token = document.getElementById('token')
const checkButton = document.getElementById('check')
const results = document.getElementById('results')
const resultsHeading = document.getElementById('results-heading')
const summary = document.getElementById('results-summary')
const highlighted = document.getElementById('highlighted')
const readability = document.getElementById('readability')
const findingsList = document.getElementById('findings')
const notices = document.getElementById('notices')
const errorSummary = document.getElementById('error-summary')
const errorList = document.getElementById('error-list')

const needsToken = document.body.dataset.lintAccess === 'token'
if (needsToken) tokenGroup.hidden = false

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', suggestion: 'Suggestion' }
const SEVERITY_RANK = { error: 3, warning: 2, suggestion: 1 }
const READABILITY_LABEL = {
  words: 'Words',
  sentences: 'Sentences',
  paragraphs: 'Paragraphs',
  average_sentence_length: 'Average words in a sentence',
  flesch_reading_ease: 'Flesch reading ease (higher is easier)',
  flesch_kincaid_grade: 'Flesch-Kincaid grade (US school year)'
}

let lastReport = null
let lastText = ''

// --- requests -------------------------------------------------------------------------

function headers (extra) {
  const result = Object.assign({}, extra)
  if (needsToken && token.value.trim()) result.Authorization = 'Bearer ' + token.value.trim()
  return result
}

async function call (url, options) {
  let response
  try {
    response = await fetch(url, options)
  } catch (error) {
    throw new Error('The service could not be reached. Check your connection and try again.')
  }
  const body = await response.json().catch(() => null)
  if (!response.ok) {
    const message = body && body.error ? body.error.message
      : 'The service could not check the letter (status ' + response.status + ').'
    const problem = new Error(message)
    problem.status = response.status
    throw problem
  }
  return body
}

async function loadDocumentTypes () {
  try {
    const templates = await call('/v1/templates', {})
    const seen = new Set()
    for (const template of templates) {
      if (seen.has(template.lint_profile)) continue
      seen.add(template.lint_profile)
      const option = document.createElement('option')
      option.value = template.lint_profile
      option.textContent = template.title
      documentType.append(option)
    }
  } catch (error) {
    // The list only narrows the rules; checking still works without it.
  }
}

// --- errors ---------------------------------------------------------------------------

function clearErrors () {
  errorSummary.hidden = true
  errorList.replaceChildren()
  for (const id of ['letter', 'upload', 'token']) {
    const group = document.getElementById(id + '-group')
    group.classList.remove('govuk-form-group--error')
    document.getElementById(id + '-error').hidden = true
    const field = document.getElementById(id)
    field.classList.remove('govuk-textarea--error', 'govuk-file-upload--error',
      'govuk-input--error')
    field.setAttribute('aria-describedby', id + '-hint')
  }
}

function showError (fieldId, message) {
  const group = document.getElementById(fieldId + '-group')
  const error = document.getElementById(fieldId + '-error')
  const field = document.getElementById(fieldId)
  group.classList.add('govuk-form-group--error')
  error.querySelector('.message').textContent = message
  error.hidden = false
  const kind = field.tagName === 'TEXTAREA' ? 'govuk-textarea--error'
    : field.type === 'file' ? 'govuk-file-upload--error' : 'govuk-input--error'
  field.classList.add(kind)
  field.setAttribute('aria-describedby', fieldId + '-hint ' + fieldId + '-error')
  const item = document.createElement('li')
  const link = document.createElement('a')
  link.href = '#' + fieldId
  link.textContent = message
  link.addEventListener('click', (event) => {
    event.preventDefault()
    field.focus()
  })
  item.append(link)
  errorList.append(item)
  errorSummary.hidden = false
  errorSummary.focus()
}

function fieldFor (status) {
  return (status === 401 || status === 403) && needsToken ? 'token' : 'letter'
}

// --- checking -------------------------------------------------------------------------

async function check () {
  clearErrors()
  const text = letter.value
  if (!text.trim()) {
    showError('letter', 'Enter the text of the letter, or upload a file')
    return
  }
  if (needsToken && !token.value.trim()) {
    showError('token', 'Enter your API token')
    return
  }
  checkButton.disabled = true
  checkButton.setAttribute('aria-disabled', 'true')
  try {
    const report = await call('/v1/lint', {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ text, document_type: documentType.value || null })
    })
    lastReport = report
    lastText = text
    showReport(report, text)
  } catch (error) {
    showError(fieldFor(error.status), error.message)
  } finally {
    checkButton.disabled = false
    checkButton.removeAttribute('aria-disabled')
  }
}

async function readUpload () {
  clearErrors()
  const file = upload.files[0]
  if (!file) return
  if (needsToken && !token.value.trim()) {
    showError('token', 'Enter your API token before uploading a file')
    return
  }
  const body = new FormData()
  body.append('file', file)
  if (documentType.value) body.append('document_type', documentType.value)
  try {
    const extracted = await call('/v1/extract', { method: 'POST', headers: headers({}), body })
    letter.value = extracted.text
    if (extracted.document_type && !documentType.value) {
      documentType.value = extracted.document_type
    }
    await check()
  } catch (error) {
    showError(error.status === 401 || error.status === 403 ? fieldFor(error.status) : 'upload',
      error.message)
  }
}

// --- showing the report ---------------------------------------------------------------

// Lines and columns from the linter count characters (code points), 1-based; JavaScript
// strings count UTF-16 units. Map one to the other.
function offsetsFor (text) {
  const lines = text.split('\n')
  const starts = []
  let at = 0
  for (const line of lines) {
    starts.push(at)
    at += line.length + 1
  }
  return function offset (line, column) {
    const index = Math.min(Math.max(line, 1), lines.length) - 1
    const codePoints = Array.from(lines[index])
    const prefix = codePoints.slice(0, Math.max(column - 1, 0)).join('')
    return starts[index] + prefix.length
  }
}

function spansFor (findings, text) {
  const offset = offsetsFor(text)
  return findings.map((finding, index) => ({
    index,
    finding,
    start: offset(finding.line, finding.column),
    end: offset(finding.end_line, finding.end_column)
  }))
}

function labelFor (span) {
  const link = document.createElement('a')
  link.className = 'tone-mark__label tone-mark__label--' + span.finding.severity
  link.href = '#finding-' + (span.index + 1)
  link.textContent = SEVERITY_LABEL[span.finding.severity] + ' ' + (span.index + 1)
  link.setAttribute('aria-label', SEVERITY_LABEL[span.finding.severity] + ' ' +
    (span.index + 1) + ': ' + span.finding.message)
  return link
}

// Marks nest when one finding lies inside another (a harsh phrase in a long sentence);
// a finding that only overlaps the end of another is cut at that end.
function renderHighlights (text, spans) {
  const visible = spans.filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end)
  const root = { start: 0, end: text.length, children: [] }
  const stack = [root]
  for (const span of visible) {
    const node = { ...span, children: [] }
    while (stack.length > 1 && stack[stack.length - 1].end <= node.start) stack.pop()
    const parent = stack[stack.length - 1]
    node.end = Math.min(node.end, parent.end)
    parent.children.push(node)
    stack.push(node)
  }
  function build (node, into) {
    let cursor = node.start
    for (const child of node.children) {
      if (child.start > cursor) into.append(text.slice(cursor, child.start))
      const mark = document.createElement('mark')
      mark.className = 'tone-mark tone-mark--' + child.finding.severity
      mark.id = 'mark-' + (child.index + 1)
      build(child, mark)
      mark.append(labelFor(child))
      into.append(mark)
      cursor = Math.max(cursor, child.end)
    }
    if (cursor < node.end) into.append(text.slice(cursor, node.end))
  }
  highlighted.replaceChildren()
  build(root, highlighted)
}

function plural (count, word) {
  return count + ' ' + word + (count === 1 ? '' : 's')
}

function showReport (report, text) {
  const file = report.files[0]
  const findings = file.findings
  const counts = report.summary
  summary.textContent = findings.length === 0
    ? 'We found nothing to change. The letter reads as courteous and clear.'
    : 'We found ' + [plural(counts.errors, 'error'), plural(counts.warnings, 'warning'),
        plural(counts.suggestions, 'suggestion')].join(', ') + '. Errors must be ' +
      'changed before the letter is issued; a reviewer decides on warnings.'

  const spans = spansFor(findings, text)
  renderHighlights(text, spans)

  readability.replaceChildren()
  for (const [key, label] of Object.entries(READABILITY_LABEL)) {
    if (!(key in file.readability)) continue
    const row = document.createElement('div')
    row.className = 'govuk-summary-list__row'
    const dt = document.createElement('dt')
    dt.className = 'govuk-summary-list__key'
    dt.textContent = label
    const dd = document.createElement('dd')
    dd.className = 'govuk-summary-list__value'
    dd.textContent = String(file.readability[key])
    row.append(dt, dd)
    readability.append(row)
  }

  findingsList.replaceChildren()
  spans.forEach((span) => findingsList.append(findingItem(span)))

  notices.replaceChildren()
  for (const notice of file.notices || []) {
    const p = document.createElement('p')
    p.className = 'govuk-body-s govuk-hint'
    p.textContent = 'Note: ' + notice
    notices.append(p)
  }
  results.hidden = false
  resultsHeading.focus()
}

function findingItem (span) {
  const { finding, index } = span
  const item = document.createElement('li')
  item.className = 'tone-finding tone-finding--' + finding.severity
  item.id = 'finding-' + (index + 1)
  item.tabIndex = -1

  const heading = document.createElement('h4')
  heading.className = 'govuk-heading-s tone-finding__heading'
  const tag = document.createElement('strong')
  tag.className = 'govuk-tag ' + ({
    error: 'govuk-tag--red', warning: 'govuk-tag--orange', suggestion: 'govuk-tag--blue'
  }[finding.severity] || 'govuk-tag--grey')
  tag.textContent = SEVERITY_LABEL[finding.severity] + ' ' + (index + 1)
  heading.append(tag, ' ', finding.match ? '“' + shorten(finding.match) + '”' : 'The whole letter')
  item.append(heading)

  const message = document.createElement('p')
  message.className = 'govuk-body'
  message.textContent = finding.message
  item.append(message)

  const meta = document.createElement('p')
  meta.className = 'govuk-body-s govuk-hint'
  meta.textContent = 'Rule ' + finding.rule + ', line ' + finding.line + ', column ' + finding.column
  item.append(meta)

  const replaceable = span.end > span.start
  for (const suggestion of finding.suggestions) {
    const wrapper = document.createElement('div')
    wrapper.className = 'tone-finding__suggestion'
    const text = document.createElement('p')
    text.className = 'govuk-body govuk-!-margin-bottom-2'
    text.textContent = 'Suggested: “' + suggestion + '”'
    wrapper.append(text)
    if (replaceable) {
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-2'
      button.textContent = 'Use this wording'
      const hidden = document.createElement('span')
      hidden.className = 'govuk-visually-hidden'
      hidden.textContent = ' for ' + SEVERITY_LABEL[finding.severity].toLowerCase() + ' ' + (index + 1)
      button.append(hidden)
      button.addEventListener('click', () => applySuggestion(span, suggestion))
      wrapper.append(button)
    }
    item.append(wrapper)
  }

  if (span.end > span.start) {
    const back = document.createElement('a')
    back.className = 'govuk-link govuk-body-s'
    back.href = '#mark-' + (index + 1)
    back.textContent = 'Show in the letter'
    back.append(Object.assign(document.createElement('span'), {
      className: 'govuk-visually-hidden', textContent: ' (' + SEVERITY_LABEL[finding.severity].toLowerCase() + ' ' + (index + 1) + ')'
    }))
    item.append(back)
  }
  return item
}

function shorten (text) {
  const flat = text.replace(/\s+/g, ' ')
  return flat.length > 80 ? flat.slice(0, 77) + '…' : flat
}

async function applySuggestion (span, suggestion) {
  if (letter.value !== lastText) {
    clearErrors()
    showError('letter', 'The letter has changed since it was checked; check it again ' +
      'before using a suggestion')
    return
  }
  letter.value = lastText.slice(0, span.start) + suggestion + lastText.slice(span.end)
  await check()
}

function downloadReport () {
  if (!lastReport) return
  const blob = new Blob([JSON.stringify(lastReport, null, 2) + '\n'], { type: 'application/json' })
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = 'tone-report.json'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 1000)
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  check()
})
upload.addEventListener('change', readUpload)
document.getElementById('download').addEventListener('click', downloadReport)
loadDocumentTypes()
