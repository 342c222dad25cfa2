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
const notices = document.getElementById('notices')
const errorSummary = document.getElementById('error-summary')
const errorList = document.getElementById('error-list')

const needsToken = document.body.dataset.lintAccess === 'token'
if (needsToken) tokenGroup.hidden = false

const SEVERITIES = ['error', 'warning', 'suggestion']
const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', suggestion: 'Suggestion' }
const SEVERITY_PLURAL = { error: 'Errors', warning: 'Warnings', suggestion: 'Suggestions' }
// What a finding is about, in plain words: by its category when a learned rule gave one,
// else by its rule, else by the rule's family.
const CATEGORY_WORDS = {
  blame: 'may read as blaming people',
  threat: 'may read as a threat',
  command: 'may read as an order rather than a request',
  sarcasm: 'may read as sarcastic',
  dismissive: 'may read as dismissive',
  patronising: 'may read as patronising',
  cold: 'may read as cold or impersonal',
  legalistic: 'may read as hiding behind the law',
  heat: 'may read as angry'
}
const RULE_WORDS = {
  'Tone.Blame': 'may read as blaming people',
  'Tone.Threat': 'may read as a threat',
  'Tone.Command': 'may read as an order rather than a request',
  'Tone.Sarcasm': 'may read as sarcastic',
  'Tone.Dismissal': 'may read as dismissive',
  'Tone.Obviously': 'may read as patronising',
  'Tone.StockPhrases': 'a stock phrase that can sound cold',
  'Tone.Absolutes': 'an absolute, such as “always” or “never”',
  'Tone.Capitals': 'capitals that may read as shouting',
  'Tone.Exclamation': 'an exclamation mark',
  'Tone.Must': '“must” without a reason or support',
  'Plain.Words': 'a plainer word would do',
  'Law.Legalese': 'legal wording with a plain alternative',
  'Spelling.British': 'an American spelling',
  'Spelling.Context': 'a spelling that depends on use',
  'Readability.SentenceLength': 'a long sentence',
  'Readability.ParagraphLength': 'a long paragraph',
  'Readability.ReadingEase': 'the letter is hard to read',
  'Readability.Grade': 'the letter needs a high reading level',
  'Docgen.SuppressionWithoutReason': 'a docgen-ignore line without a reason'
}
const FAMILY_WORDS = {
  Tone: 'tone', Plain: 'plain English', Law: 'legal wording', Spelling: 'spelling',
  Readability: 'readability', Required: 'something the letter must include',
  Grammar: 'grammar', Docgen: 'a docgen-ignore line',
  Consistency: 'what the letter says against its data'
}
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
// Where an uploaded file quotes someone else's words (a Word quotation style), as
// [start, end] offsets into the text box's text as it was (quotedText). The text box is
// plain text, so the page moves them as the writer edits: an edit before a quotation
// shifts it, and an edit inside one makes the words the writer's own, to be checked.
let quotedSpans = []
let quotedText = ''
let lastSpans = []
// Numbers given in the last check, by finding: kept for the findings that remain after
// a suggested wording is used, so "Warning 3" stays "Warning 3".
let lastNumbers = new Map()

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
      if (seen.has(template.document_type)) continue
      seen.add(template.document_type)
      const option = document.createElement('option')
      option.value = template.document_type
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

async function check (keepNumbers) {
  if (!keepNumbers) lastNumbers = new Map()
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
    followEdits()
    const spans = quotedSpans
    const report = await call('/v1/lint', {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({
        text, document_type: documentType.value || null, quoted_spans: spans
      })
    })
    lastReport = report
    lastText = text
    lastSpans = spans
    const targets = await call('/v1/readability-targets' +
      (documentType.value ? '?document_type=' + encodeURIComponent(documentType.value) : ''),
    {}).catch(() => ({}))
    showReport(report, text, targets)
  } catch (error) {
    showError(fieldFor(error.status), error.message)
  } finally {
    checkButton.disabled = false
    checkButton.removeAttribute('aria-disabled')
  }
}

// Move the quoted spans to the text box's text as it is now. The edit is the stretch
// between the longest common start and end of the old and new text: a span wholly
// before it stays, one wholly after it moves by the change in length, and one the edit
// touches is dropped, since its words are the writer's now.
function followEdits () {
  if (letter.value === quotedText) return
  // Offsets count characters as the service does (code points, not UTF-16 units).
  const text = Array.from(letter.value)
  const old = Array.from(quotedText)
  const most = Math.min(old.length, text.length)
  let before = 0
  while (before < most && old[before] === text[before]) before++
  let after = 0
  while (after < most - before &&
         old[old.length - 1 - after] === text[text.length - 1 - after]) after++
  const editEnd = old.length - after
  const shift = text.length - old.length
  quotedSpans = quotedSpans.flatMap(([start, end]) => {
    if (end <= before) return [[start, end]]
    if (start >= editEnd) return [[start + shift, end + shift]]
    return []
  })
  quotedText = letter.value
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
    quotedSpans = extracted.quoted_spans || []
    quotedText = extracted.text
    if (extracted.document_type && !documentType.value) {
      documentType.value = extracted.document_type
    }
    await check(false)
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

// Number findings within each severity. A finding that was there before (the same
// rule, words and occurrence) keeps its number; new ones take the next free numbers.
function numberFindings (findings) {
  const seen = new Map()
  const keys = findings.map((finding) => {
    const base = [finding.severity, finding.rule, finding.match].join('\u0000')
    const occurrence = (seen.get(base) || 0) + 1
    seen.set(base, occurrence)
    return base + '\u0000' + occurrence
  })
  const numbers = new Map()
  const used = { error: new Set(), warning: new Set(), suggestion: new Set() }
  keys.forEach((key, index) => {
    const kept = lastNumbers.get(key)
    if (kept !== undefined && !used[findings[index].severity].has(kept)) {
      numbers.set(index, kept)
      used[findings[index].severity].add(kept)
    }
  })
  const next = {}
  for (const severity of SEVERITIES) {
    next[severity] = Math.max(0, ...Array.from(lastNumbers.entries())
      .filter(([key]) => key.startsWith(severity + '\u0000')).map(([, n]) => n),
    ...used[severity]) + 1
  }
  const remembered = new Map()
  keys.forEach((key, index) => {
    const severity = findings[index].severity
    if (!numbers.has(index)) numbers.set(index, next[severity]++)
    remembered.set(key, numbers.get(index))
  })
  lastNumbers = remembered
  return findings.map((_, index) => numbers.get(index))
}

function spansFor (findings, text) {
  const offset = offsetsFor(text)
  const numbers = numberFindings(findings)
  return findings.map((finding, index) => ({
    index,
    finding,
    number: numbers[index],
    name: finding.severity + '-' + numbers[index],
    title: SEVERITY_LABEL[finding.severity] + ' ' + numbers[index],
    start: offset(finding.line, finding.column),
    end: offset(finding.end_line, finding.end_column)
  }))
}

function labelFor (span) {
  const link = document.createElement('a')
  link.className = 'tone-mark__label tone-mark__label--' + span.finding.severity
  link.href = '#finding-' + span.name
  link.textContent = span.title
  link.setAttribute('aria-label', span.title + ': ' + span.finding.message)
  return link
}

function aboutFor (finding) {
  if (finding.category && CATEGORY_WORDS[finding.category]) {
    return CATEGORY_WORDS[finding.category]
  }
  if (finding.category) return 'may read as ' + finding.category.replace(/_/g, ' ')
  return RULE_WORDS[finding.rule] || FAMILY_WORDS[finding.rule.split('.')[0]] || 'wording'
}

function plainNotice (notice) {
  if (notice.startsWith('grammar skipped: no LanguageTool')) {
    return 'Grammar was not checked: this service has no grammar checker set up.'
  }
  if (notice.startsWith('grammar skipped:')) {
    return 'Grammar was not checked this time: the grammar checker did not answer. ' +
      'Try again later.'
  }
  return notice
}

// Marks nest when one finding lies inside another (a harsh phrase in a long sentence);
// a finding that only overlaps the end of another is cut at that end.
function renderHighlights (text, spans, quotations) {
  const visible = [...spans, ...quotations].filter((s) => s.end > s.start)
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
  // A mark that holds others is underlined below theirs (one step per level inside
  // it), so no underline runs over another.
  function build (node, into) {
    let cursor = node.start
    let levels = 0
    for (const child of node.children) {
      if (child.start > cursor) into.append(text.slice(cursor, child.start))
      if (child.quotation) {
        into.append(quotationFor(child, build))
        cursor = Math.max(cursor, child.end)
        continue
      }
      const mark = document.createElement('mark')
      const inside = build(child, mark)
      mark.className = 'tone-mark tone-mark--' + child.finding.severity +
        (inside ? ' tone-mark--holds-' + Math.min(inside, 3) : '')
      mark.id = 'mark-' + child.name
      mark.append(labelFor(child))
      into.append(mark)
      cursor = Math.max(cursor, child.end)
      levels = Math.max(levels, inside + 1)
    }
    if (cursor < node.end) into.append(text.slice(cursor, node.end))
    return levels
  }
  highlighted.replaceChildren()
  build(root, highlighted)
}

// A quotation the checks left out: grey italics, announced by a screen reader.
function quotationFor (span, build) {
  const quote = document.createElement('span')
  quote.className = 'tone-quote'
  const opening = document.createElement('span')
  opening.className = 'govuk-visually-hidden'
  opening.textContent = 'Quotation, not checked for tone: '
  const closing = document.createElement('span')
  closing.className = 'govuk-visually-hidden'
  closing.textContent = ' End of quotation.'
  quote.append(opening)
  build(span, quote)
  quote.append(closing)
  return quote
}

function quotationSpans (quotations, text) {
  const offset = offsetsFor(text)
  return (quotations || []).map((quotation) => ({
    quotation: true,
    start: offset(quotation.line, quotation.column),
    end: offset(quotation.end_line, quotation.end_column)
  }))
}

function plural (count, word) {
  return count + ' ' + word + (count === 1 ? '' : 's')
}

function showReport (report, text, targets) {
  const file = report.files[0]
  const findings = file.findings
  const counts = report.summary
  summary.textContent = findings.length === 0
    ? 'We found nothing to change. The letter reads as courteous and clear.'
    : 'We found ' + [plural(counts.errors, 'error'), plural(counts.warnings, 'warning'),
        plural(counts.suggestions, 'suggestion')].join(', ') + '. Errors must be ' +
      'changed before the letter is issued; a reviewer decides on warnings.'

  const spans = spansFor(findings, text)
  const quotations = quotationSpans(file.quotations, text)
  renderHighlights(text, spans, quotations)
  document.getElementById('quotation-hint').hidden = quotations.length === 0

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
    const target = (targets || {})[key]
    if (target) {
      const aim = document.createElement('span')
      aim.className = 'govuk-hint tone-target'
      aim.id = 'target-' + key
      aim.textContent = 'aim for ' + target.target + (target.higher_is_better ? ' or more'
        : ' or less')
      dd.append(aim)
    }
    row.append(dt, dd)
    readability.append(row)
  }

  for (const severity of SEVERITIES) {
    const mine = spans.filter((span) => span.finding.severity === severity)
      .sort((a, b) => a.number - b.number)
    const list = document.getElementById('findings-' + severity)
    list.replaceChildren(...mine.map(findingItem))
    document.getElementById('group-' + severity + '-heading').textContent =
      SEVERITY_PLURAL[severity] + ' (' + mine.length + ')'
    document.getElementById('show-' + severity + '-label').textContent =
      SEVERITY_PLURAL[severity] + ' (' + mine.length + ')'
  }
  applyFilter()

  notices.replaceChildren()
  for (const notice of file.notices || []) {
    const p = document.createElement('p')
    p.className = 'govuk-body-s govuk-hint'
    p.textContent = 'Note: ' + plainNotice(notice)
    notices.append(p)
  }
  results.hidden = false
  resultsHeading.focus()
}

function applyFilter () {
  for (const severity of SEVERITIES) {
    const shown = document.getElementById('show-' + severity).checked
    const empty = !document.getElementById('findings-' + severity).children.length
    document.getElementById('group-' + severity).hidden = !shown || empty
  }
}

function findingItem (span) {
  const { finding } = span
  const item = document.createElement('li')
  item.className = 'tone-finding tone-finding--' + finding.severity
  item.id = 'finding-' + span.name
  item.tabIndex = -1

  const heading = document.createElement('h5')
  heading.className = 'govuk-heading-s tone-finding__heading'
  const tag = document.createElement('strong')
  tag.className = 'govuk-tag ' + ({
    error: 'govuk-tag--red', warning: 'govuk-tag--orange', suggestion: 'govuk-tag--blue'
  }[finding.severity] || 'govuk-tag--grey')
  tag.textContent = span.title
  heading.append(tag, ' ', finding.match ? '“' + shorten(finding.match) + '”' : 'The whole letter')
  item.append(heading)

  const message = document.createElement('p')
  message.className = 'govuk-body'
  message.textContent = finding.message
  item.append(message)

  const meta = document.createElement('p')
  meta.className = 'govuk-body-s govuk-hint tone-finding__about'
  meta.textContent = 'Line ' + finding.line + ' of the letter: ' + aboutFor(finding) + '.'
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
      hidden.textContent = ' for ' + span.title.toLowerCase()
      button.append(hidden)
      button.addEventListener('click', () => applySuggestion(span, suggestion))
      wrapper.append(button)
    }
    item.append(wrapper)
  }

  if (span.end > span.start) {
    const back = document.createElement('a')
    back.className = 'govuk-link govuk-body-s'
    back.href = '#mark-' + span.name
    back.textContent = 'Show in the letter'
    back.append(Object.assign(document.createElement('span'), {
      className: 'govuk-visually-hidden', textContent: ' (' + span.title.toLowerCase() + ')'
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
  await check(true)
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

async function downloadWord () {
  if (!lastReport) return
  clearErrors()
  let response
  try {
    response = await fetch('/v1/lint/word', {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({
        text: lastText, document_type: documentType.value || null, quoted_spans: lastSpans
      })
    })
  } catch (error) {
    showError('letter', 'The service could not be reached. Check your connection and try again.')
    return
  }
  if (!response.ok) {
    const body = await response.json().catch(() => null)
    showError(fieldFor(response.status), body && body.error ? body.error.message
      : 'The Word copy could not be made (status ' + response.status + ').')
    return
  }
  const link = document.createElement('a')
  link.href = URL.createObjectURL(await response.blob())
  link.download = 'letter-with-findings.docx'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 1000)
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  check(false)
})
upload.addEventListener('change', readUpload)
letter.addEventListener('input', followEdits)
document.getElementById('download').addEventListener('click', downloadReport)
document.getElementById('download-word').addEventListener('click', downloadWord)
document.getElementById('print').addEventListener('click', () => window.print())
for (const severity of SEVERITIES) {
  document.getElementById('show-' + severity).addEventListener('change', applyFilter)
}
loadDocumentTypes()
