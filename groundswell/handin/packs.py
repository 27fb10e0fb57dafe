"""The hand-in pack as CSV and PDF, from the same Pack (queries.hand_in_pack) as the print-ready
page. No email address or postcode of anyone is in a Pack, so none can be in any of them; the
names are only those of signers who ticked "you may give my name to the recipient"."""

import csv
import io
import os

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from groundswell.handin.queries import Pack

CHECK_LABELS = {
    "confirmed_by_email": gettext_lazy("Confirmed by email (a link sent to the signer's address)"),
    "assisted_confirmed_by_email": gettext_lazy("…of which taken by a volunteer, then confirmed by the signer by email"),
    "assisted_without_email": gettext_lazy("Taken by a volunteer for someone without email (each recorded with the volunteer who took it)"),
    "paper_signers_entered": gettext_lazy("Paper signers entered one by one by organisers"),
    "paper_sheets": gettext_lazy("Paper sheets entered (each with who collected it, where and when)"),
    "paper_sheets_withdrawn": gettext_lazy("Paper sheets withdrawn"),
    "paper_signers_withdrawn": gettext_lazy("Paper signers withdrawn"),
    "held_back": gettext_lazy("Held back by fraud checks or moderators, not counted"),
    "unconfirmed": gettext_lazy("Never confirmed by email, not counted"),
}


def sections(pack: Pack) -> list[tuple[str, list[list[str]]]]:
    """The pack as (section, rows of text), in order: what the CSV and PDF are written from."""
    p = pack.petition
    out = [
        (_("Petition"), [
            [_("Title"), p.title], [_("What it asks"), p.ask], [_("Addressed to"), p.addressed_to],
            [_("By"), p.campaign.organisation.name], [_("Opened"), p.opens_on.isoformat()], [_("Closes"), p.closes_on.isoformat()],
            [_("First signature confirmed"), pack.first_signed.isoformat() if pack.first_signed else ""],
            [_("Latest signature confirmed"), pack.last_signed.isoformat() if pack.last_signed else ""],
            [_("Pack made"), pack.generated_at.isoformat(timespec="minutes")],
        ]),
        (_("Versions of the text"), [
            [f"{_('Version')} {v.number}", v.created_at.date().isoformat(), _("minor correction") if v.minor else "", v.title, v.ask]
            for v in pack.versions
        ]),
        (_("Signatures"), [
            [_("Total"), str(pack.total)], [_("Online"), str(pack.by_channel["online"])],
            [_("On paper"), str(pack.by_channel["paper"])], [_("Assisted (by phone or in person)"), str(pack.by_channel["assisted"])],
        ]),
        (_("By nation"), [[row["nation"], str(row["signatures"])] for row in pack.nations]),
        (_("By constituency, with its MP"), [
            [row["code"], row["name"], row["nation"], (row["mp"] or {}).get("name", ""), (row["mp"] or {}).get("party", ""), str(row["signatures"])]
            for row in pack.constituencies
        ]),
        (_("How the signatures were checked"), [[str(CHECK_LABELS.get(key, key)), str(value)] for key, value in pack.checks.items()]),
        (_("Thresholds"), [
            [str(t.signatures), t.ask_text, t.reached_at.date().isoformat() if t.reached_at else _("not reached")] for t in pack.thresholds
        ]),
    ]
    ledger_rows = []
    if pack.ledger is not None:
        for ask in pack.ledger.asks:
            ledger_rows.append([_("Asked"), ask.asked_on.isoformat(), ask.get_channel_display(), ask.text])
            for response in ask.responses.all():
                ledger_rows.append([_("Response"), response.received_on.isoformat(), response.get_classification_display(), response.summary])
                for commitment in response.commitments.all():
                    ledger_rows.append([_("Promise"), commitment.due_on.isoformat() if commitment.due_on else "", commitment.public_status(), commitment.promise])
    out.append((_("The ledger's record with %(target)s") % {"target": pack.target.name}, ledger_rows))
    out.append((_("Names of signers who agreed to give their name to %(target)s") % {"target": p.addressed_to}, [[name] for name in pack.names]))
    return out


def as_csv(pack: Pack) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "values"])
    for section, rows in sections(pack):
        for row in rows:
            writer.writerow([section, *row])
    return buffer.getvalue()


# A Unicode font where the machine has one (Debian's fonts-dejavu-core), so any name prints as
# written; else the PDF core font, which has only Latin-1 (other letters become "?").
UNICODE_FONT = os.environ.get("GROUNDSWELL_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_FONT_BOLD = UNICODE_FONT.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def as_pdf(pack: Pack) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(pack.petition.title)
    pdf.set_creator("Groundswell")
    if os.path.exists(UNICODE_FONT) and os.path.exists(UNICODE_FONT_BOLD):
        pdf.add_font("Body", "", UNICODE_FONT)
        pdf.add_font("Body", "B", UNICODE_FONT_BOLD)
        family, clean = "Body", (lambda text: text)
    else:
        family, clean = "Helvetica", (lambda text: text.encode("latin-1", "replace").decode("latin-1"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, new_x="LMARGIN", new_y="NEXT", text=clean(_("Petition to %(target)s: %(title)s") % {"target": pack.petition.addressed_to, "title": pack.petition.title}))
    pdf.ln(2)
    for section, rows in sections(pack):
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 7, new_x="LMARGIN", new_y="NEXT", text=clean(section))
        pdf.set_font(family, "", 10)
        if not rows:
            pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=clean(_("None.")))
        for row in rows:
            pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=clean(" · ".join(str(value) for value in row if value != "")))
        pdf.ln(3)
    return bytes(pdf.output())
