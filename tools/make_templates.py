"""First drafts of the templates added in issue 12, built from outlines with python-docx.

    python tools/make_templates.py [ID ...] [--force]

Each outline is the wording of one Word template (see ``tools/wordbuild.py`` for the line
kinds). Once built, the Word file is the template's only source: edit it in Word or
LibreOffice, not here; this script refuses to overwrite a template unless ``--force``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wordbuild import ROOT, build, loop, when  # noqa: E402

LETTERS = ROOT / "templates" / "letters"

OFSTED_HEAD = [
    "head Ofsted", "head Piccadilly Gate", "head Store Street", "head Manchester M1 2WD",
    "head 0300 123 1231 · enquiries@ofsted.gov.uk", "blank",
]
DFE_HEAD = [
    "head Department for Education", "head Sanctuary Buildings", "head Great Smith Street",
    "head London SW1P 3BT", "head www.gov.uk/dfe", "blank",
]
DATES = ("{% if inspection.start_date == inspection.end_date %}on "
         "{{ inspection.start_date|uk_date }}{% else %}from {{ inspection.start_date|uk_date }}"
         " to {{ inspection.end_date|uk_date }}{% endif %}")
REASON = ("{% if reason_category == 'wellbeing of a school leader' %}the wellbeing of a school "
          "leader{% elif reason_category == 'serious incident at the school' %}a serious "
          "incident at the school{% else %}exceptional circumstances{% endif %}")
HEADTEACHER_ADDRESS = [
    "p {{ letter_date|uk_date(false) }}",
    "tight {{ headteacher.formal_name }}",
    "tight Headteacher",
    "tight {{ school.name }}",
    *loop("line in school.address.as_lines", ["tight {{ line }}"]),
    "blank",
]
SCHOOL_FOOTER = [
    "foot {{ school.name }} · URN {{ school.urn }} · Inspection {{ inspection.reference }}",
    "foot Document reference {{ issue_reference }}",
]
SENIOR_INSPECTOR = [
    "h2 If you have a concern",
    "p You can talk to {{ inspection.senior_inspector.name }}, "
    "{{ inspection.senior_inspector.role }}, on {{ inspection.senior_inspector.phone }}. They "
    "have not been involved in this inspection. Raising a concern will not affect the "
    "inspection's outcome.",
]
SUPPORT = [
    "h2 Support for you",
    "p We know this can be a difficult time. If you would like to talk to someone, support is "
    "available:",
    *loop("s in support", ["li {{ s.name }}: {{ s.phone }}, {{ s.note }}"]),
]
ALTERNATIVE_FORMATS = [
    "p If you would like this letter in large print or Braille, please call 0300 123 1231.",
]
SIGNATURE = [
    "p Yours sincerely",
    "blank",
    "tight {{ signatory.name }}",
    "tight {{ signatory.role }}",
    "p {{ signatory.organisation }}",
]
RESPONSIBLE_BODY_COPY = ["p Copy: {{ responsible_body.lead.formal_name }}, "
                         "{{ responsible_body.name }}"]
TOLD_RESPONSIBLE_BODY = [
    "h2 Who we have told",
    "p We have told {{ responsible_body.lead.formal_name }} at {{ responsible_body.name }}. "
    "As your responsible body, they can support you.",
]
PAUSE_LABELS = [
    "label Inspection reference: | {{ inspection.reference }}",
    "label URN: | {{ school.urn }}",
    "label Duty desk reference: | {{ duty_desk_reference }}",
    "blank",
]

# --- DfE letters to a trust -----------------------------------------------------------

TRUST_ADDRESS = [
    "p {{ letter_date|uk_date(false) }}",
    "tight The members and trustees",
    "tight {{ trust.name }}",
    *when("trust.address", loop("line in trust.address.as_lines", ["tight {{ line }}"])),
    "blank",
    "label Our reference: | {{ issue_reference }}",
    "label Companies House number: | {{ trust.companies_house_number }}",
    "label Trust ID: | {{ trust.trust_id }}",
    "label Academy: | {{ academy.name }} (URN {{ academy.urn }})",
    "blank",
    "p {{ salutation }}",
]
TRUST_SUPPORT = [
    "h2 Support for the trust",
    "p The support we can offer includes:",
    *loop("item in support_offered", ["li {{ item }}"]),
    "p We know a letter like this can be hard for leaders, staff and trustees to receive. We "
    "would be grateful if the trust could make sure that support is in place for the headteacher "
    "and staff.",
    "p If you or your colleagues would like to talk to someone, support is available:",
    *loop("s in support", ["li {{ s.name }}: {{ s.phone }}, {{ s.note }}"]),
]
TRUST_CONTACTS = [
    "h2 Contacts",
    "p If you have any questions about this letter, please contact:",
    *loop("c in contacts", ["li {{ c.name }}, {{ c.role }}{% if c.phone %}, {{ c.phone }}"
                            "{% endif %}{% if c.email %}, {{ c.email }}{% endif %}"]),
]
TRUST_SIGNATURE = [
    "p Yours sincerely",
    "blank",
    "tight {{ signatory.name }}",
    "tight {{ signatory.role }}{% if signatory.region %}, {{ signatory.region }}{% endif %}",
    "p {{ signatory.organisation }}",
    *when("copy_to", ["p Copy to:", *loop("name in copy_to", ["li {{ name }}"])]),
]
TRUST_FOOTER = [
    "foot {{ trust.name }} · {{ academy.name }} (URN {{ academy.urn }})",
    "foot Our reference {{ issue_reference }}",
]
PUBLISHED = ("p We publish letters like this one on GOV.UK, so we will publish this letter "
             "there.")

OUTLINES: dict[str, list[str]] = {}

OUTLINES["parent_letter"] = [
    *OFSTED_HEAD,
    "p {{ letter_date|uk_date(false) }}",
    "p Dear parents and carers",
    "h1 Ofsted inspection of {{ school.name }}",
    f"p Ofsted is inspecting {{{{ school.name }}}} {DATES}. This letter explains what "
    "happens during the inspection and how you can give us your views.",
    "h2 What happens during the inspection",
    "p Inspectors will visit lessons, look at pupils' work and talk to pupils, staff and "
    "leaders. They want to find out what it is like to be a pupil at the school. The lead "
    "inspector is {{ inspection.lead_inspector.name_and_designation }}.",
    "h2 Giving us your views",
    "p We would like to hear what you think about the school. You can tell us through Ofsted "
    "Parent View at {{ parent_view_url }}. It takes about 10 minutes.",
    *when("parent_view_closes_at",
          ["p Inspectors will read the views given by {{ parent_view_closes_at|uk_time }} on "
           "{{ parent_view_closes_at|uk_date }}."],
          ["p Inspectors will read the views given before and during the inspection."]),
    "p You can also ask the school office to pass a note to the lead inspector, or ask to "
    "speak to an inspector. We do not name parents or carers in the report.",
    "h2 The report",
    "p We will send the school a report after the inspection. The school will share it with "
    "you, and we will publish it on Ofsted's website.",
    "p If you have a question about the inspection, please call Ofsted on "
    "{{ alternative_formats_phone }}. You can also ask for this letter in large print or "
    "Braille on that number.",
    *SIGNATURE,
    "foot {{ school.name }} · URN {{ school.urn }} · Inspection {{ inspection.reference }}",
    "foot Document reference {{ issue_reference }}",
]

OUTLINES["notification_email"] = [
    "p {{ headteacher.salutation }}",
    "h1 {{ envelope.subject }}",
    "p Thank you for talking with me at {{ call.time|uk_time }} today. This email confirms "
    "what we discussed on the telephone.",
    "h2 The inspection",
    f"p We will carry out a {{{{ inspection.type }}}} of {{{{ school.name }}}} {DATES}. I "
    "will lead the inspection.",
    "p I will call you again at {{ planning_call_time|uk_time }} today to plan the inspection "
    "with you. We can talk then about the timetable, the staff we would like to meet and "
    "anything you would like us to know.",
    "h2 Telling parents and carers",
    *when("parent_letter_attached",
          ["p I have attached a letter that you can send to parents and carers. It tells them "
           "about the inspection and how to give their views on Ofsted Parent View at "
           "{{ parent_view_url }}."],
          ["p I will send you a letter that you can send to parents and carers. It tells them "
           "about the inspection and how to give their views on Ofsted Parent View at "
           "{{ parent_view_url }}."]),
    *SENIOR_INSPECTOR,
    "h2 Pausing the inspection",
    "p In exceptional circumstances, we can pause an inspection. For example, we may pause "
    "it if a leader's wellbeing would be severely affected and no other leader can step in. "
    "Please tell me, or the senior inspector, if you think a pause is needed.",
    "h2 Sharing the outcome",
    "p You may share the provisional outcome of the inspection with anyone you consider "
    "appropriate, including people outside the school.",
    "h2 Support for you",
    "p We know an inspection can be a demanding time. If you would like to talk to someone, "
    "support is available:",
    *loop("s in support", ["li {{ s.name }}: {{ s.phone }}, {{ s.note }}"]),
    "p I have also let {{ responsible_body.lead.formal_name }} at {{ responsible_body.name }} "
    "know about the inspection.",
    "p Kind regards",
    "blank",
    "tight {{ signatory.name_and_designation }}",
    "tight Lead inspector{% if signatory.phone %}, {{ signatory.phone }}{% endif %}",
    "p Ofsted",
    "foot Email to {{ headteacher.formal_name }}, {{ school.name }} · URN {{ school.urn }} · "
    "Inspection {{ inspection.reference }}",
    "foot Document reference {{ issue_reference }}",
]

OUTLINES["monitoring_visit"] = [
    *OFSTED_HEAD,
    *HEADTEACHER_ADDRESS,
    "label Inspection reference: | {{ inspection.reference }}",
    "label URN: | {{ school.urn }}",
    "blank",
    "p {{ headteacher.salutation }}",
    "h1 Monitoring inspection of {{ school.name }}",
    f"p Thank you for your help during the monitoring inspection {DATES}. Please thank your "
    "staff and pupils for the time they gave us.",
    "p This was the {{ visit_ordinal }} monitoring inspection since the school was judged to "
    "{% if category == 'special measures' %}require special measures{% elif category == "
    "'significant improvement' %}require significant improvement{% elif category == "
    "'serious weaknesses' %}have serious weaknesses{% else %}require improvement{% endif %}, "
    "after the inspection that ended on {{ category_since|uk_date }}.",
    "h2 What we found",
    "p {% if progress == 'taking effective action' %}Leaders and those responsible for "
    "governance are taking effective action to improve the school.{% else %}Leaders and "
    "those responsible for governance are not yet taking effective action to improve the "
    "school. This letter explains what would help most.{% endif %}",
    "p Inspectors found that:",
    *loop("item in progress_made", ["li {{ item }}"]),
    "h2 What the school should focus on next",
    *loop("item in next_priorities", ["li {{ item }}"]),
    "h2 How we carried out this inspection",
    "p During the inspection, inspectors:",
    *loop("item in evidence", ["li {{ item }}"]),
    "h2 What happens next",
    "p {% if next_visit %}We expect to carry out the next monitoring inspection "
    "{{ next_visit }}.{% else %}We will tell you when we plan the next monitoring "
    "inspection.{% endif %} We will publish this letter on Ofsted's website. You may share it "
    "with anyone you consider appropriate.",
    "p We have sent a copy of this letter to {{ responsible_body.lead.formal_name }} at "
    "{{ responsible_body.name }}.",
    *SENIOR_INSPECTOR,
    *SUPPORT,
    *ALTERNATIVE_FORMATS,
    *SIGNATURE,
    *RESPONSIBLE_BODY_COPY,
    *SCHOOL_FOOTER,
]

OUTLINES["complaint_outcome"] = [
    *OFSTED_HEAD,
    "p {{ letter_date|uk_date(false) }}",
    "tight {{ recipient.formal_name }}",
    *when("recipient_address",
          loop("line in recipient_address.as_lines", ["tight {{ line }}"])),
    "blank",
    "label Our reference: | {{ issue_reference }}",
    "label School: | {{ school.name }} (URN {{ school.urn }})",
    "label Inspection: | {{ inspection.reference }}",
    "blank",
    "p {{ recipient.salutation }}",
    "h1 The outcome of your {% if stage == 'formal complaint' %}complaint{% else %}request "
    "for an internal review{% endif %}",
    "p Thank you for writing to us on {{ received_on|uk_date }} about the inspection of "
    "{{ school.name }}. Thank you, too, for taking the time to explain what happened.",
    "p I have looked carefully at each point you raised. I spoke to the people involved and "
    "read the evidence from the inspection. This letter sets out what I found.",
    *when("any_upheld", ["p Where we did not get things right, I am sorry."]),
    "h2 What you told us and what we found",
    *loop("item in points", [
        "label The point you raised: | {{ item.point }}",
        "label What we found: | {{ item.outcome|capitalize }}",
        "p {{ item.explanation }}",
    ]),
    *when("actions_taken", ["h2 What we have done", *loop("item in actions_taken",
                                                            ["li {{ item }}"])]),
    "h2 If you are not satisfied",
    *when("stage == 'formal complaint'", [
        "p If you are not satisfied with this reply, you can ask for an internal review. "
        "Please write to us by {{ review_by|uk_date }}, quoting reference {{ issue_reference }}. "
        "Someone who has not been involved in your complaint will carry out the review.",
        "p After the internal review, you can ask the Independent Complaints Adjudication "
        "Service for Ofsted (ICASO) to look at how we handled your complaint. ICASO is "
        "independent of Ofsted. Please contact ICASO within "
        "{{ icaso_within_months|plural('month') }} of our reply to the review.",
    ], [
        "p This letter is our final reply to your complaint. If you would like someone "
        "independent to look at how we handled it, you can ask ICASO. ICASO is the "
        "Independent Complaints Adjudication Service for Ofsted, and it is independent of "
        "Ofsted.",
        "p Please contact ICASO within {{ icaso_within_months|plural('month') }} of the date "
        "of this letter.",
    ]),
    "p You can find how to contact ICASO on GOV.UK.",
    "h2 Contact",
    "p If you have any questions about this letter, please contact {{ contact.name }}, "
    "{{ contact.role }}. You can call them on {{ contact.phone }}{% if contact.email %} or "
    "email them at {{ contact.email }}{% endif %}.",
    *ALTERNATIVE_FORMATS,
    *SIGNATURE,
    "foot {{ school.name }} · URN {{ school.urn }}",
    "foot Document reference {{ issue_reference }}",
]

OUTLINES["inspection_resuming"] = [
    *OFSTED_HEAD,
    *HEADTEACHER_ADDRESS,
    *PAUSE_LABELS,
    "p {{ headteacher.salutation }}",
    "h1 The inspection of {{ school.name }} will resume",
    f"p Thank you for talking with us. We paused the inspection at {{{{ paused_at|uk_time }}}} "
    f"on {{{{ paused_at|uk_date }}}} because of {REASON}.",
    "p This letter confirms that the inspection will resume at {{ resume_time|uk_time }} on "
    "{{ resume_date|uk_date }}. The pause will have lasted "
    "{{ pause_length|plural('working day') }}. The inspection has "
    "{{ remaining_days|plural('day') }} left to run.",
    "h2 How the inspection will run",
    "p The lead inspector, {{ inspection.lead_inspector.full_name }}, has agreed these "
    "arrangements with you:",
    *loop("item in arrangements", ["li {{ item }}"]),
    "p If anything changes before then, please call {{ inspection.lead_inspector.full_name }}"
    "{% if inspection.lead_inspector.phone %} on {{ inspection.lead_inspector.phone }}"
    "{% endif %}. If the inspection cannot resume by {{ latest_resume_date|uk_date }}, we "
    "would record it as incomplete. We would agree the next steps with you first.",
    *TOLD_RESPONSIBLE_BODY,
    *SENIOR_INSPECTOR,
    *SUPPORT,
    *ALTERNATIVE_FORMATS,
    *SIGNATURE,
    *RESPONSIBLE_BODY_COPY,
    *SCHOOL_FOOTER,
]

OUTLINES["inspection_incomplete"] = [
    *OFSTED_HEAD,
    *HEADTEACHER_ADDRESS,
    *PAUSE_LABELS,
    "p {{ headteacher.salutation }}",
    "h1 The inspection of {{ school.name }} is recorded as incomplete",
    f"p We paused the inspection at {{{{ paused_at|uk_time }}}} on {{{{ paused_at|uk_date }}}} "
    f"because of {REASON}. A pause can last up to 5 working days.",
    "p The inspection could not resume by {{ latest_resume_date|uk_date }}, so we have "
    "recorded it as incomplete. Recording the inspection as incomplete is not a judgement on "
    "the school's work.",
    "h2 What inspectors gathered before the pause",
    *loop("item in evidence_so_far", ["li {{ item }}"]),
    "p Inspectors will use this evidence together with the evidence they gather later.",
    "h2 What happens next",
    "p We will gather the rest of the evidence at a later date. We will agree how and when "
    "with you first, by {{ agree_by|uk_date }}.",
    *loop("item in next_steps", ["li {{ item }}"]),
    *TOLD_RESPONSIBLE_BODY,
    *SENIOR_INSPECTOR,
    *SUPPORT,
    *ALTERNATIVE_FORMATS,
    *SIGNATURE,
    *RESPONSIBLE_BODY_COPY,
    *SCHOOL_FOOTER,
]

OUTLINES["deferral_decision"] = [
    *OFSTED_HEAD,
    *HEADTEACHER_ADDRESS,
    "label Inspection reference: | {{ inspection.reference }}",
    "label URN: | {{ school.urn }}",
    "blank",
    "p {{ headteacher.salutation }}",
    "h1 The request to defer the inspection of {{ school.name }}",
    "p Thank you for {% if requested_by == 'headteacher' %}your request{% elif requested_by "
    "== 'responsible body' %}the request from {{ responsible_body.name }}{% else %}the "
    "request from the {{ requested_by }}{% endif %} on {{ requested_on|uk_date }} to defer "
    "the inspection. The request was made because of {{ grounds }}.",
    "p We have considered it carefully under Ofsted's deferral policy.",
    "h2 Our decision",
    *when("decision == 'deferred'", [
        "p We have agreed to defer the inspection. It will not start before "
        "{{ inspect_from|uk_date }}. The lead inspector will contact you before then to "
        "arrange it.",
    ], [
        "p After careful thought, we have decided that the inspection will go ahead as planned "
        "from {{ inspection.start_date|uk_date }}. We understand that this may be "
        "disappointing, and we are here to help.",
        "p If circumstances change during the inspection, it can be paused. You can ask the "
        "lead inspector for a pause, or ask the senior inspector named below.",
    ]),
    "h2 Why we made this decision",
    *loop("item in reasons", ["li {{ item }}"]),
    *TOLD_RESPONSIBLE_BODY,
    *SENIOR_INSPECTOR,
    *SUPPORT,
    *ALTERNATIVE_FORMATS,
    *SIGNATURE,
    *RESPONSIBLE_BODY_COPY,
    *SCHOOL_FOOTER,
]

OUTLINES["minded_to_terminate"] = [
    *DFE_HEAD,
    *TRUST_ADDRESS,
    "h1 {{ title_text }}: {{ academy.name }}",
    "p I am writing to you about {{ academy.name }}. {% if stage == 'pre-termination "
    "warning' %}This letter is a pre-termination warning. It explains our concerns and the "
    "trust's right to make representations.{% else %}We sent the trust a termination warning "
    "notice on {{ earlier_notice_date|uk_date }}. The Secretary of State has considered the "
    "trust's progress since then and is minded to terminate the academy's funding agreement. "
    "No final decision has been made yet.{% endif %}",
    "p I know this letter will be difficult to receive, for you and for everyone who works at "
    "the academy. We share your aim: a good education for every pupil at the academy.",
    *when("stage == 'pre-termination warning' and earlier_notice_date",
          ["p We last wrote to the trust about the academy on "
           "{{ earlier_notice_date|uk_date }}."]),
    "h2 Why we are writing",
    "p We are writing under {{ basis_text }}. Our reasons are:",
    *loop("item in reasons", ["li {{ item }}"]),
    "h2 The trust's right to make representations",
    "p The trust has the right to make representations to us about this letter. Please send "
    "them by {{ representations_by|uk_date }}. This gives you "
    "{{ working_days_to_respond|plural('working day') }} from the date of this letter.",
    "p We will consider everything you send us before any decision is made.",
    *when("meeting_offer", ["p {{ meeting_offer }}"]),
    "h2 What happens next",
    "p {% if stage == 'pre-termination warning' %}After {{ representations_by|uk_date(false) "
    "}}, we will consider the trust's representations and decide whether to issue a "
    "termination warning notice.{% else %}After {{ representations_by|uk_date(false) }}, the "
    "Secretary of State will consider the trust's representations before deciding whether to "
    "terminate the funding agreement.{% endif %} We will write to you with the decision and "
    "the reasons for it.",
    PUBLISHED,
    *TRUST_SUPPORT,
    *TRUST_CONTACTS,
    *TRUST_SIGNATURE,
    *TRUST_FOOTER,
]

OUTLINES["representations_decision"] = [
    *DFE_HEAD,
    *TRUST_ADDRESS,
    "h1 Our decision after the trust's representations: {{ academy.name }}",
    "p Thank you for the trust's representations, which we received on "
    "{{ representations_received_on|uk_date }}. They answer the letter we sent on "
    "{{ notice_date|uk_date }} under {{ basis_text }}.",
    "p We have considered everything the trust sent us. The trust told us that:",
    *loop("item in representations_summary", ["li {{ item }}"]),
    "h2 Our decision",
    *when("outcome == 'notice withdrawn'", [
        "p We have decided to withdraw the notice. The academy's funding agreement will "
        "continue.",
        "p We recognise the work that leaders, staff and trustees have done. We will keep in "
        "touch with the trust about the academy's progress.",
    ], [
        "p The Secretary of State has decided to terminate the academy's funding agreement. "
        "We propose that {{ proposed_new_trust }} will run the academy.",
        "p We know this decision will be hard for the trust, and for everyone at the academy. "
        "We will send the trust a termination notice. It will give the date the funding "
        "agreement ends and explain how the academy will move to the new trust.",
    ]),
    "h2 The reasons for our decision",
    *loop("item in reasons", ["li {{ item }}"]),
    *when("conditions", ["h2 What we will keep in touch about",
                         *loop("item in conditions", ["li {{ item }}"])]),
    "h2 What happens next",
    PUBLISHED,
    *TRUST_SUPPORT,
    *TRUST_CONTACTS,
    *TRUST_SIGNATURE,
    *TRUST_FOOTER,
]

OUTLINES["termination_notice"] = [
    *DFE_HEAD,
    *TRUST_ADDRESS,
    "h1 Termination of the funding agreement: {{ academy.name }}",
    "p The Secretary of State has decided to terminate the funding agreement for "
    "{{ academy.name }}. This letter is the trust's notice of that decision, made under "
    "{{ basis_text }}. We told the trust of the decision on {{ decision_date|uk_date }}.",
    "p The funding agreement will end on {{ termination_date|uk_date }}. From that date, "
    "{{ new_trust }} will run the academy.",
    "p I know this is hard news for the trust, and for everyone at the academy. Our shared "
    "priority is that pupils' education carries on without disruption.",
    "h2 How the academy will move to the new trust",
    *loop("item in transfer_steps", ["li {{ item }}"]),
    "h2 Staff",
    "p Staff employed at the academy are expected to transfer to {{ new_trust }} under the "
    "Transfer of Undertakings (Protection of Employment) Regulations 2006. Their terms and "
    "conditions are protected when they transfer.",
    "h2 What happens next",
    "p We will work with the trust and {{ new_trust }} until the academy has moved. "
    + PUBLISHED.removeprefix("p "),
    *TRUST_SUPPORT,
    *TRUST_CONTACTS,
    *TRUST_SIGNATURE,
    *TRUST_FOOTER,
]


def main(argv: list[str]) -> None:
    force = "--force" in argv
    wanted = [a for a in argv if not a.startswith("--")] or list(OUTLINES)
    for template_id in wanted:
        target = LETTERS / f"{template_id}.docx"
        build(OUTLINES[template_id], target, force=force)
        print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
